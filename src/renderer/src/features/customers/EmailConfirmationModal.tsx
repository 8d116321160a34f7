import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { PaymentSummaryDto } from '../../../../shared/contract/payments';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { DOCUMENT_READS, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { notify, paymentName, sentence, ToDocuments } from './paymentNotices';

/** Queues a payment's confirmation in the outbox, to the customer's address or one typed for this message. */
export function EmailConfirmationModal({
  payment,
  defaultTo,
  onClose,
}: {
  payment: PaymentSummaryDto;
  defaultTo: string;
  onClose(): void;
}) {
  const format = useFormat();
  const [to, setTo] = useState(defaultTo);
  const [error, setError] = useState<string | null>(null);
  const email = useWrite('documents.emailConfirmation', { invalidates: DOCUMENT_READS });
  const busy = email.isPending;
  const name = paymentName(payment, format);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    if (address === '') {
      setError('Enter the address to email the confirmation to');
      return;
    }
    setError(null);
    try {
      const m = await email.mutateAsync({ paymentId: payment.paymentId, to: address });
      notify(
        m.status === 'failed' ? 'orange' : 'teal',
        'Confirmation queued in the Outbox',
        <Stack gap={2}>
          <Text size="sm">
            {m.status === 'failed'
              ? `The confirmation for ${m.to} is in the Outbox but cannot go yet: ${sentence(m.lastError ?? 'see the Outbox')}`
              : `The confirmation goes to ${m.to} from the Outbox as soon as the mail server takes it.`}
          </Text>
          <ToDocuments tab="Outbox" />
        </Stack>,
      );
      onClose();
    } catch (err) {
      setError(fieldMessage(fieldErrorsOf(err).to, 'The address') ?? toAppError(err).message);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Email the confirmation" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {/* noValidate: the address is checked in main and its message shown under the field, not in a browser bubble. */}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">
            Payment <b>{name}</b> · {format.money(payment.amountCents)} · {payment.methodLabel}
          </Text>
          <TextInput
            label="Send to"
            description="The customer’s email on file; change it for this message only."
            type="email"
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
            autoComplete="off"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="email-confirmation-send">
              Queue the email
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
