import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { call, toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { TotpEnrollment } from './TotpEnrollment';

/** After a sign-in or sign-out every answer belonged to someone else: all are forgotten and asked again. */
export function useSessionChanged(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.resetQueries();
}

function AuthCard({ title, intro, children, width = 420 }: { title: string; intro?: string; children: ReactNode; width?: number }) {
  return (
    <Center mih="100vh" bg="var(--mantine-color-gray-1)">
      <Paper withBorder shadow="sm" p="xl" w={width} component="main">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            AR Desk · Accounts receivable
          </Text>
          <Title order={1} size="h3">
            {title}
          </Title>
          {intro && <Text size="sm">{intro}</Text>}
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

function Problem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid="auth-problem">
      {message}
    </Alert>
  );
}

/** The very first run: no staff account exists yet, and the one made here is an administrator. */
export function FirstAdminScreen() {
  const changed = useSessionChanged();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { username: '', name: '', password: '', confirm: '' },
    validate: {
      username: (v) => (v.trim() === '' ? 'is required' : null),
      name: (v) => (v.trim() === '' ? 'is required' : null),
      password: (v) => (v === '' ? 'is required' : null),
      confirm: (v, values) => (v !== values.password ? 'The two passwords are not the same' : null),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    try {
      await call('auth.setupFirstAdmin', { username: v.username, name: v.name, password: v.password });
      await changed();
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else setProblem(toAppError(e).message);
    }
  });
  return (
    <AuthCard
      title="Create the first administrator"
      intro="No one has an account on this ledger yet. The administrator made here adds the other staff."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Username" autoComplete="username" data-autofocus {...labelledField(form, 'username', 'Username')} />
          <TextInput label="Full name" autoComplete="name" {...labelledField(form, 'name', 'Full name')} />
          <PasswordInput label="Password" autoComplete="new-password" {...labelledField(form, 'password', 'Password')} />
          <PasswordInput label="Password again" autoComplete="new-password" {...labelledField(form, 'confirm', 'Password again')} />
          <Problem message={problem} />
          <Button type="submit" loading={form.submitting}>
            Create the administrator
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

/** Username and password, and the authenticator code when main asks for one. */
export function SignInScreen() {
  const changed = useSessionChanged();
  const [problem, setProblem] = useState<string | null>(null);
  const [askCode, setAskCode] = useState(false);
  const form = useForm({
    initialValues: { username: '', password: '', code: '' },
    validate: {
      username: (v) => (v.trim() === '' ? 'is required' : null),
      password: (v) => (v === '' ? 'is required' : null),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    try {
      await call('auth.signIn', { username: v.username, password: v.password, ...(askCode && v.code.trim() ? { code: v.code.trim() } : {}) });
      await changed();
    } catch (e) {
      const err = toAppError(e);
      if ((err.details as { needs?: unknown } | undefined)?.needs === 'code') setAskCode(true);
      const fields = fieldErrorsOf(err);
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else setProblem(err.message);
      form.setFieldValue('password', err.code === 'UNAUTHENTICATED' && askCode ? v.password : '');
    }
  });
  return (
    <AuthCard title="Sign in">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Username" autoComplete="username" data-autofocus {...labelledField(form, 'username', 'Username')} />
          <PasswordInput label="Password" autoComplete="current-password" {...labelledField(form, 'password', 'Password')} />
          {askCode && (
            <TextInput label="Code from the authenticator app" inputMode="numeric" autoComplete="one-time-code" maxLength={6} {...labelledField(form, 'code', 'Code')} />
          )}
          <Problem message={problem} />
          <Button type="submit" loading={form.submitting}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

/** A temporary password (the first one, or one an administrator reset) is changed before anything else. */
export function ChangePasswordScreen({ name, onSignOut }: { name: string; onSignOut(): void }) {
  const changed = useSessionChanged();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v === '' ? 'is required' : null),
      newPassword: (v) => (v === '' ? 'is required' : null),
      confirm: (v, values) => (v !== values.newPassword ? 'The two passwords are not the same' : null),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    try {
      await call('auth.changePassword', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      await changed();
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      else setProblem(toAppError(e).message);
    }
  });
  return (
    <AuthCard title="Choose your own password" intro={`${name}, your password is temporary. Choose your own before going on.`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Temporary password" autoComplete="current-password" data-autofocus {...labelledField(form, 'currentPassword', 'Temporary password')} />
          <PasswordInput label="New password" autoComplete="new-password" {...labelledField(form, 'newPassword', 'New password')} />
          <PasswordInput label="New password again" autoComplete="new-password" {...labelledField(form, 'confirm', 'New password again')} />
          <Problem message={problem} />
          <Button type="submit" loading={form.submitting}>
            Change the password
          </Button>
          <Button variant="subtle" onClick={onSignOut}>
            Sign out
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

/**
 * The office requires administrators to sign in with an authenticator code and this one has none
 * yet: main answers nothing else until they set one up, so the window offers only that (or signing out).
 */
export function TotpRequiredScreen({ name, username, onSignOut }: { name: string; username: string; onSignOut(): void }) {
  return (
    <AuthCard
      width={520}
      title="Set up your authenticator app"
      intro={`${name}, this office has administrators sign in with a code from an authenticator app as well as their password. Set one up to go on; from then on you sign in with both.`}
    >
      <TotpEnrollment username={username} />
      <Button variant="subtle" onClick={onSignOut}>
        Sign out
      </Button>
    </AuthCard>
  );
}
