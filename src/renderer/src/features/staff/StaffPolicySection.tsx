import { Alert, Button, Checkbox, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { StaffPolicyDto } from '../../../../shared/contract/staff';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField, startFrom } from '../../lib/form';
import { useChannel, useWrite } from '../../lib/queries';
import { ErrorNotice, Loading } from '../../components/states';

/** PCI DSS 8.2.8: a window left alone locks within 15 minutes; main refuses more. */
const MAX_IDLE_MINUTES = 15;

function PolicyForm({ policy, selfHasCode }: { policy: StaffPolicyDto; selfHasCode: boolean }) {
  // The session's idle minutes and whether its owner must enroll come from auth.status.
  const save = useWrite('staff.setPolicy', { invalidates: ['staff.policy', 'auth.status'] });
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: policy,
    clearInputErrorOnChange: false,
    // The upper limit is main's to say ("must be 15 minutes or less"); here only what main's schema words poorly.
    validate: { idleLockMinutes: (v) => (typeof v !== 'number' || !Number.isInteger(v) || v < 1 ? 'must be a whole number of minutes, at least 1' : null) },
  });
  const values = form.getValues();
  const submit = form.onSubmit(async (v) => {
    setProblem(null);
    const changes: Partial<StaffPolicyDto> = {};
    if (v.idleLockMinutes !== policy.idleLockMinutes) changes.idleLockMinutes = v.idleLockMinutes;
    if (v.requireAdminTotp !== policy.requireAdminTotp) changes.requireAdminTotp = v.requireAdminTotp;
    try {
      const next = await save.mutateAsync(changes);
      startFrom(form, next);
      notifications.show({ color: 'teal', message: 'The sign-in policy was saved; it applies to every window from its next action.', closeButtonProps: { 'aria-label': 'Close message' } });
    } catch (e) {
      const fields = fieldErrorsOf(e);
      form.setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(toAppError(e).message);
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Sign-in policy">
      <Stack gap="md">
        <NumberInput
          label="Lock a window after this many idle minutes"
          description={`1 to ${MAX_IDLE_MINUTES}; the card industry's rules (PCI DSS) allow no more than ${MAX_IDLE_MINUTES}`}
          min={1}
          max={MAX_IDLE_MINUTES}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          w={460}
          {...labelledField(form, 'idleLockMinutes', 'The idle time')}
        />
        <Checkbox
          label="Administrators sign in with a code from an authenticator app"
          description="As well as their password. An administrator without one sets it up at their next sign-in and can do nothing else until then."
          {...form.getInputProps('requireAdminTotp', { type: 'checkbox' })}
        />
        {values.requireAdminTotp && !policy.requireAdminTotp && !selfHasCode && (
          <Alert color="yellow" variant="light" data-testid="policy-self-enroll">
            You have no authenticator code yourself: after saving, AR Desk asks you to set one up before anything else.
          </Alert>
        )}
        {problem && (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" disabled={!form.isDirty() || save.isPending} onClick={() => form.reset()}>
            Undo changes
          </Button>
          <Button type="submit" disabled={!form.isDirty()} loading={save.isPending} data-testid="policy-save">
            Save the policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The office's sign-in policy, shared by every workstation on this ledger. */
export function StaffPolicySection() {
  const policy = useChannel('staff.policy', {});
  const selfHasCode = useChannel('auth.status', {}).data?.session?.totpEnabled ?? false;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="staff-policy">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="staff-policy">
            Sign-in policy
          </Title>
          <Text size="sm" c="dimmed">
            For the whole office, on every workstation of this ledger.
          </Text>
        </div>
        {policy.error ? (
          <ErrorNotice error={policy.error} title="The sign-in policy could not be read" onRetry={policy.reload} />
        ) : !policy.data ? (
          <Loading what="the sign-in policy" />
        ) : (
          <PolicyForm key={JSON.stringify(policy.data)} policy={policy.data} selfHasCode={selfHasCode} />
        )}
      </Stack>
    </Paper>
  );
}
