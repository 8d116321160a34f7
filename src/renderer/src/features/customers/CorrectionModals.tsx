import { Alert, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { AccountInvoiceDto, AccountOnAccountDto } from '../../../../shared/contract/customers';
import type { PaymentDetailDto } from '../../../../shared/contract/payments';
import { centsToDecimalString } from '../../../../shared/money';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { ApprovalDialog } from '../../components/ApprovalDialog';
import { Buttons, Frame } from './ModalFrame';
import { parseTypedCents } from './typedCents';
import { useApprovedWrite } from './useApprovedWrite';

const ON_ACCOUNT = '__on_account__';

function AmountField({ value, onChange, error, description, testId }: { value: string; onChange(v: string): void; error?: string | undefined; description: string; testId: string }) {
  return (
    <TextInput
      label="Amount"
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      inputMode="decimal"
      leftSection="$"
      w={300}
      withAsterisk
      data-testid={testId}
    />
  );
}

function ReasonField({ value, onChange, error, testId }: { value: string; onChange(v: string): void; error?: string | undefined; testId: string }) {
  return (
    <Textarea
      label="Reason"
      description="Kept with the rows on the account and in the audit log."
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      autosize
      minRows={2}
      maxLength={1000}
      withAsterisk
      data-testid={testId}
    />
  );
}

/** Moves a payment's money from one invoice to another open invoice of the customer, or back on account. */
export function ReapplyModal({ detail, invoices, onClose }: { detail: PaymentDetailDto; invoices: AccountInvoiceDto[]; onClose(): void }) {
  const format = useFormat();
  const onInvoices = new Map<string, number>();
  for (const a of detail.applied) if (a.source !== 'credit') onInvoices.set(a.invoiceNumber, (onInvoices.get(a.invoiceNumber) ?? 0) + a.amountCents);
  const fromChoices = [...onInvoices].filter(([, c]) => c > 0);
  const [from, setFrom] = useState<string | null>(fromChoices[0]?.[0] ?? null);
  const [to, setTo] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const write = useWrite('corrections.reapply', { invalidates: [...LEDGER_READS, 'corrections.history'] });
  const name = detail.confirmationNumber ?? `payment #${detail.paymentId}`;
  const fromCents = from ? (onInvoices.get(from) ?? 0) : 0;
  const cents = parseTypedCents(amount);
  const w = useApprovedWrite(
    (approval) =>
      write.mutateAsync({
        source: { paymentId: detail.paymentId },
        fromInvoiceNumber: from ?? '',
        toInvoiceNumber: to === ON_ACCOUNT ? null : (to ?? ''),
        amountCents: cents ?? 0,
        reason: reason.trim(),
        ...(approval ? { approval } : {}),
      }),
    (r) => {
      notifications.show({
        color: 'teal',
        closeButtonProps: { 'aria-label': 'Close' },
        title: 'Money moved',
        message: `${format.money(r.amountCents)} of ${name} moved from ${r.fromInvoiceNumber} to ${r.toInvoiceNumber ?? 'money on account'}.`,
      });
      onClose();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!to) problems.toInvoiceNumber = 'Choose where the money goes';
    if (cents === null || cents <= 0) problems.amountCents = 'Type an amount in dollars and cents, e.g. 40.00';
    if (!reason.trim()) problems.reason = 'Enter why the money is moved';
    if (Object.keys(problems).length > 0) return w.setFields(problems);
    void w.run();
  };
  const targets = invoices.filter((i) => i.invoiceNumber !== from);
  return (
    <Frame title={`Re-apply payment ${name}`} busy={write.isPending} onClose={onClose}>
      {w.asking && <ApprovalDialog action="Re-applying a payment" onApprove={w.run} onCancel={w.cancelAsking} />}
      <form onSubmit={submit} data-testid="reapply-form">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {format.money(detail.amountCents)} · {detail.methodLabel}. The money comes off the first invoice by a reversal and goes on the other by a new
            application; nothing posted is changed.
          </Text>
          <Select
            label="From invoice"
            data={fromChoices.map(([n, c]) => ({ value: n, label: `${n} (${format.money(c)} of this payment)` }))}
            value={from}
            onChange={(v) => {
              setFrom(v);
              w.clearField('fromInvoiceNumber');
              w.clearField('amountCents');
            }}
            allowDeselect={false}
            withAsterisk
            error={w.fields.fromInvoiceNumber}
            data-testid="reapply-from"
          />
          <Select
            label="To"
            placeholder="Choose an invoice or money on account"
            data={[
              ...targets.map((i) => ({ value: i.invoiceNumber, label: `${i.invoiceNumber} (${format.money(i.openCents)} open)${i.disputed ? ' · disputed' : ''}` })),
              { value: ON_ACCOUNT, label: 'Money on account (unapplied)' },
            ]}
            value={to}
            onChange={(v) => {
              setTo(v);
              w.clearField('toInvoiceNumber');
            }}
            withAsterisk
            error={w.fields.toInvoiceNumber}
            data-testid="reapply-to"
          />
          <AmountField
            value={amount}
            onChange={(v) => {
              setAmount(v);
              // A refusal on the target ("would overpay") is about the amount too: a new amount clears both.
              w.clearField('amountCents');
              w.clearField('toInvoiceNumber');
            }}
            error={w.fields.amountCents}
            description={from ? `Up to ${format.money(fromCents)} stands on ${from}.` : ''}
            testId="reapply-amount"
          />
          <ReasonField value={reason} onChange={(v) => { setReason(v); w.clearField('reason'); }} error={w.fields.reason} testId="reapply-reason" />
          {w.problem && <Alert color="red" variant="light" role="alert">{w.problem}</Alert>}
          <Buttons busy={write.isPending} label="Move the money" onClose={onClose} testId="reapply-ok" />
        </Stack>
      </form>
    </Frame>
  );
}

/** Writes off a small remaining balance of an invoice, up to the office's limit. */
export function WriteOffModal({ invoice, limitCents, onClose }: { invoice: AccountInvoiceDto; limitCents: number; onClose(): void }) {
  const format = useFormat();
  const [amount, setAmount] = useState(centsToDecimalString(invoice.openCents));
  const [reason, setReason] = useState('');
  const write = useWrite('corrections.writeOff', { invalidates: [...LEDGER_READS, 'corrections.history'] });
  const cents = parseTypedCents(amount);
  const w = useApprovedWrite(
    (approval) =>
      write.mutateAsync({ invoiceNumber: invoice.invoiceNumber, amountCents: cents ?? 0, reason: reason.trim(), ...(approval ? { approval } : {}) }),
    (r) => {
      notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': 'Close' }, title: 'Written off', message: `${format.money(r.amountCents)} of ${r.invoiceNumber} was written off.` });
      onClose();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (cents === null || cents <= 0) problems.amountCents = 'Type an amount in dollars and cents, e.g. 4.35';
    if (!reason.trim()) problems.reason = 'Enter why the balance is written off';
    if (Object.keys(problems).length > 0) return w.setFields(problems);
    void w.run();
  };
  return (
    <Frame title={`Write off invoice ${invoice.invoiceNumber}`} busy={write.isPending} onClose={onClose}>
      {w.asking && <ApprovalDialog action="A write-off" onApprove={w.run} onCancel={w.cancelAsking} />}
      <form onSubmit={submit} data-testid="write-off-form">
        <Stack gap="md">
          <Text size="sm">
            {format.money(invoice.openCents)} is open on {invoice.invoiceNumber}. A write-off is not a payment or a credit: it takes the balance down and
            shows on the account and the statement as a write-off.
          </Text>
          <AmountField
            value={amount}
            onChange={(v) => {
              setAmount(v);
              w.clearField('amountCents');
            }}
            error={w.fields.amountCents}
            description={`The office writes off at most ${format.money(limitCents)}.`}
            testId="write-off-amount"
          />
          <ReasonField value={reason} onChange={(v) => { setReason(v); w.clearField('reason'); }} error={w.fields.reason} testId="write-off-reason" />
          {(w.problem || w.fields.invoiceNumber) && <Alert color="red" variant="light" role="alert">{w.problem ?? w.fields.invoiceNumber}</Alert>}
          <Buttons busy={write.isPending} label="Write off" onClose={onClose} testId="write-off-ok" />
        </Stack>
      </form>
    </Frame>
  );
}

/** Applies money a payment holds on account to an open invoice, as a credit is applied. */
export function ApplyOnAccountModal({ money, invoices, onClose }: { money: AccountOnAccountDto; invoices: AccountInvoiceDto[]; onClose(): void }) {
  const format = useFormat();
  const [invoice, setInvoice] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const write = useWrite('corrections.applyOnAccount', { invalidates: [...LEDGER_READS, 'corrections.history'] });
  const chosen = invoices.find((i) => i.invoiceNumber === invoice);
  const cents = parseTypedCents(amount.trim() === '' && chosen ? centsToDecimalString(Math.min(chosen.openCents, money.onAccountCents)) : amount);
  const w = useApprovedWrite(
    () => write.mutateAsync({ paymentId: money.paymentId, invoiceNumber: invoice ?? '', amountCents: cents ?? 0 }),
    (r) => {
      notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': 'Close' }, title: 'Applied', message: `${format.money(r.amountCents)} on account applied to ${r.invoiceNumber}.` });
      onClose();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invoice) return w.setFields({ invoiceNumber: 'Choose the invoice to pay' });
    if (cents === null || cents <= 0) return w.setFields({ amountCents: 'Type an amount in dollars and cents' });
    void w.run();
  };
  return (
    <Frame title={`Apply money on account from ${money.confirmationNumber ?? `payment #${money.paymentId}`}`} busy={write.isPending} onClose={onClose}>
      <form onSubmit={submit} data-testid="apply-on-account-form">
        <Stack gap="md">
          <Text size="sm">
            {format.money(money.onAccountCents)} of {money.methodLabel} is held on account.
          </Text>
          <Select
            label="Invoice"
            data={invoices.filter((i) => !i.disputed).map((i) => ({ value: i.invoiceNumber, label: `${i.invoiceNumber} (${format.money(i.openCents)} open)` }))}
            value={invoice}
            onChange={(v) => {
              setInvoice(v);
              w.clearField('invoiceNumber');
            }}
            withAsterisk
            error={w.fields.invoiceNumber}
            data-testid="apply-on-account-invoice"
          />
          <AmountField
            value={amount}
            onChange={(v) => {
              setAmount(v);
              w.clearField('amountCents');
            }}
            error={w.fields.amountCents}
            description={chosen ? `Leave blank for ${format.money(Math.min(chosen.openCents, money.onAccountCents))}.` : 'Choose the invoice first.'}
            testId="apply-on-account-amount"
          />
          {w.problem && <Alert color="red" variant="light" role="alert">{w.problem}</Alert>}
          <Buttons busy={write.isPending} label="Apply" onClose={onClose} testId="apply-on-account-ok" />
        </Stack>
      </form>
    </Frame>
  );
}
