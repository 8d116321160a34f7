import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { SessionStateDto } from '../../../../shared/contract/auth';
import { call, toAppError } from '../../lib/api';
import { fieldMessage } from '../../lib/fieldErrors';

/**
 * Over the screen, never instead of it: what was typed and the screen's place stay as they were, and
 * only the owner's password (or signing out) takes the overlay away.
 */
export function LockOverlay({ session, onSignOut }: { session: SessionStateDto; onSignOut(): void }) {
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (password === '') {
      setProblem('Enter your password');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await call('auth.unlock', { password });
      setPassword('');
      await client.invalidateQueries({ queryKey: ['auth.status'] });
      // What failed while the window was locked is asked again; the rest stays as it is.
      await client.refetchQueries({ type: 'active', predicate: (q) => q.state.status === 'error' });
    } catch (err) {
      setProblem(fieldMessage(toAppError(err).message) ?? null);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened
      onClose={() => undefined}
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      centered
      title="AR Desk is locked"
      overlayProps={{ backgroundOpacity: 0.55, blur: 6 }}
      data-testid="lock-overlay"
    >
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          <Text size="sm">
            {session.lockReason === 'idle' ? 'The window locked after being idle. ' : ''}
            {session.user.name} ({session.user.username}), enter your password to go on where you were.
          </Text>
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-autofocus
          />
          {problem && (
            <Alert color="red" variant="light" role="alert" data-testid="unlock-problem">
              {problem}
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="subtle" onClick={onSignOut} disabled={busy}>
              Sign out
            </Button>
            <Button type="submit" loading={busy}>
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
