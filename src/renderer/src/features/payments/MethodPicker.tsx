import { Badge, Group, Radio, Stack, Text } from '@mantine/core';
import type { PaymentMethodDto } from '../../../../shared/contract/paymentMethods';
import { expiryText } from '../../lib/paymentMethods';

export type MethodChoice = `saved:${number}` | 'new-card' | 'new-bank' | 'check' | 'cash' | 'wire';

/** The default card on file, unless it has expired; then another usable one; else a new card. */
export function initialChoice(methods: PaymentMethodDto[]): MethodChoice {
  const usable = methods.filter((m) => !m.expired);
  const pick = usable.find((m) => m.isDefault) ?? usable[0];
  return pick ? `saved:${pick.id}` : 'new-card';
}

export function MethodPicker({
  methods,
  value,
  onChange,
}: {
  methods: PaymentMethodDto[];
  value: MethodChoice;
  onChange(next: MethodChoice): void;
}) {
  return (
    <Radio.Group value={value} onChange={(v) => onChange(v as MethodChoice)} name="payment-method" aria-label="Payment method">
      <Stack gap={6}>
        {methods.map((m) => (
          <Radio
            key={m.id}
            value={`saved:${m.id}`}
            disabled={m.expired}
            data-testid="method-option"
            label={
              <Group gap={6} wrap="nowrap">
                <Text size="sm" fw={600}>
                  {m.label}
                </Text>
                {m.kind === 'card' && (
                  <Text size="sm" c="dimmed">
                    exp {expiryText(m)}
                  </Text>
                )}
                {m.nickname && (
                  <Text size="sm" c="dimmed">
                    · {m.nickname}
                  </Text>
                )}
                {m.isDefault && (
                  <Badge size="xs" color="indigo">
                    Default
                  </Badge>
                )}
                {m.expired && (
                  <Badge size="xs" color="red" variant="light">
                    Expired
                  </Badge>
                )}
              </Group>
            }
          />
        ))}
        <Radio value="new-card" label={<Text size="sm" fw={600}>New card</Text>} />
        <Radio value="new-bank" label={<Text size="sm" fw={600}>New bank account</Text>} />
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" mt={4}>
          Money received
        </Text>
        <Radio value="check" data-testid="method-check" label={<Text size="sm" fw={600}>Check</Text>} />
        <Radio value="cash" data-testid="method-cash" label={<Text size="sm" fw={600}>Cash</Text>} />
        <Radio value="wire" data-testid="method-wire" label={<Text size="sm" fw={600}>Wire / transfer</Text>} />
      </Stack>
    </Radio.Group>
  );
}
