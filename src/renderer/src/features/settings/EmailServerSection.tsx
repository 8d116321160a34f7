import { Alert, Button, Divider, Group, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OfficeSettingsChanges, SettingsView, TestEmailResult } from '../../../../shared/contract/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { SETTINGS_READS, useWrite } from '../../lib/queries';
import { SettingsSection } from './SettingsSection';
import { useOfficeSave } from './useOfficeSave';

interface ServerForm {
  smtpHost: string;
  smtpPort: number | string;
  secure: boolean;
  user: string;
  from: string;
}

function serverOf(view: SettingsView): ServerForm {
  const e = view.settings.email;
  return { smtpHost: e.smtpHost, smtpPort: e.smtpPort, secure: e.secure, user: e.user, from: e.from };
}

const TLS_PORT = 465;
const STARTTLS_PORT = 587;

/** The saved password is never shown or sent back: only whether one is saved, and a way to replace or clear it. */
function SmtpPassword({ isSet }: { isSet: boolean }) {
  const [editing, setEditing] = useState(false);
  const [password, setPassword] = useState('');
  const setSmtpPassword = useWrite('settings.setSmtpPassword', { invalidates: SETTINGS_READS });
  const busy = setSmtpPassword.isPending;
  const [error, setError] = useState<string | null>(null);

  const store = async (value: string) => {
    setError(null);
    try {
      const { smtpPasswordSet } = await setSmtpPassword.mutateAsync({ password: value });
      setPassword('');
      setEditing(false);
      notifications.show({
        color: 'teal',
        title: smtpPasswordSet ? 'Password saved' : 'Password cleared',
        message: smtpPasswordSet ? 'It is kept encrypted by this computer and used for the next email.' : 'Email is sent without logging in.',
      });
    } catch (e) {
      setError(fieldErrorsOf(e).password ?? toAppError(e).message);
    }
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="center">
        <Group gap="sm">
          <Text size="sm" fw={500}>
            Password
          </Text>
          <Text size="sm" c={isSet ? 'teal.9' : 'dimmed'} data-testid="smtp-password-status" aria-live="polite">
            {isSet ? 'A password is saved' : 'No password saved'}
          </Text>
        </Group>
        {!editing && (
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => setEditing(true)}>
              {isSet ? 'Change password' : 'Set password'}
            </Button>
            {isSet && (
              <Button variant="subtle" color="red" size="xs" loading={busy} onClick={() => void store('')}>
                Clear password
              </Button>
            )}
          </Group>
        )}
      </Group>
      {editing && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (password !== '') void store(password);
          }}
        >
          <Group align="flex-end" gap="xs">
            <PasswordInput
              label="New password"
              description="Kept encrypted by this computer's keychain, never in the settings file"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              error={error ?? undefined}
              w={360}
              data-autofocus
            />
            <Button type="submit" disabled={password === ''} loading={busy}>
              Save password
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setPassword('');
                setEditing(false);
                setError(null);
              }}
            >
              Cancel
            </Button>
          </Group>
        </form>
      )}
      {!editing && error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** Sends one message now through the saved settings and shows what the server answered. */
function TestMessage({ defaultTo, unsaved }: { defaultTo: string; unsaved: boolean }) {
  const [to, setTo] = useState(defaultTo);
  // A test message changes nothing on screen.
  const test = useWrite('settings.testEmail', { invalidates: [] });
  const busy = test.isPending;
  const [result, setResult] = useState<TestEmailResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    setError(null);
    setResult(null);
    try {
      setResult(await test.mutateAsync({ to }));
    } catch (e) {
      setError(fieldErrorsOf(e).to ?? toAppError(e).message);
    }
  };

  return (
    <Stack gap="xs">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!unsaved) void send();
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Send a test message to"
            description={unsaved ? 'Save the email server first: the test uses the saved settings' : 'Uses the saved settings and password'}
            type="email"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={fieldMessage(error ?? undefined, 'Address')}
            w={360}
          />
          <Button type="submit" variant="default" disabled={unsaved || to.trim() === ''} loading={busy}>
            Send test message
          </Button>
        </Group>
      </form>
      {result && (
        <Alert color={result.sent ? 'teal' : 'red'} variant="light" role="status" title={result.sent ? 'The server accepted the test message' : 'The test message was not sent'}>
          {result.sent ? `The server answered: ${result.serverAnswer}` : result.reason}
        </Alert>
      )}
    </Stack>
  );
}

