import { Button, Checkbox, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';

export interface PendingConfirmation {
  question: string;
  details: string[];
  okLabel: string;
  /** A bank debit: the authorization to read to the customer, who must agree before OK (NACHA telephone-initiated debits). */
  phoneDebitWording?: string | null;
}

/**
 * The read-back before money moves. OK turns into a spinner at once and ignores key repeat, so a
 * double-click or an Enter held down cannot start a second charge.
 */
export function ConfirmPaymentModal({
  confirmation,
  submitting,
  onOk,
  onCancel,
}: {
  confirmation: PendingConfirmation | null;
  submitting: boolean;
  onOk(authorized: boolean): void;
  onCancel(): void;
}) {
  const [authorized, setAuthorized] = useState(false);
  // Every read-back starts unticked: an authorization covers the debit it was read for.
  useEffect(() => setAuthorized(false), [confirmation]);
  const debit = confirmation?.phoneDebitWording ?? null;
  const swallowRepeats = (e: KeyboardEvent) => {
    if (e.repeat && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={confirmation !== null}
      onClose={() => {
        if (!submitting) onCancel();
      }}
      title="Confirm the payment"
      closeOnClickOutside={!submitting}
      closeOnEscape={!submitting}
      withCloseButton={!submitting}
      returnFocus={false}
      size={confirmation?.phoneDebitWording ? 'lg' : 'md'}
      centered
    >
      {confirmation && (
        <Stack gap="md" onKeyDownCapture={swallowRepeats}>
          <Text fz="xl" fw={700} data-testid="confirm-question">
            {confirmation.question}
          </Text>
          {confirmation.details.map((d) => (
            <Text key={d} size="sm" c="dimmed">
              {d}
            </Text>
          ))}
          {debit && (
            <Stack gap={8} data-testid="phone-debit">
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
                Read to the customer
              </Text>
              <Paper withBorder p="sm" bg="gray.0">
                <Text size="sm" data-testid="phone-debit-wording" style={{ lineHeight: 1.5 }}>
                  {debit}
                </Text>
              </Paper>
              <Checkbox
                checked={authorized}
                onChange={(e) => setAuthorized(e.currentTarget.checked)}
                disabled={submitting}
                data-autofocus
                label="The customer authorized this debit on the phone"
                description="Required for a bank account: the customer's answer to the question above."
              />
            </Stack>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={submitting}>
              Cancel
            </Button>
            <Button onClick={() => onOk(authorized)} loading={submitting} disabled={submitting || (debit !== null && !authorized)} data-autofocus={debit === null ? true : undefined} data-testid="confirm-ok">
              {confirmation.okLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
