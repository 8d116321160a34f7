import { ActionIcon, Alert, Badge, Button, Group, Menu, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { StaffUserDto } from '../../../../shared/contract/auth';
import { toAppError } from '../../lib/api';
import { useChannel, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { ErrorNotice, Loading } from '../../components/states';
import { AddStaffModal, EditStaffModal, ResetPasswordModal } from './StaffForms';
import { ConfirmStaffModal, type ConfirmKind } from './ConfirmStaffModal';
import { StaffPolicySection } from './StaffPolicySection';
import { ROLE_NAMES, STAFF_READS } from './staffText';

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; user: StaffUserDto }
  | { kind: 'reset'; user: StaffUserDto }
  | { kind: ConfirmKind; user: StaffUserDto }
  | null;

/** Says what an account's row means for its owner today: can they sign in, and what comes first. */
function StatusBadges({ user }: { user: StaffUserDto }) {
  const format = useFormat();
  return (
    <Group gap={4} wrap="wrap">
      {user.active ? (
        <Badge variant="light" color="teal">
          Active
        </Badge>
      ) : (
        <Badge variant="light" color="gray">
          Disabled
        </Badge>
      )}
      {user.lockedUntil && (
        <Badge variant="light" color="red" title="Locked after too many failed sign-ins">
          Locked until {format.timestamp(user.lockedUntil)}
        </Badge>
      )}
      {user.mustChangePassword && (
        <Badge variant="light" color="yellow" title="They choose their own password at their next sign-in">
          Temporary password
        </Badge>
      )}
    </Group>
  );
}

function RowActions({ user, onOpen, onUnlock }: { user: StaffUserDto; onOpen(d: Dialog): void; onUnlock(): void }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="default" size="md" aria-label={`Actions for ${user.username}`} data-testid="staff-actions">
          <span aria-hidden>⋯</span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onOpen({ kind: 'edit', user })}>Change name or role</Menu.Item>
        <Menu.Item onClick={() => onOpen({ kind: 'reset', user })}>Reset password</Menu.Item>
        {user.lockedUntil && <Menu.Item onClick={onUnlock}>Unlock</Menu.Item>}
        {user.totpEnabled && <Menu.Item onClick={() => onOpen({ kind: 'clearTotp', user })}>Turn off authenticator code</Menu.Item>}
        <Menu.Divider />
        {user.active ? (
          <Menu.Item color="red" onClick={() => onOpen({ kind: 'disable', user })}>
            Disable account
          </Menu.Item>
        ) : (
          <Menu.Item onClick={() => onOpen({ kind: 'enable', user })}>Enable account</Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The office's staff accounts, for administrators: who can sign in, with which role, and the
 * office's sign-in policy. Main holds every rule (and refuses anyone else); this screen only asks.
 */
export function StaffScreen() {
  const format = useFormat();
  const list = useChannel('staff.list', {});
  const unlock = useWrite('staff.unlock', { invalidates: STAFF_READS });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => setDialog(null);

  const doUnlock = async (user: StaffUserDto) => {
    setProblem(null);
    try {
      await unlock.mutateAsync({ username: user.username });
      notifications.show({ color: 'teal', message: `${user.name} (${user.username}) can sign in again.`, closeButtonProps: { 'aria-label': 'Close message' } });
    } catch (e) {
      setProblem(`${user.username} was not unlocked: ${toAppError(e).message}`);
    }
  };

  return (
    <Stack gap="md" maw={1180}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Staff</Title>
          <Text size="sm" c="dimmed">
            Who can sign in to AR Desk here, and as what. Every change is recorded in the audit log.
          </Text>
        </div>
        <Button onClick={() => setDialog({ kind: 'add' })} data-testid="staff-add">
          Add a staff member
        </Button>
      </Group>
      {problem && (
        <Alert color="red" variant="light" role="alert" withCloseButton onClose={() => setProblem(null)} closeButtonLabel="Close message" data-testid="staff-problem">
          {problem}
        </Alert>
      )}
      {list.error ? (
        <ErrorNotice error={list.error} title="The staff list could not be read" onRetry={list.reload} />
      ) : !list.data ? (
        <Loading what="staff" />
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="xs" data-testid="staff-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Username</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                  <Table.Th>Authenticator</Table.Th>
                  <Table.Th w={60}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.users.map((u) => (
                  <Table.Tr key={u.id} data-testid="staff-row" data-username={u.username}>
                    <Table.Td ff="monospace">{u.username}</Table.Td>
                    <Table.Td>{u.name}</Table.Td>
                    <Table.Td>{ROLE_NAMES[u.role]}</Table.Td>
                    <Table.Td>
                      <StatusBadges user={u} />
                    </Table.Td>
                    <Table.Td>{u.lastSignInAt ? format.timestamp(u.lastSignInAt) : <Text span c="dimmed" size="sm">Never</Text>}</Table.Td>
                    <Table.Td data-testid="staff-totp">{u.totpEnabled ? 'On' : <Text span c="dimmed" size="sm">Off</Text>}</Table.Td>
                    <Table.Td>
                      <RowActions user={u} onOpen={setDialog} onUnlock={() => void doUnlock(u)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <StaffPolicySection />
      {dialog?.kind === 'add' && <AddStaffModal onClose={close} />}
      {dialog?.kind === 'edit' && <EditStaffModal user={dialog.user} onClose={close} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={close} />}
      {(dialog?.kind === 'disable' || dialog?.kind === 'enable' || dialog?.kind === 'clearTotp') && (
        <ConfirmStaffModal kind={dialog.kind} user={dialog.user} onClose={close} />
      )}
    </Stack>
  );
}
