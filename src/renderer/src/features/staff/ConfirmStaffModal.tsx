import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { StaffUserDto } from '../../../../shared/contract/auth';
import { toAppError } from '../../lib/api';
import { useWrite } from '../../lib/queries';
import { STAFF_READS } from './staffText';

export type ConfirmKind = 'disable' | 'enable' | 'clearTotp';

const WORDS: Record<ConfirmKind, { title: (u: StaffUserDto) => string; body: (u: StaffUserDto) => string; button: string; done: (u: StaffUserDto) => string }> = {
  disable: {
    title: (u) => `Disable ${u.username}?`,
    body: (u) =>
      `${u.name} can no longer sign in, and any window they have open is signed out now. Their name stays on what they did in the ledger and the audit log. You can enable the account again later.`,
    button: 'Disable the account',
    done: (u) => `${u.username} is disabled.`,
  },
  enable: {
    title: (u) => `Enable ${u.username}?`,
    body: (u) => `${u.name} can sign in again with their password.`,
    button: 'Enable the account',
    done: (u) => `${u.username} can sign in again.`,
  },
  clearTotp: {
    title: (u) => `Turn off the authenticator code of ${u.username}?`,
    body: (u) =>
      `For a lost or replaced phone: ${u.name} signs in with their password alone until they set up an authenticator app again (an administrator must, where the office requires it).`,
    button: 'Turn off the code',
    done: (u) => `${u.username} signs in without an authenticator code now.`,
  },
};

/** An action on an account that needs no input, said in words before it is done. */
export function ConfirmStaffModal({ kind, user, onClose }: { kind: ConfirmKind; user: StaffUserDto; onClose(): void }) {
  const update = useWrite('staff.update', { invalidates: STAFF_READS });
  const clearTotp = useWrite('staff.clearTotp', { invalidates: STAFF_READS });
  const [problem, setProblem] = useState<string | null>(null);
  const busy = update.isPending || clearTotp.isPending;
  const words = WORDS[kind];
  const confirm = async () => {
    setProblem(null);
    try {
      if (kind === 'clearTotp') await clearTotp.mutateAsync({ username: user.username });
      else await update.mutateAsync({ username: user.username, active: kind === 'enable' });
      notifications.show({ color: 'teal', message: words.done(user), closeButtonProps: { 'aria-label': 'Close message' } });
      onClose();
    } catch (e) {
      setProblem(toAppError(e).message);
    }
  };
  return (
    <Modal opened onClose={busy ? () => undefined : onClose} title={words.title(user)} closeButtonProps={{ 'aria-label': 'Close' }} centered>
      <Stack gap="sm">
        <Text size="sm">{words.body(user)}</Text>
        {problem && (
          <Alert color="red" variant="light" role="alert" data-testid="staff-form-problem">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
            Cancel
          </Button>
          <Button color={kind === 'disable' ? 'red' : undefined} onClick={() => void confirm()} loading={busy} data-testid="staff-confirm">
            {words.button}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
