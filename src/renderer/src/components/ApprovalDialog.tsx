import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApprovalInput } from '../../../shared/contract/auth';
import { AppError } from '../../../shared/errors';

/** The refusal that a supervisor's approval can lift. */
export function needsSupervisorApproval(error: unknown): boolean {
  return error instanceof AppError && error.code === 'FORBIDDEN' && (error.details as { needs?: unknown } | undefined)?.needs === 'supervisor_approval';
}

/**
 * A supervisor approves a clerk's action at the clerk's screen with their own username, password
 * (and code, when they have an authenticator) and says why. `onApprove` re-sends the action with the
 * approval and answers with main's refusal, if any, shown here.
 */
export function ApprovalDialog({
  action,
  reason: suggestedReason,
  onApprove,
  onCancel,
}: {
  action: string;
  reason?: string;
  onApprove(approval: ApprovalInput): Promise<string | null>;
  onCancel(): void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [reason, setReason] = useState(suggestedReason ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password || reason.trim().length < 3) {
      setProblem('Enter the supervisor’s username and password, and why (a few words).');
      return;
    }
    setBusy(true);
    setProblem(null);
    const refusal = await onApprove({
      username: username.trim().toLowerCase(),
      password,
      reason: reason.trim(),
      ...(code.trim() ? { code: code.trim() } : {}),
    });
    setBusy(false);
    if (refusal) {
      setProblem(refusal);
      setPassword('');
    }
  };
  return (
    <Modal opened onClose={() => !busy && onCancel()} title="A supervisor must approve this" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={(e) => void submit(e)} data-testid="approval-dialog">
        <Stack gap="sm">
          <Text size="sm">
            {action} needs a supervisor. Ask one to enter their own username and password here; the audit log names you both.
          </Text>
          <TextInput label="Supervisor’s username" autoComplete="off" value={username} onChange={(e) => setUsername(e.currentTarget.value)} data-autofocus />
          <PasswordInput label="Supervisor’s password" autoComplete="off" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <TextInput
            label="Code from the authenticator app"
            description="Only if the supervisor has one."
            inputMode="numeric"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
          <Textarea label="Why it is approved" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={500} />
          {problem && (
            <Alert color="red" variant="light" role="alert" data-testid="approval-problem">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="approval-ok">
              Approve
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
