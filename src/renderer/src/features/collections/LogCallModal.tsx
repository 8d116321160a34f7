import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { NOTE_MAX_LENGTH } from '../../../../shared/contract/notes';
import type { WorklistRowDto } from '../../../../shared/contract/dunning';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { LEDGER_READS, useWrite } from '../../lib/queries';

/** "Log a call": a call note on the account (notes.add), which also closes the worklist's call task. Enter saves; Shift+Enter starts a new line. */
export function LogCallModal({ row, onClose }: { row: WorklistRowDto; onClose: () => void }) {
  const add = useWrite('notes.add', { invalidates: LEDGER_READS });
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      await add.mutateAsync({ customerNumber: row.customerNumber, kind: 'call', text });
      onClose();
    } catch (e) {
      setError(fieldErrorsOf(e).text ?? toAppError(e).message);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Log a call: ${row.customerNumber} ${row.legalName}`} closeButtonProps={{ 'aria-label': 'Close' }} size="lg" data-testid="log-call-modal">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {row.phone ? `Phone ${row.phone}. ` : ''}The call is added to the account's notes as written; it cannot be edited or deleted.
        </Text>
        <Textarea
          label="What was said on the call"
          autosize
          minRows={3}
          maxRows={10}
          maxLength={NOTE_MAX_LENGTH}
          value={text}
          data-autofocus
          error={error}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void save();
            }
          }}
        />
        {add.isError && !error && (
          <Alert color="red" variant="light" role="alert">
            {toAppError(add.error).message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} loading={add.isPending} data-testid="log-call-save">
            Save the call
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
