import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import type { CustomerAccountDto } from '../../../../shared/contract/customers';
import { ApprovalDialog } from '../../components/ApprovalDialog';
import { useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { AccountField } from './AccountField';
import { useApprovedWrite } from './useApprovedWrite';

/** A saved change, said in a notice that reads well (Mantine greys a titled message's text below 4.5:1). */
function saidDone(title: string, message: string) {
  notifications.show({
    color: 'teal',
    title,
    message,
    closeButtonProps: { 'aria-label': 'Close message' },
    styles: { description: { color: 'var(--mantine-color-text)' } },
  });
}

/** What a change to the account's follow-up marks refreshes. */
const FOLLOW_UP_READS = ['customers.account', 'collections.worklist'] as const;

type FollowUp = NonNullable<CustomerAccountDto['followUp']>;
const NONE: FollowUp = { suspendedOn: null, suspendedLevel: null, noFollowUp: false, assignedTo: null };


/** Assigning the account to a clerk (empty: nobody): a supervisor, or a clerk with a supervisor's approval. */
function AssignModal({ customerNumber, assignedTo, onClose }: { customerNumber: string; assignedTo: string | null; onClose(): void }) {
  const [username, setUsername] = useState(assignedTo ?? '');
  const assign = useWrite('collections.assign', { invalidates: FOLLOW_UP_READS });
  const w = useApprovedWrite(
    (approval?: ApprovalInput) => assign.mutateAsync({ customerNumber, assignedTo: username.trim() === '' ? null : username.trim(), ...(approval ? { approval } : {}) }),
    (r) => {
      saidDone('Collections assignment saved', r.assignedTo ? `${customerNumber} is worked by ${r.assignedTo}.` : `${customerNumber} is assigned to nobody.`);
      onClose();
    },
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    w.setFields({});
    await w.run();
  };
  return (
    <Modal opened onClose={onClose} title={`Assign ${customerNumber} for collections`} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {w.asking && <ApprovalDialog action="Assigning an account for collections" onApprove={w.run} onCancel={w.cancelAsking} />}
      <form onSubmit={(e) => void submit(e)} aria-label="Assign for collections">
        <Stack gap="sm">
          <TextInput
            label="Clerk's username"
            description="The staff member who works this account when it is past due; leave empty for nobody."
            value={username}
            onChange={(e) => {
              setUsername(e.currentTarget.value);
              w.clearField('assignedTo');
            }}
            error={w.fields.assignedTo ? `Clerk's username ${w.fields.assignedTo}` : undefined}
            autoComplete="off"
            data-autofocus
          />
          {w.problem && (
            <Alert color="red" variant="light" role="alert">
              {w.problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={assign.isPending}>
              Save assignment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The account's past-due follow-up: the clerk assigned for collections, whether the billing run
 * follows it up at all, and a suspension by the follow-up levels. Changing them is a supervisor's
 * (a clerk asks for a supervisor's approval, as for other supervisor actions on the account).
 */
export function FollowUpPanel({ customerNumber, followUp }: { customerNumber: string; followUp: CustomerAccountDto['followUp'] }) {
  const format = useFormat();
  const marks = followUp ?? NONE;
  const [assigning, setAssigning] = useState(false);
  const setFlag = useWrite('collections.setNoFollowUp', { invalidates: FOLLOW_UP_READS });
  const flag = useApprovedWrite(
    (approval?: ApprovalInput) => setFlag.mutateAsync({ customerNumber, noFollowUp: !marks.noFollowUp, ...(approval ? { approval } : {}) }),
    (r) =>
      saidDone(
        r.noFollowUp ? 'Follow-up stopped' : 'Follow-up resumed',
        r.noFollowUp ? `The billing run sends ${customerNumber} no reminders and bills it no late fees.` : `The billing run follows ${customerNumber} up again when it is past due.`,
      ),
  );

  return (
    <Paper withBorder px="md" py="sm" component="section" aria-labelledby="follow-up-title" data-testid="follow-up-panel">
      {flag.asking && (
        <ApprovalDialog action={marks.noFollowUp ? 'Resuming follow-up' : 'Stopping follow-up'} onApprove={flag.run} onCancel={flag.cancelAsking} />
      )}
      <Group justify="space-between" align="center" wrap="nowrap" gap="md">
        <Group gap="xl" align="flex-start" wrap="nowrap" miw={0}>
          <Text id="follow-up-title" fw={600} size="sm" style={{ flexShrink: 0 }}>
            Past-due follow-up
          </Text>
          <AccountField label="Assigned for collections" testId="follow-up-assigned">
            {marks.assignedTo ?? (
              <Text span c="dimmed" size="sm">
                Nobody
              </Text>
            )}
          </AccountField>
          <AccountField label="Follow-up" testId="follow-up-flag">
            {marks.noFollowUp ? (
              <Badge color="orange" variant="light">
                No follow-up
              </Badge>
            ) : (
              'By the billing run, level by level'
            )}
          </AccountField>
          {marks.suspendedOn && (
            <AccountField label="Suspended" testId="follow-up-suspended">
              <Text span c="red.8" size="sm">
                Since {format.date(marks.suspendedOn)}
                {marks.suspendedLevel !== null ? `, at follow-up level ${marks.suspendedLevel}` : ''}; lifted when paid current
              </Text>
            </AccountField>
          )}
        </Group>
        <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button variant="default" size="xs" onClick={() => setAssigning(true)}>
            Assign…
          </Button>
          <Button variant="default" size="xs" loading={setFlag.isPending} onClick={() => void flag.run()}>
            {marks.noFollowUp ? 'Resume follow-up' : 'Stop follow-up'}
          </Button>
        </Group>
      </Group>
      {flag.problem && (
        <Alert color="red" variant="light" role="alert" mt="xs">
          {flag.problem}
        </Alert>
      )}
      {assigning && <AssignModal customerNumber={customerNumber} assignedTo={marks.assignedTo} onClose={() => setAssigning(false)} />}
    </Paper>
  );
}
