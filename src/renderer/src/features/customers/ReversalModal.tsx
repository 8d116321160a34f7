import { Alert, Button, Group, List, Modal, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { PaymentDetailDto, ReversalOutcomeDto } from '../../../../shared/contract/payments';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import { centsToDecimalString, parseDollarsToCents } from '../../../../shared/money';

export type Reversal = 'void' | 'refund';

/** How money received outside the gateway (check, cash, wire, transfer) is paid back: by our check or in cash. */
type PayoutMethod = 'check' | 'cash';

/** "by our check 5521" or "in cash": where a refund of received money goes. */
function payoutPhrase(method: PayoutMethod | null, checkNumber: string): string | null {
  if (method === 'cash') return 'in cash';
  if (method === 'check') return checkNumber.trim() ? `by our check ${checkNumber.trim()}` : 'by our check';
  return null;
}

/** Card or bank money of the payment still standing on each invoice, in the order the payment applied it. */
function chargedByInvoice(detail: PaymentDetailDto): { invoiceNumber: string; chargedCents: number; creditCents: number }[] {
  const out: { invoiceNumber: string; chargedCents: number; creditCents: number }[] = [];
  for (const a of detail.applied) {
    let row = out.find((r) => r.invoiceNumber === a.invoiceNumber);
    if (!row) out.push((row = { invoiceNumber: a.invoiceNumber, chargedCents: 0, creditCents: 0 }));
    if (a.source === 'credit') row.creditCents += a.amountCents;
    else row.chargedCents += a.amountCents;
  }
  return out;
}

function OutcomeNotice({ outcome, detail, paidOut }: { outcome: ReversalOutcomeDto; detail: PaymentDetailDto; paidOut: string | null }) {
  const format = useFormat();
  const what = outcome.kind === 'void' ? 'void' : 'refund';
  if (outcome.status === 'failed') {
    return (
      <Alert color="red" variant="light" title={`The payment gateway refused the ${what}`} role="alert" data-testid="reversal-outcome">
        <Text size="sm">{outcome.message ?? 'No reason was given.'}</Text>
        <Text size="sm" mt={6}>
          Nothing was changed: the customer’s invoices and balance are as they were.
        </Text>
      </Alert>
    );
  }
  if (outcome.status === 'pending') {
    return (
      <Alert color="yellow" variant="light" title={`The ${what} is waiting for the payment gateway`} role="status" data-testid="reversal-outcome">
        <Text size="sm">
          The gateway has not answered yet. Do not {what} the payment again: AR Desk asks the gateway on its own and finishes it. Until
          then the invoices stay as they are.
        </Text>
      </Alert>
    );
  }
  const credits = outcome.creditsRestored.reduce((s, c) => s + c.amountCents, 0);
  return (
    <Alert color="teal" variant="light" title={outcome.kind === 'void' ? 'Payment voided' : 'Refund completed'} role="status" data-testid="reversal-outcome">
      <Stack gap={4}>
        <Text size="sm">
          {outcome.kind === 'void'
            ? detail.kind === 'credit_only'
              ? 'The credits were given back.'
              : `The charge of ${format.money(outcome.amountCents)} to ${detail.methodLabel} was cancelled.`
            : paidOut
              ? `${format.money(outcome.amountCents)} of ${detail.methodLabel} was paid back ${paidOut}.`
              : `${format.money(outcome.amountCents)} was returned to ${detail.methodLabel}.`}
        </Text>
        {outcome.reopened.length > 0 && (
          <Text size="sm">Reopened: {outcome.reopened.map((r) => `${r.invoiceNumber} ${format.money(r.amountCents)}`).join(', ')}</Text>
        )}
        {credits > 0 && (
          <Text size="sm">Credits given back: {outcome.creditsRestored.map((c) => `${c.creditNumber} ${format.money(c.amountCents)}`).join(', ')}</Text>
        )}
      </Stack>
    </Alert>
  );
}

/** Voids or refunds one payment: reads back what it reopens and gives back, asks why, then shows the gateway's answer. */
export function ReversalModal({ kind, detail, onClose }: { kind: Reversal; detail: PaymentDetailDto; onClose(): void }) {
  const format = useFormat();
  const shares = chargedByInvoice(detail);
  const refundableShares = shares.filter((s) => s.chargedCents > 0);
  const [scope, setScope] = useState<string>('all');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  /** The amount typed, in dollars; blank means the whole refundable amount of the scope. */
  const [amountText, setAmountText] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  /** Money that did not come through the gateway goes back by our check or in cash; the gateway's goes back to its card or account. */
  const received = detail.received !== null;
  const [payout, setPayout] = useState<PayoutMethod | null>(null);
  const [payoutError, setPayoutError] = useState<string | null>(null);
  const [payoutCheck, setPayoutCheck] = useState('');
  const [payoutCheckError, setPayoutCheckError] = useState<string | null>(null);
  const paidOut = received ? payoutPhrase(payout, payoutCheck) : null;
  const voidPayment = useWrite('payments.void', { invalidates: LEDGER_READS });
  const refund = useWrite('payments.refund', { invalidates: LEDGER_READS });
  const busy = voidPayment.isPending || refund.isPending;
  const [outcome, setOutcome] = useState<ReversalOutcomeDto | null>(null);
  const [asking, setAsking] = useState(false);
  const name = detail.confirmationNumber ?? `payment #${detail.paymentId}`;

  const share = scope === 'all' ? null : shares.find((s) => s.invoiceNumber === scope) ?? null;
  const creditsBack = share ? share.creditCents : shares.reduce((s, x) => s + x.creditCents, 0);
  const reopens = share ? [share] : shares;
  const refundableCents = share ? share.chargedCents : detail.refundableCents;
  const typedCents = (() => {
    if (amountText.trim() === '') return refundableCents;
    try {
      return parseDollarsToCents(amountText);
    } catch {
      return null;
    }
  })();
  const refundCents = typedCents ?? refundableCents;
  const creditOnly = detail.kind === 'credit_only';

  const question =
    kind === 'void'
      ? creditOnly
        ? `Void ${name} and give back ${format.money(creditsBack)} of credits?`
        : `Void ${format.money(detail.amountCents)} charged to ${detail.methodLabel}?`
      : received
        ? `Refund ${format.money(refundCents)} of ${detail.methodLabel}${paidOut ? `, paid back ${paidOut}` : ''}?`
        : `Refund ${format.money(refundCents)} to ${detail.methodLabel}?`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (reason.trim() === '') {
      setReasonError(`Enter why the payment is ${kind === 'void' ? 'voided' : 'refunded'}; it is kept with the payment`);
      return;
    }
    if (kind === 'refund' && typedCents === null) {
      setAmountError('Type an amount in dollars and cents, e.g. 12.50');
      return;
    }
    setProblem(null);
    const refusal = await send();
    if (refusal) setProblem(refusal);
  };

  /** Sends the void or refund (with a supervisor's approval, when given); answers with what to show, if it failed. */
  const send = async (approval?: ApprovalInput): Promise<string | null> => {
    try {
      const result =
        kind === 'void'
          ? await voidPayment.mutateAsync({ paymentId: detail.paymentId, reason: reason.trim(), ...(approval ? { approval } : {}) })
          : await refund.mutateAsync({
              paymentId: detail.paymentId,
              reason: reason.trim(),
              ...(share ? { invoiceNumber: share.invoiceNumber } : {}),
              ...(typedCents !== null && typedCents !== refundableCents ? { amountCents: typedCents } : {}),
              // Main says what is missing (how it is paid back, our check's number) at its field.
              ...(received && payout ? { payout: payout === 'check' ? { method: 'check' as const, checkNumber: payoutCheck } : { method: 'cash' as const } } : {}),
              ...(approval ? { approval } : {}),
            });
      setAsking(false);
      setOutcome(result);
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      const fields = fieldErrorsOf(err);
      if (fields.reason) setReasonError(fields.reason);
      else if (fields.amountCents) setAmountError(fields.amountCents);
      else if (fields.payout) setPayoutError(fields.payout);
      else if (fields['payout.checkNumber']) setPayoutCheckError(fieldMessage(fields['payout.checkNumber'], 'Our check number') ?? null);
      else setProblem(toAppError(err).message);
      return null;
    }
  };

  const title = `${kind === 'void' ? 'Void' : 'Refund'} payment ${name}`;
  return (
    <Modal
      opened
      onClose={() => {
        if (!busy) onClose();
      }}
      title={title}
      centered
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {asking && (
        <ApprovalDialog
          action={kind === 'void' ? 'Voiding a payment' : 'A refund'}
          onApprove={send}
          onCancel={() => setAsking(false)}
        />
      )}
      {outcome ? (
        <Stack>
          <OutcomeNotice outcome={outcome} detail={detail} paidOut={paidOut} />
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus data-testid="reversal-close">
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Taken {format.timestamp(detail.createdAt)} by {detail.clerk} · {format.money(detail.amountCents)} · {detail.methodLabel}
              {detail.refundedCents > 0 ? ` · ${format.money(detail.refundedCents)} refunded already` : ''}
            </Text>
            {kind === 'refund' && refundableShares.length > 0 && (
              <Radio.Group
                label="What to refund"
                value={scope}
                onChange={(v) => {
                  setScope(v);
                  setAmountText('');
                  setAmountError(null);
                }}
              >
                <Stack gap={6} mt={6}>
                  <Radio value="all" label={`The whole payment: ${format.money(detail.refundableCents)}`} />
                  {refundableShares.map((s) => (
                    <Radio
                      key={s.invoiceNumber}
                      value={s.invoiceNumber}
                      label={`Only invoice ${s.invoiceNumber}’s share: ${format.money(s.chargedCents)}`}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            {kind === 'refund' && refundableShares.length + (detail.refundableCents > 0 ? 1 : 0) > 0 && (
              <TextInput
                label="Amount to refund"
                description={`Refundable: ${format.money(refundableCents)}. Leave it for the whole amount, or type less.`}
                placeholder={centsToDecimalString(refundableCents)}
                value={amountText}
                onChange={(e) => {
                  setAmountText(e.currentTarget.value);
                  setAmountError(null);
                }}
                error={amountError}
                inputMode="decimal"
                leftSection="$"
                w={260}
                data-testid="refund-amount"
              />
            )}
            <Text fz="xl" fw={700} data-testid="reversal-question">
              {question}
            </Text>
            <List size="sm" spacing={2}>
              {kind === 'refund' && typedCents !== null && typedCents < refundableCents && (
                <List.Item>Part of the payment: money held on account is returned first, then the newest invoices reopen by the rest.</List.Item>
              )}
              {reopens.length > 0 && (kind === 'void' || typedCents === null || typedCents >= refundableCents) && (
                <List.Item>
                  {reopens.length === 1 ? 'Invoice' : 'Invoices'} reopened:{' '}
                  {reopens.map((s) => `${s.invoiceNumber} ${format.money(s.chargedCents + s.creditCents)}`).join(', ')}
                </List.Item>
              )}
              {creditsBack > 0 && (kind === 'void' || typedCents === null || typedCents >= refundableCents) && <List.Item>Credits given back to the customer: {format.money(creditsBack)}</List.Item>}
              {kind === 'void' && !creditOnly && <List.Item>The charge is cancelled before it settles, so no money moves.</List.Item>}
              {kind === 'refund' && !received && <List.Item>The money goes back to {detail.methodLabel}; it can take a few days to show.</List.Item>}
              {kind === 'refund' && received && <List.Item>It did not come through the payment gateway, so we pay it back ourselves: by our check or in cash.</List.Item>}
            </List>
            {kind === 'refund' && received && (
              <PayoutFields
                method={payout}
                methodError={payoutError}
                checkNumber={payoutCheck}
                checkNumberError={payoutCheckError}
                onMethod={(m) => {
                  setPayout(m);
                  setPayoutError(null);
                  setPayoutCheckError(null);
                }}
                onCheckNumber={(n) => {
                  setPayoutCheck(n);
                  setPayoutCheckError(null);
                }}
              />
            )}
            <Textarea
              label="Reason"
              description="Kept with the payment and in the audit log."
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setReasonError(null);
              }}
              error={reasonError}
              autosize
              minRows={2}
              maxLength={1000}
              data-autofocus
              withAsterisk
            />
            {problem && (
              <Alert color="red" variant="light" role="alert" data-testid="reversal-problem">
                {problem}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" color="red.9" loading={busy} data-testid="reversal-ok">
                {kind === 'void' ? 'Void the payment' : `Refund ${format.money(refundCents)}`}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** How a refund of money received by check, cash, wire or transfer is paid back: our check (its number) or cash. */
function PayoutFields({
  method,
  methodError,
  checkNumber,
  checkNumberError,
  onMethod,
  onCheckNumber,
}: {
  method: PayoutMethod | null;
  methodError: string | null;
  checkNumber: string;
  checkNumberError: string | null;
  onMethod(m: PayoutMethod): void;
  onCheckNumber(n: string): void;
}) {
  return (
    <Stack gap="xs">
      <Radio.Group label="Paid back" value={method} onChange={(v) => onMethod(v as PayoutMethod)} error={methodError} withAsterisk data-testid="refund-payout">
        <Group gap="lg" mt={6}>
          <Radio value="check" label="By our check" />
          <Radio value="cash" label="In cash" />
        </Group>
      </Radio.Group>
      {method === 'check' && (
        <TextInput
          label="Our check number"
          description="The number of the check we write to the customer."
          value={checkNumber}
          onChange={(e) => onCheckNumber(e.currentTarget.value)}
          error={checkNumberError}
          maxLength={30}
          w={260}
          withAsterisk
          data-testid="refund-payout-check"
        />
      )}
    </Stack>
  );
}