export function EmailServerSection({ view }: { view: SettingsView }) {
  const [saved, setSaved] = useState(() => serverOf(view));
  const [form, setForm] = useState(saved);
  const { errors, problem, saving, save, setErrors } = useOfficeSave();
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const text = (k: 'smtpHost' | 'user' | 'from') => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });

  const onSave = async () => {
    if (form.smtpPort === '') {
      setErrors({ 'email.smtpPort': 'enter the port number (usually 587, or 465 with TLS from the start)' });
      return;
    }
    const email: NonNullable<OfficeSettingsChanges['email']> = {};
    if (form.smtpHost !== saved.smtpHost) email.smtpHost = form.smtpHost;
    if (form.smtpPort !== saved.smtpPort) email.smtpPort = Number(form.smtpPort);
    if (form.secure !== saved.secure) email.secure = form.secure;
    if (form.user !== saved.user) email.user = form.user;
    if (form.from !== saved.from) email.from = form.from;
    const next = await save({ email }, { title: 'Email server saved', message: 'Queued and new emails go out through it.' });
    if (next) {
      setSaved(serverOf(next));
      setForm(serverOf(next));
    }
  };

  return (
    <SettingsSection
      id="office-email"
      title="Email server"
      description="The outgoing (SMTP) server that sends confirmations and statements. Leave the server empty to keep emails waiting in the outbox."
      problem={problem}
      dirty={dirty}
      saving={saving}
      saveLabel="Save email server"
      onSave={() => void onSave()}
      onUndo={() => {
        setForm(saved);
        setErrors({});
      }}
      extra={
        <Stack gap="md" mt="md">
          <Divider />
          <SmtpPassword isSet={view.smtpPasswordSet} />
          <Divider />
          <TestMessage defaultTo={view.settings.company.email} unsaved={dirty} />
        </Stack>
      }
    >
      <SimpleGrid cols={2} spacing="md">
        <TextInput
          label="Server"
          description="e.g. smtp.office365.com"
          value={form.smtpHost}
          onChange={text('smtpHost')}
          error={fieldMessage(errors['email.smtpHost'], 'Server')}
          autoComplete="off"
        />
        <NumberInput
          label="Port"
          description="Usually 587, or 465 with TLS from the start"
          value={form.smtpPort}
          onChange={(v) => setForm({ ...form, smtpPort: v })}
          allowDecimal={false}
          allowNegative={false}
          hideControls
          maw={300}
          error={fieldMessage(errors['email.smtpPort'], 'Port')}
        />
        <Switch
          style={{ gridColumn: '1 / -1' }}
          label="TLS from the start"
          description="On for port 465. Off: the connection switches to TLS (STARTTLS) when the server offers it."
          checked={form.secure}
          onChange={(e) => {
            const secure = e.currentTarget.checked;
            // The usual port follows the switch, unless someone chose another one on purpose.
            const smtpPort = secure && form.smtpPort === STARTTLS_PORT ? TLS_PORT : !secure && form.smtpPort === TLS_PORT ? STARTTLS_PORT : form.smtpPort;
            setForm({ ...form, secure, smtpPort });
          }}
        />
        <TextInput
          label="User name"
          description="Often the mailbox address; empty when the server needs no login"
          value={form.user}
          onChange={text('user')}
          error={fieldMessage(errors['email.user'], 'User name')}
          autoComplete="off"
        />
        <TextInput
          label="Send from"
          description="The name and address customers see"
          value={form.from}
          onChange={text('from')}
          error={fieldMessage(errors['email.from'], 'Send from')}
          autoComplete="off"
        />
      </SimpleGrid>
    </SettingsSection>
  );
}
