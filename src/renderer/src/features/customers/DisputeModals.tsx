import { Alert, Checkbox, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AccountInvoiceDto } from '../../../../shared/contract/customers';
import { DISPUTE_REASON_MAX, type DisputeDto } from '../../../../shared/contract/disputes';
import { centsToDecimalString } from '../../../../shared/money';
import { MAX_REASON_LENGTH } from '../../../../shared/validation';
import { fieldMessage } from '../../lib/fieldErrors';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { ApprovalDialog } from '../../components/ApprovalDialog';
import { Buttons, Frame } from './ModalFrame';
import { parseTypedCents } from './typedCents';
import { useApprovedWrite } from './useApprovedWrite';

/**
 * Enter sends the form from any field, a checkbox or radio included; Shift+Enter is a new line in
 * the reason. The buttons keep their own Enter (Cancel cancels).
 */
function submitOnEnter(e: KeyboardEvent<HTMLFormElement>) {
  const target = e.target as HTMLElement;
  if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing || target.tagName === 'BUTTON' || target.tagName === 'A') return;
  e.preventDefault();
  e.currentTarget.requestSubmit();
}

/** Opens a dispute on open invoices of the account that are not disputed already, with the customer's words. */
export function OpenDisputeModal({ customerNumber, invoices, onClose }: { customerNumber: string; invoices: AccountInvoiceDto[]; onClose(): void }) {
  const format = useFormat();
  const choices = invoices.filter((i) => !i.disputed);
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const write = useWrite('disputes.open', { invalidates: [...LEDGER_READS, 'disputes.list'] });
  const w = useApprovedWrite(
    () => write.mutateAsync({ customerNumber, invoiceNumbers: chosen, reason: reason.trim() }),
    (d) => {
      notifications.show({
        color: 'teal',
        closeButtonProps: { 'aria-label': 'Close' },
        title: 'Dispute opened',
        message: `${d.invoices.map((i) => i.invoiceNumber).join(', ')} ${d.invoices.length === 1 ? 'is' : 'are'} disputed until a supervisor resolves it.`,
      });
      onClose();
    },
  );
  const chosenCents = choices.filter((i) => chosen.includes(i.invoiceNumber)).reduce((s, i) => s + i.openCents, 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (write.isPending) return;
    const problems: Record<string, string> = {};
    if (chosen.length === 0) problems.invoiceNumbers = 'Choose at least one invoice';
    if (!reason.trim()) problems.reason = 'Enter what the customer says';
    if (Object.keys(problems).length > 0) return w.setFields(problems);
    void w.run();
  };
  return (
    <Frame title={`Open a dispute for ${customerNumber}`} busy={write.isPending} onClose={onClose}>
      <form onSubmit={submit} onKeyDown={submitOnEnter} noValidate data-testid="open-dispute-form">
        <Stack gap="md">
          {choices.length === 0 ? (
            <Text size="sm">Every open invoice of this account is disputed already, or there are none.</Text>
          ) : (
            <Checkbox.Group
              label="Invoices the customer disputes"
              description={chosen.length > 0 ? `${chosen.length} chosen, ${format.money(chosenCents)} open. They leave Pay All and automatic charges while disputed.` : 'Space ticks an invoice; Enter opens the dispute.'}
              value={chosen}
              onChange={(v) => {
                setChosen(v);
                w.clearField('invoiceNumbers');
              }}
              error={fieldMessage(w.fields.invoiceNumbers)}
              withAsterisk
            >
              <Stack gap={6} mt={6}>
                {choices.map((i, n) => (
                  <Checkbox
                    key={i.invoiceNumber}
                    value={i.invoiceNumber}
                    label={`${i.invoiceNumber} · due ${format.date(i.dueDate)} · ${format.money(i.openCents)} open`}
                    {...(n === 0 ? { 'data-autofocus': true } : {})}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Textarea
            label="What the customer says"
            description="In the customer’s words; shown beside the Disputed flag wherever these invoices are listed. Shift+Enter starts a new line."
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              w.clearField('reason');
            }}
            error={fieldMessage(w.fields.reason, 'What the customer says')}
            autosize
            minRows={2}
            maxLength={DISPUTE_REASON_MAX}
            withAsterisk
            {...(choices.length === 0 ? { 'data-autofocus': true } : {})}
            data-testid="dispute-reason-input"
          />
          {w.problem && (
            <Alert color="red" variant="light" role="alert">
              {w.problem}
            </Alert>
          )}
          <Buttons busy={write.isPending} label="Open dispute" onClose={onClose} testId="open-dispute-ok" />
        </Stack>
      </form>
    </Frame>
  );
}

/** Resolves an open dispute: for the customer with a credit memo (all or part of what the invoices owe), or against. */
export function ResolveDisputeModal({ dispute, onClose }: { dispute: DisputeDto; onClose(): void }) {
  const format = useFormat();
  const owedCents = dispute.invoices.reduce((s, i) => s + i.openCents, 0);
  const [outcome, setOutcome] = useState<'customer' | 'against' | null>(null);
  const [amount, setAmount] = useState(centsToDecimalString(owedCents));
  const [reason, setReason] = useState('');
  const write = useWrite('disputes.resolve', { invalidates: [...LEDGER_READS, 'disputes.list'] });
  const cents = parseTypedCents(amount);
  const w = useApprovedWrite(
    (approval) =>
      write.mutateAsync({
        disputeId: dispute.disputeId,
        outcome: outcome ?? 'against',
        ...(outcome === 'customer' ? { creditCents: cents ?? 0 } : {}),
        reason: reason.trim(),
        ...(approval ? { approval } : {}),
      }),
    (d) => {
      notifications.show({
        color: 'teal',
        closeButtonProps: { 'aria-label': 'Close' },
        title: 'Dispute resolved',
        message:
          d.outcome === 'customer' && d.creditNumber
            ? `Credit memo ${d.creditNumber} for ${format.money(d.creditCents ?? 0)} was applied to the disputed invoices.`
            : 'Resolved against the customer; the invoices return to normal follow-up.',
      });
      onClose();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (write.isPending) return;
    const problems: Record<string, string> = {};
    if (!outcome) problems.outcome = 'Choose for whom the dispute is resolved';
    if (outcome === 'customer' && (cents === null || cents <= 0)) problems.creditCents = 'Type the credit in dollars and cents, e.g. 40.00';
    if (!reason.trim()) problems.reason = 'Enter why it is resolved this way';
    if (Object.keys(problems).length > 0) return w.setFields(problems);
    void w.run();
  };
  return (
    <Frame title={`Resolve dispute ${dispute.disputeId}`} busy={write.isPending} onClose={onClose}>
      {w.asking && <ApprovalDialog action="Resolving a dispute" onApprove={w.run} onCancel={w.cancelAsking} />}
      <form onSubmit={submit} onKeyDown={submitOnEnter} noValidate data-testid="resolve-dispute-form">
        <Stack gap="md">
          <Text size="sm">
            {dispute.invoices.map((i) => i.invoiceNumber).join(', ')}: {format.money(owedCents)} open. The customer says: “{dispute.reason}”
          </Text>
          <Radio.Group
            label="Outcome"
            value={outcome}
            onChange={(v) => {
              setOutcome(v as 'customer' | 'against');
              w.clearField('outcome');
              w.clearField('creditCents');
            }}
            error={fieldMessage(w.fields.outcome)}
            withAsterisk
          >
            <Stack gap={6} mt={6}>
              <Radio value="customer" label="In the customer’s favour (a credit memo on the disputed invoices)" data-autofocus />
              <Radio value="against" label="Against the customer (the invoices return to normal follow-up)" />
            </Stack>
          </Radio.Group>
          {outcome === 'customer' && (
            <TextInput
              label="Credit"
              description={`Up to ${format.money(owedCents)}, applied to the oldest due first.`}
              value={amount}
              onChange={(e) => {
                setAmount(e.currentTarget.value);
                w.clearField('creditCents');
              }}
              error={fieldMessage(w.fields.creditCents, 'Credit')}
              inputMode="decimal"
              leftSection="$"
              w={300}
              withAsterisk
              data-testid="dispute-credit"
            />
          )}
          <Textarea
            label="Reason"
            description="Kept with the dispute and in the audit log. Shift+Enter starts a new line."
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              w.clearField('reason');
            }}
            error={fieldMessage(w.fields.reason, 'Reason')}
            autosize
            minRows={2}
            maxLength={MAX_REASON_LENGTH}
            withAsterisk
            data-testid="dispute-resolution-reason"
          />
          {w.problem && (
            <Alert color="red" variant="light" role="alert">
              {w.problem}
            </Alert>
          )}
          <Buttons busy={write.isPending} label="Resolve" onClose={onClose} testId="resolve-dispute-ok" />
        </Stack>
      </form>
    </Frame>
  );
}
