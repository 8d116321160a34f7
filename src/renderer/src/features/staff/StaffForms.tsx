import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { StaffRole, StaffUserDto } from '../../../../shared/contract/auth';
import { PASSWORD_RULE } from '../../../../shared/passwords';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { useWrite } from '../../lib/queries';
import { ROLE_CHOICES, STAFF_READS } from './staffText';

function done(message: string): void {
  notifications.show({ color: 'teal', message, closeButtonProps: { 'aria-label': 'Close message' } });
}

/**
 * Puts main's refusal where it belongs: a field's message under that field, anything else in the
 * alert. What was typed stays as it was, so the administrator corrects one thing and saves again.
 */
function showRefusal<V>(form: UseFormReturnType<V>, setProblem: (p: string | null) => void, e: unknown, conflictField?: string): void {
  const error = toAppError(e);
  const fields = fieldErrorsOf(error);
  if (error.code === 'CONFLICT' && conflictField) fields[conflictField] = error.message;
  const known = Object.fromEntries(Object.entries(fields).filter(([k]) => k in (form.getValues() as object)));
  form.setErrors(known);
  setProblem(Object.keys(known).length === 0 ? error.message : null);
}

function FormModal({ title, problem, children, onClose, busy, saveLabel, onSubmit }: {
  title: string;
  problem: string | null;
  children: ReactNode;
  onClose(): void;
  busy: boolean;
  saveLabel: string;
  onSubmit(e?: FormEvent<HTMLFormElement>): void;
}) {
  return (
    <Modal opened onClose={busy ? () => undefined : onClose} title={title} closeButtonProps={{ 'aria-label': 'Close' }} centered size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {children}
          {problem && (
            <Alert color="red" variant="light" role="alert" data-testid="staff-form-problem">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="staff-form-save">
              {saveLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RolePicker<V>({ form }: { form: UseFormReturnType<V> }) {
  return (
    <Radio.Group label="Role" {...form.getInputProps('role')}>
      <Stack gap={6} mt={4}>
        {ROLE_CHOICES.map((r) => (
          <Radio key={r.value} value={r.value} label={r.label} description={r.description} />
        ))}
      </Stack>
    </Radio.Group>
  );
}

const passwordChecks = {
  password: (v: string) => (v === '' ? 'is required' : null),
  confirm: (v: string, values: { password: string }) => (v !== values.password ? 'The two passwords are not the same' : null),
};

function TemporaryPasswordFields<V>({ form, intro }: { form: UseFormReturnType<V>; intro: string }) {
  return (
    <>
      <Text size="sm">{intro}</Text>
      <PasswordInput
        label="Temporary password"
        description={`${PASSWORD_RULE[0]!.toUpperCase()}${PASSWORD_RULE.slice(1)}, not containing the username`}
        autoComplete="new-password"
        {...labelledField(form, 'password', 'Temporary password')}
      />
      <PasswordInput label="Temporary password again" autoComplete="new-password" {...labelledField(form, 'confirm', 'Temporary password again')} />
    </>
  );
}

/** A new account with a temporary password, which its owner replaces at their first sign-in. */
export function AddStaffModal({ onClose }: { onClose(): void }) {
  const create = useWrite('staff.create', { invalidates: STAFF_READS });
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { username: '', name: '', role: 'clerk' as StaffRole, password: '', confirm: '' },
    clearInputErrorOnChange: false,
    validate: {
      username: (v) => (v.trim() === '' ? 'is required' : null),
      name: (v) => (v.trim() === '' ? 'is required' : null),
      ...passwordChecks,
    },
  });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    try {
      const user = await create.mutateAsync({ username: v.username.trim().toLowerCase(), name: v.name.trim(), role: v.role, password: v.password });
      done(`${user.name} (${user.username}) was added. Give them the temporary password; they choose their own when they first sign in.`);
      onClose();
    } catch (e) {
      showRefusal(form, setProblem, e, 'username');
    }
  });
  return (
    <FormModal title="Add a staff member" problem={problem} onClose={onClose} busy={create.isPending} saveLabel="Add the staff member" onSubmit={submit}>
      <Group grow align="flex-start">
        <TextInput
          label="Username"
          description="What they sign in with: lowercase, e.g. j.smith"
          autoComplete="off"
          data-autofocus
          {...labelledField(form, 'username', 'Username')}
        />
        <TextInput label="Full name" description="As the audit log and the footer show it" autoComplete="off" {...labelledField(form, 'name', 'Full name')} />
      </Group>
      <RolePicker form={form} />
      <TemporaryPasswordFields form={form} intro="Choose a temporary password and give it to them in person or by phone." />
    </FormModal>
  );
}

/** The display name and the role; only what changed is sent. */
export function EditStaffModal({ user, onClose }: { user: StaffUserDto; onClose(): void }) {
  const update = useWrite('staff.update', { invalidates: STAFF_READS });
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: user.name, role: user.role },
    clearInputErrorOnChange: false,
    validate: { name: (v) => (v.trim() === '' ? 'is required' : null) },
  });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    const name = v.name.trim();
    if (name === user.name && v.role === user.role) {
      onClose();
      return;
    }
    try {
      await update.mutateAsync({ username: user.username, ...(name !== user.name ? { name } : {}), ...(v.role !== user.role ? { role: v.role } : {}) });
      done(`${user.username} was changed.`);
      onClose();
    } catch (e) {
      showRefusal(form, setProblem, e);
    }
  });
  return (
    <FormModal title={`Change ${user.username}`} problem={problem} onClose={onClose} busy={update.isPending} saveLabel="Save the changes" onSubmit={submit}>
      <TextInput label="Full name" autoComplete="off" data-autofocus {...labelledField(form, 'name', 'Full name')} />
      <RolePicker form={form} />
    </FormModal>
  );
}

/** A new temporary password; it also lifts a lockout. Main refuses one of the account's last four. */
export function ResetPasswordModal({ user, onClose }: { user: StaffUserDto; onClose(): void }) {
  const reset = useWrite('staff.resetPassword', { invalidates: STAFF_READS });
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '', confirm: '' }, clearInputErrorOnChange: false, validate: passwordChecks });
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    try {
      await reset.mutateAsync({ username: user.username, password: v.password });
      done(`${user.name} (${user.username}) has a new temporary password and can sign in with it now; they choose their own at that sign-in.`);
      onClose();
    } catch (e) {
      showRefusal(form, setProblem, e);
    }
  });
  return (
    <FormModal
      title={`Reset the password of ${user.username}`}
      problem={problem}
      onClose={onClose}
      busy={reset.isPending}
      saveLabel="Reset the password"
      onSubmit={submit}
    >
      <TemporaryPasswordFields
        form={form}
        intro={`${user.name} signs in with this temporary password next, and chooses their own then. A lockout after failed sign-ins is lifted too.`}
      />
    </FormModal>
  );
}
