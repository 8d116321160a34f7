import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { OutboxMessageView } from '../../../shared/contract/documents';
import { toAppError } from '../lib/api';
import { fieldErrorsOf, fieldMessage } from '../lib/fieldErrors';
import { notifications } from '@mantine/notifications';

/** Queues a document (an invoice, a statement) in the outbox, to the customer's address or one typed for this message. */
export function EmailDocumentModal({
  title,
  what,
  children,
  defaultTo,
  send,
  onClose,
}: {
  title: string;
  /** "The invoice", "The statement": how the notice names it. */
  what: string;
  children?: ReactNode;
  defaultTo: string;
  send(to: string): Promise<OutboxMessageView>;
  onClose(): void;
}) {
  const [to, setTo] = useState(defaultTo);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    if (address === '') {
      setError('Enter the address to email it to');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const m = await send(address);
      notifications.show({
        color: m.status === 'failed' ? 'orange' : 'teal',
        title: 'Queued in the Outbox',
        message:
          m.status === 'failed'
            ? `${what} for ${m.to} is in the Outbox but cannot go yet: ${m.lastError ?? 'see Documents → Outbox'}`
            : `${what} goes to ${m.to} from the Outbox as soon as the mail server takes it.`,
        autoClose: 8000,
        closeButtonProps: { 'aria-label': 'Close message' },
        styles: { description: { color: 'var(--mantine-color-text)' } },
      });
      onClose();
    } catch (err) {
      setError(fieldMessage(fieldErrorsOf(err).to, 'The address') ?? toAppError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {/* noValidate: the address is checked in main and its message shown under the field. */}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          {children}
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
            <Button type="submit" loading={busy} data-testid="email-document-send">
              Queue the email
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A small line of text for the modal's top. */
export function EmailDocumentSummary({ children }: { children: ReactNode }) {
  return <Text size="sm">{children}</Text>;
}
