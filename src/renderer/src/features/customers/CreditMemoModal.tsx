import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import { AppError } from '../../../../shared/errors';
import { parseDollarsToCents } from '../../../../shared/money';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useFormat, useToday } from '../../lib/settings';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';

interface CreditForm {
  amount: string;
  reason: string;
  issueDate: string;
}

/** A credit memo for the customer (a supervisor's action; a clerk gets a supervisor's approval in place). */
export function CreditMemoModal({ customerNumber, customerName, onClose }: { customerNumber: string; customerName: string; onClose(): void }) {
  const format = useFormat();
  const today = useToday();
  const form = useForm<CreditForm>({ initialValues: { amount: '', reason: '', issueDate: today } });
  const create = useWrite('credits.create', { invalidates: LEDGER_READS });
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  /** Sends the memo (with an approval, when given); answers with the approval's refusal, to show in its dialog. */
  const send = async (amountCents: number, approval?: ApprovalInput): Promise<string | null> => {
    const v = form.getValues();
    try {
      const credit = await create.mutateAsync({
        customerNumber,
        amountCents,
        reason: v.reason,
        ...(v.issueDate ? { issueDate: v.issueDate } : {}),
        ...(approval ? { approval } : {}),
      });
      setAsking(false);
      notifications.show({
        color: 'teal',
        title: 'Credit memo created',
        message: `${credit.creditNumber} for ${format.money(credit.amountCents)} is on ${customerNumber}'s account.`,
        closeButtonProps: { 'aria-label': 'Close message' },
      });
      onClose();
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      const fields = fieldErrorsOf(err);
      if (fields.amountCents) fields.amount = fields.amountCents;
      form.setErrors(fields);
      if (!(err instanceof AppError && err.code === 'VALIDATION')) setProblem(toAppError(err).message);
      return null;
    }
  };

  const amountCents = (): number | null => {
    try {
      return parseDollarsToCents(form.getValues().amount, { field: 'amount' });
    } catch (e) {
      form.setFieldError('amount', toAppError(e).message.replace(/^"/, 'Amount "'));
      return null;
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    form.clearErrors();
    const cents = amountCents();
    if (cents === null) return;
    void send(cents);
  };

  return (
    <Modal opened onClose={() => !create.isPending && onClose()} title="New credit memo" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {asking && (
        <ApprovalDialog
          action="A credit memo"
          onApprove={(approval) => {
            const cents = amountCents();
            return cents === null ? Promise.resolve('Correct the amount first.') : send(cents, approval);
          }}
          onCancel={() => setAsking(false)}
        />
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            For <b>{customerName}</b> ({customerNumber}). The credit can then be applied to invoices when a payment is taken.
          </Text>
          <TextInput label="Amount ($)" inputMode="decimal" placeholder="0.00" withAsterisk data-autofocus {...labelledField(form, 'amount', 'Amount')} />
          <Textarea label="Reason" withAsterisk autosize minRows={2} maxLength={1000} {...labelledField(form, 'reason', 'Reason')} />
          <TextInput type="date" label="Date" w={180} {...labelledField(form, 'issueDate', 'Date')} />
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="create-credit">
              Create credit memo
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
