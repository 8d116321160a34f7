import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';

/**
 * A supervisor's action on an invoice that asks why (void, mark or clear a dispute). A clerk gets the
 * supervisor's approval in place; main's refusal (money still applied, a payment in flight) is shown
 * here in its own words, and nothing is changed.
 */
export function ReasonModal({
  title,
  question,
  action,
  confirmLabel,
  reasonRequired,
  danger,
  send,
  onDone,
  onClose,
}: {
  title: string;
  question: ReactNode;
  /** "Voiding an invoice": how the approval dialog names it. */
  action: string;
  confirmLabel: string;
  reasonRequired: boolean;
  danger?: boolean;
  send(reason: string, approval?: ApprovalInput): Promise<unknown>;
  onDone(): void;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  /** Sends it (with a supervisor's approval, when given); answers with the approval's refusal to show in its dialog. */
  const attempt = async (approval?: ApprovalInput): Promise<string | null> => {
    setBusy(true);
    try {
      await send(reason.trim(), approval);
      setAsking(false);
      onDone();
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      const fields = fieldErrorsOf(err);
      if (fields.reason) setReasonError(fieldMessage(fields.reason, 'The reason') ?? null);
      else setProblem(toAppError(err).message);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (reasonRequired && reason.trim() === '') {
      setReasonError('Enter the reason; it is kept with the invoice and in the audit log');
      return;
    }
    setProblem(null);
    void attempt();
  };

  return (
    <Modal opened onClose={() => !busy && onClose()} title={title} centered size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {asking && <ApprovalDialog action={action} onApprove={attempt} onCancel={() => setAsking(false)} />}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text fw={600}>{question}</Text>
          <Textarea
            label="Reason"
            description="Kept with the invoice and in the audit log."
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(null);
            }}
            error={reasonError}
            autosize
            minRows={2}
            maxLength={1000}
            withAsterisk={reasonRequired}
            data-autofocus
          />
          {problem && (
            <Alert color="red" variant="light" title="Not done" role="alert" data-testid="invoice-action-problem">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color={danger ? 'red.9' : undefined} loading={busy} data-testid="reason-ok">
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
