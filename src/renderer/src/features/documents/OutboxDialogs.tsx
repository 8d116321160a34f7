import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { OutboxMessageView } from '../../../../shared/contract/documents';
import { emailProblem } from '../../../../shared/validation';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { DOCUMENT_READS, useWrite } from '../../lib/queries';

import { notify } from './notify';

export { notify };

/** A new address for a message not yet sent, checked here and by main with the app's own email rule. */
export function RecipientModal({ message, onClose }: { message: OutboxMessageView | null; onClose: () => void }) {
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const setRecipient = useWrite('documents.setEmailRecipient', { invalidates: DOCUMENT_READS });
  useEffect(() => {
    setTo(message?.to ?? '');
    setError(null);
  }, [message]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!message) return;
    const address = to.trim();
    const problem = address === '' ? 'Enter the address to send the message to' : fieldMessage(emailProblem(address) ?? undefined, 'The address');
    if (problem) {
      setError(problem);
      return;
    }
    try {
      await setRecipient.mutateAsync({ outboxId: message.id, to: address });
      notify({ color: 'teal', message: `The message will go to ${address}.` });
      onClose();
    } catch (err) {
      setError(fieldMessage(fieldErrorsOf(err).to, 'The address') ?? toAppError(err).message);
    }
  };
  return (
    <Modal opened={message !== null} onClose={onClose} title="Change the recipient" closeButtonProps={{ 'aria-label': 'Close' }} centered>
      {/* noValidate: the browser's own bubble would speak before the app's message under the field. */}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {message?.subject}
          </Text>
          <TextInput
            label="Send to"
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            inputMode="email"
            autoComplete="off"
            data-autofocus
            withAsterisk
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={setRecipient.isPending}>
              Save and send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Cancelling a message cannot be undone: the clerk says so once more. */
export function CancelMessageModal({
  message,
  busy,
  onConfirm,
  onClose,
}: {
  message: OutboxMessageView | null;
  busy: boolean;
  onConfirm(message: OutboxMessageView): void;
  onClose(): void;
}) {
  return (
    <Modal opened={message !== null} onClose={onClose} title="Cancel this message?" closeButtonProps={{ 'aria-label': 'Close' }} centered>
      <Stack>
        <Text size="sm">
          “{message?.subject}” to {message?.to || 'no address'} will not be sent. This cannot be undone; to send it later, queue
          the document again from the account.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep the message
          </Button>
          <Button color="red.9" loading={busy} onClick={() => message && onConfirm(message)}>
            Cancel the message
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
