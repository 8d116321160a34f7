import { Alert, Button, Divider, Group, NumberInput, PasswordInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { SETTINGS_READS, useWrite } from '../../lib/queries';
import { SettingsSection } from './SettingsSection';
import { useOfficeForm } from './useSectionForm';

type ServerForm = {
  smtpHost: string;
  smtpPort: number | string;
  secure: boolean;
  user: string;
  from: string;
};

const TLS_PORT = 465;
const STARTTLS_PORT = 587;

/** The saved password is never shown or sent back: only whether one is saved, and a way to replace or clear it. */
function SmtpPassword({ isSet }: { isSet: boolean }) {
  const [editing, setEditing] = useState(false);
  const form = useForm({ initialValues: { password: '' }, clearInputErrorOnChange: false });
  const setSmtpPassword = useWrite('settings.setSmtpPassword', { invalidates: SETTINGS_READS });
  const busy = setSmtpPassword.isPending;
  const error = form.errors.password;
  const password = form.getValues().password;

  const store = async (value: string) => {
    form.clearErrors();
    try {
      const { smtpPasswordSet } = await setSmtpPassword.mutateAsync({ password: value });
      form.reset();
      setEditing(false);
      notifications.show({
        color: 'teal',
        title: smtpPasswordSet ? 'Password saved' : 'Password cleared',
        message: smtpPasswordSet ? 'It is kept encrypted by this computer and used for the next email.' : 'Email is sent without logging in.',
      });
    } catch (e) {
      form.setFieldError('password', fieldErrorsOf(e).password ?? toAppError(e).message);
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
          onSubmit={form.onSubmit(({ password: typed }) => {
            if (typed !== '') void store(typed);
          })}
        >
          <Group align="flex-end" gap="xs">
            <PasswordInput
              label="New password"
              description="Kept encrypted by this computer's keychain, never in the settings file"
              {...form.getInputProps('password')}
              autoComplete="new-password"
              w={360}
              data-autofocus
            />
            <Button type="submit" disabled={password === ''} loading={busy}>
              Save password
            </Button>
            <Button
              variant="default"
              onClick={() => {
                form.reset();
                setEditing(false);
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
  const form = useForm({ initialValues: { to: defaultTo }, clearInputErrorOnChange: false });
  // A test message changes nothing on screen; its answer is the write's result.
  const test = useWrite('settings.testEmail', { invalidates: [] });
  const result = test.data;

  const send = async (to: string) => {
    form.clearErrors();
    try {
      await test.mutateAsync({ to });
    } catch (e) {
      form.setFieldError('to', fieldErrorsOf(e).to ?? toAppError(e).message);
    }
  };

  return (
    <Stack gap="xs">
      <form
        noValidate
        onSubmit={form.onSubmit(({ to }) => {
          if (!unsaved) void send(to);
        })}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Send a test message to"
            description={unsaved ? 'Save the email server first: the test uses the saved settings' : 'Uses the saved settings and password'}
            type="email"
            {...labelledField(form, 'to', 'Address')}
            w={360}
          />
          <Button type="submit" variant="default" disabled={unsaved || form.getValues().to.trim() === ''} loading={test.isPending}>
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
  const { form, section } = useOfficeForm<ServerForm>(view, {
    valuesOf: (v) => {
      const e = v.settings.email;
      return { smtpHost: e.smtpHost, smtpPort: e.smtpPort, secure: e.secure, user: e.user, from: e.from };
    },
    changesOf: (f, changed) => {
      const email: NonNullable<OfficeSettingsChanges['email']> = {};
      if (changed('smtpHost')) email.smtpHost = f.smtpHost;
      if (changed('smtpPort')) email.smtpPort = Number(f.smtpPort);
      if (changed('secure')) email.secure = f.secure;
      if (changed('user')) email.user = f.user;
      if (changed('from')) email.from = f.from;
      return { email };
    },
    fields: { 'email.smtpHost': 'smtpHost', 'email.smtpPort': 'smtpPort', 'email.user': 'user', 'email.from': 'from' },
    validate: { smtpPort: (port) => (port === '' ? 'enter the port number (usually 587, or 465 with TLS from the start)' : null) },
    notice: { title: 'Email server saved', message: 'Queued and new emails go out through it.' },
  });
  const values = form.getValues();

  return (
    <SettingsSection
      id="office-email"
      title="Email server"
      description="The outgoing (SMTP) server that sends confirmations and statements. Leave the server empty to keep emails waiting in the outbox."
      saveLabel="Save email server"
      {...section}
      extra={
        <Stack gap="md" mt="md">
          <Divider />
          <SmtpPassword isSet={view.smtpPasswordSet} />
          <Divider />
          <TestMessage defaultTo={view.settings.company.email} unsaved={section.dirty} />
        </Stack>
      }
    >
      <SimpleGrid cols={2} spacing="md">
        <TextInput label="Server" description="e.g. smtp.office365.com" {...labelledField(form, 'smtpHost', 'Server')} autoComplete="off" />
        <NumberInput
          label="Port"
          description="Usually 587, or 465 with TLS from the start"
          {...labelledField(form, 'smtpPort', 'Port')}
          allowDecimal={false}
          allowNegative={false}
          hideControls
          maw={300}
        />
        <Switch
          style={{ gridColumn: '1 / -1' }}
          label="TLS from the start"
          description="On for port 465. Off: the connection switches to TLS (STARTTLS) when the server offers it."
          checked={values.secure}
          onChange={(e) => {
            const secure = e.currentTarget.checked;
            // The usual port follows the switch, unless someone chose another one on purpose.
            const port = values.smtpPort;
            const smtpPort = secure && port === STARTTLS_PORT ? TLS_PORT : !secure && port === TLS_PORT ? STARTTLS_PORT : port;
            form.setValues({ secure, smtpPort });
          }}
        />
        <TextInput
          label="User name"
          description="Often the mailbox address; empty when the server needs no login"
          {...labelledField(form, 'user', 'User name')}
          autoComplete="off"
        />
        <TextInput label="Send from" description="The name and address customers see" {...labelledField(form, 'from', 'Send from')} autoComplete="off" />
      </SimpleGrid>
    </SettingsSection>
  );
}
