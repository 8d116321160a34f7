import { Badge, Checkbox, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { cardBrandOf, cardDigits, formatCardNumberAsTyped, passesAbaCheck, securityCodeLength, type BankAccountType } from '../../../shared/cards';
import {
  cardNumberStatus,
  formatExpiryAsTyped,
  type BankFormValue,
  type CardFormValue,
  type FieldErrors,
} from '../lib/paymentMethods';

/**
 * The card and bank-account entry forms, on the payment screen and in the account's Add payment
 * method. Their values, checks and the input they become are in lib/paymentMethods.ts.
 */

/** Backspace or Delete (the browser says so); without that word, a shorter value that the old one begins with. */
function isDeletion(event: Event, next: string, previous: string): boolean {
  const kind = (event as InputEvent).inputType;
  if (typeof kind === 'string' && kind !== '') return kind.startsWith('delete');
  return next.length < previous.length && previous.startsWith(next);
}

/** Digits line up and read back easily in a fixed-width face; the label keeps the normal one. */
const MONO_INPUT = { input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.04em' } };

export function CardForm({
  value,
  onChange,
  errors,
  saveLabel = 'Save this card to the customer’s vault',
  showSave = true,
  idPrefix = 'card',
}: {
  value: CardFormValue;
  onChange(next: CardFormValue): void;
  errors: FieldErrors;
  saveLabel?: string;
  showSave?: boolean;
  idPrefix?: string;
}) {
  const set = <K extends keyof CardFormValue>(k: K, v: CardFormValue[K]) => onChange({ ...value, [k]: v });
  const status = cardNumberStatus(value.cardNumber);
  const brand = cardBrandOf(cardDigits(value.cardNumber));
  return (
    <Stack gap="sm">
      <TextInput
        id={`${idPrefix}-name`}
        label="Name on card"
        value={value.nameOnCard}
        onChange={(e) => set('nameOnCard', e.currentTarget.value)}
        error={errors.nameOnCard}
        autoComplete="off"
      />
      <TextInput
        id={`${idPrefix}-number`}
        label="Card number"
        value={value.cardNumber}
        onChange={(e) => set('cardNumber', formatCardNumberAsTyped(e.currentTarget.value))}
        error={errors.cardNumber ?? status.error ?? undefined}
        description={status.hint ? <span style={{ color: 'var(--mantine-color-teal-9)' }}>✓ {status.hint}</span> : undefined}
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        styles={MONO_INPUT}
        rightSectionWidth={150}
        rightSection={
          status.brand ? (
            <Badge variant="light" color="indigo" data-testid="card-brand">
              {status.brand}
            </Badge>
          ) : null
        }
      />
      <SimpleGrid cols={3} spacing="sm">
        <TextInput
          id={`${idPrefix}-expiry`}
          label="Expiry (MM/YY)"
          placeholder="MM/YY"
          value={value.expiry}
          onChange={(e) => set('expiry', formatExpiryAsTyped(e.currentTarget.value, isDeletion(e.nativeEvent, e.currentTarget.value, value.expiry)))}
          error={errors.expiry}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextInput
          id={`${idPrefix}-cvc`}
          label="Security code"
          placeholder={brand ? '0'.repeat(securityCodeLength(brand)).replace(/0/g, '•') : '•••'}
          value={value.cvc}
          onChange={(e) => set('cvc', e.currentTarget.value.replace(/\D/g, '').slice(0, 4))}
          error={errors.cvc}
          inputMode="numeric"
          autoComplete="off"
          type="password"
        />
        <TextInput
          id={`${idPrefix}-postal`}
          label="Billing ZIP code"
          value={value.postalCode}
          onChange={(e) => set('postalCode', e.currentTarget.value)}
          error={errors.postalCode}
          autoComplete="off"
        />
      </SimpleGrid>
      {showSave && (
        <SaveToVault
          save={value.save}
          nickname={value.nickname}
          label={saveLabel}
          onChange={(save, nickname) => onChange({ ...value, save, nickname })}
          error={errors.nickname}
        />
      )}
    </Stack>
  );
}

export function BankForm({
  value,
  onChange,
  errors,
  showSave = true,
  idPrefix = 'bank',
}: {
  value: BankFormValue;
  onChange(next: BankFormValue): void;
  errors: FieldErrors;
  showSave?: boolean;
  idPrefix?: string;
}) {
  const set = <K extends keyof BankFormValue>(k: K, v: BankFormValue[K]) => onChange({ ...value, [k]: v });
  const routing = value.routingNumber.trim();
  const routingError = routing.length === 9 && !passesAbaCheck(routing) ? 'This routing number is not valid; check the digits' : undefined;
  return (
    <Stack gap="sm">
      <TextInput
        id={`${idPrefix}-name`}
        label="Name on the account"
        value={value.nameOnAccount}
        onChange={(e) => set('nameOnAccount', e.currentTarget.value)}
        error={errors.nameOnAccount}
        autoComplete="off"
      />
      <SimpleGrid cols={2} spacing="sm">
        <TextInput
          id={`${idPrefix}-routing`}
          label="Routing number"
          value={value.routingNumber}
          onChange={(e) => set('routingNumber', e.currentTarget.value.replace(/\D/g, '').slice(0, 9))}
          error={errors.routingNumber ?? routingError}
          inputMode="numeric"
          autoComplete="off"
          styles={MONO_INPUT}
        />
        <TextInput
          id={`${idPrefix}-account`}
          label="Account number"
          value={value.accountNumber}
          onChange={(e) => set('accountNumber', e.currentTarget.value.replace(/\D/g, '').slice(0, 17))}
          error={errors.accountNumber}
          inputMode="numeric"
          autoComplete="off"
          styles={MONO_INPUT}
        />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500} id={`${idPrefix}-type-label`}>
          Account type
        </Text>
        <SegmentedControl
          aria-labelledby={`${idPrefix}-type-label`}
          value={value.accountType}
          onChange={(v) => set('accountType', v as BankAccountType)}
          data={[
            { value: 'checking', label: 'Checking' },
            { value: 'savings', label: 'Savings' },
          ]}
          w={260}
        />
      </Stack>
      {showSave && (
        <SaveToVault
          save={value.save}
          nickname={value.nickname}
          label="Save this account to the customer’s vault"
          placeholder="e.g. Operating checking account"
          onChange={(save, nickname) => onChange({ ...value, save, nickname })}
          error={errors.nickname}
        />
      )}
    </Stack>
  );
}

function SaveToVault({
  save,
  nickname,
  label,
  placeholder = 'e.g. Office Visa',
  onChange,
  error,
}: {
  save: boolean;
  nickname: string;
  label: string;
  placeholder?: string;
  onChange(save: boolean, nickname: string): void;
  error?: string;
}) {
  return (
    <Group align="flex-end" gap="md" wrap="nowrap">
      <Checkbox label={label} checked={save} onChange={(e) => onChange(e.currentTarget.checked, nickname)} mb={8} />
      <TextInput
        label="Nickname (optional)"
        placeholder={placeholder}
        value={nickname}
        onChange={(e) => onChange(save, e.currentTarget.value)}
        disabled={!save}
        error={error}
        style={{ flex: 1 }}
      />
    </Group>
  );
}
