import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { KeyboardEvent } from 'react';

export interface PendingConfirmation {
  question: string;
  details: string[];
  okLabel: string;
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
  onOk(): void;
  onCancel(): void;
}) {
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
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={submitting}>
              Cancel
            </Button>
            <Button onClick={onOk} loading={submitting} disabled={submitting} data-autofocus data-testid="confirm-ok">
              {confirmation.okLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
