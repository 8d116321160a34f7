import { Alert, Button, Code, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OfficeLedgerSaved, OfficeLedgerView, SettingsView } from '../../../../shared/contract/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { startFrom } from '../../lib/form';
import { SETTINGS_READS, useWrite } from '../../lib/queries';

/** Which ledger this window uses now, in words. */
function inUse(office: OfficeLedgerView): string {
  const { engine, where, origin } = office.current;
  if (engine === 'sqlite') return `This window uses this workstation's own ledger, the file ${where}.`;
  const server = `This window uses the office ledger on the PostgreSQL server ${where}`;
  return origin.source === 'environment'
    ? `${server}, named by AR_DESK_DATABASE_URL on this computer; while it is set, the address saved here is not used.`
    : `${server}.`;
}

/** What waits for the next start, if anything. */
function waiting(office: OfficeLedgerView): string | null {
  if (!office.restartNeeded) return null;
  return office.databaseUrl
    ? `Restart AR Desk to open the office ledger at ${office.databaseUrl}.`
    : "Restart AR Desk to go back to this workstation's own ledger.";
}

/** What the check of a saved address found, in words. */
function checkedText(saved: OfficeLedgerSaved): string {
  const c = saved.checked;
  if (!c) return "Cleared: AR Desk uses this workstation's own ledger from its next start.";
  if (c.schemaVersion === 0) return 'AR Desk reached the server. The database is empty: AR Desk sets up the ledger in it when it starts with this address.';
  if (c.schemaVersion < c.latestVersion) return `AR Desk reached the office ledger (schema ${c.schemaVersion}; it brings it up to ${c.latestVersion} when it starts).`;
  return `AR Desk reached the office ledger (schema ${c.schemaVersion}, up to date).`;
}

type Form = { databaseUrl: string; password: string };

/**
 * Which ledger this workstation opens: the office's PostgreSQL server (its address here, its password
 * in the keychain) or the workstation's own file. Main tries an address before saving it; the
 * password is written, never shown. Administrators change it; everyone sees which ledger is in use.
 */
export function OfficeLedgerSection({ view, canEdit }: { view: SettingsView; canEdit: boolean }) {
  const office = view.officeLedger;
  const form = useForm<Form>({ initialValues: { databaseUrl: office.databaseUrl ?? '', password: '' }, clearInputErrorOnChange: false });
  const setOfficeLedger = useWrite('settings.setOfficeLedger', { invalidates: SETTINGS_READS });
  const [outcome, setOutcome] = useState<string | null>(null);
  const values = form.getValues();
  const dirty = values.databaseUrl.trim() !== (office.databaseUrl ?? '') || values.password !== '';
  const later = waiting(office);
  const fallback = office.current.origin.source === 'fallback' ? office.current.origin.problem : null;

  const store = async (input: { databaseUrl: string | null; password?: string }) => {
    form.clearErrors();
    setOutcome(null);
    try {
      const saved = await setOfficeLedger.mutateAsync(input);
      startFrom(form, { databaseUrl: saved.officeLedger.databaseUrl ?? '', password: '' });
      setOutcome(checkedText(saved));
      notifications.show({
        color: 'teal',
        title: input.databaseUrl === null ? 'Office ledger cleared' : 'Office ledger saved',
        message: 'It takes effect when AR Desk is restarted.',
        closeButtonProps: { 'aria-label': 'Close message' },
        styles: { description: { color: 'var(--mantine-color-text)' } },
      });
    } catch (e) {
      const error = toAppError(e);
      const field = fieldErrorsOf(e).databaseUrl;
      // A refused password belongs to the password field; every other problem to the address.
      const onPassword = (error.details as { reason?: string } | undefined)?.reason === 'authentication';
      form.setFieldError(onPassword ? 'password' : 'databaseUrl', field ?? error.message);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ws-office-ledger">
      <Stack gap="md">
        <div>
          <Title order={4} size="h5" id="ws-office-ledger">
            Office ledger
          </Title>
          <Text size="sm" c="dimmed">
            Where this workstation keeps the ledger: the office's PostgreSQL server, shared by every workstation, or a file on this computer
            alone. A change takes effect when AR Desk is restarted.
          </Text>
        </div>
        {fallback ? (
          <Alert color="red" variant="light" title="The office ledger could not be opened" data-testid="ledger-in-use">
            {fallback} This window uses this workstation&apos;s own ledger instead: payments taken here are not in the office&apos;s ledger.
            Correct the address below or clear it, then restart AR Desk.
          </Alert>
        ) : (
          <Text size="sm" data-testid="ledger-in-use">
            {inUse(office)}
          </Text>
        )}
        {later && (
          <Alert color="yellow" variant="light" data-testid="ledger-restart">
            {later}
          </Alert>
        )}
        {canEdit ? (
          <form
            noValidate
            onSubmit={form.onSubmit((f) => {
              if (dirty && !setOfficeLedger.isPending) void store({ databaseUrl: f.databaseUrl, ...(f.password !== '' ? { password: f.password } : {}) });
            })}
          >
            <Stack gap="md">
              <TextInput
                label="Server address"
                description="postgres://USER@HOST:PORT/DATABASE, without the password. Empty: this workstation's own ledger."
                placeholder="postgres://ar_desk@ledger.office.lan:5432/ar_desk"
                {...form.getInputProps('databaseUrl')}
                autoComplete="off"
                spellCheck={false}
              />
              <PasswordInput
                label="Password"
                description={
                  office.passwordSet
                    ? 'Leave empty to keep the saved password; type a new one to replace it'
                    : 'Kept encrypted by this computer’s keychain, never in the settings file'
                }
                {...form.getInputProps('password')}
                autoComplete="new-password"
                maw={480}
              />
              <Text size="sm" c={office.passwordSet ? 'teal.9' : 'dimmed'} data-testid="ledger-password-status" aria-live="polite">
                {office.passwordSet ? 'A password is saved' : 'No password saved'}
              </Text>
              {outcome && (
                <Text size="sm" role="status" data-testid="ledger-check">
                  {outcome}
                </Text>
              )}
              <Group justify="flex-end">
                {office.databaseUrl !== null && (
                  <Button variant="subtle" color="red" disabled={setOfficeLedger.isPending} onClick={() => void store({ databaseUrl: null })}>
                    Clear: use this workstation&apos;s own ledger
                  </Button>
                )}
                <Button
                  variant="default"
                  disabled={!dirty || setOfficeLedger.isPending}
                  onClick={() => {
                    form.reset();
                    form.clearErrors();
                  }}
                >
                  Undo changes
                </Button>
                <Button type="submit" disabled={!dirty || values.databaseUrl.trim() === ''} loading={setOfficeLedger.isPending}>
                  Try and save
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Text size="sm" c="dimmed" data-testid="ledger-saved-address">
            {office.databaseUrl ? (
              <>
                Saved address: <Code>{office.databaseUrl}</Code>.{' '}
              </>
            ) : null}
            Only an administrator can change the office ledger.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
