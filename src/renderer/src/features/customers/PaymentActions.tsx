import { Alert, Anchor, Button, Group, List, Modal, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { PaymentDetailDto, PaymentSummaryDto, ReversalOutcomeDto } from '../../../../shared/contract/payments';
import { call, toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { navigate } from '../../lib/router';
import { useFormat, type Formatters } from '../../lib/settings';
import { DOCUMENT_READS, LEDGER_READS, useChannel, useWrite } from '../../lib/queries';
import { savePdf } from '../../lib/download';

/** Payments whose confirmation AR Desk issued (not prior payments brought in by an import). */
const TAKEN_HERE = new Set(['card', 'bank', 'credit_only']);

function ToDocuments({ tab }: { tab: string }) {
  return (
    <Anchor
      href="#/documents"
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        navigate('documents');
      }}
    >
      Open Documents → {tab}
    </Anchor>
  );
}

function notify(color: string, title: string, message: ReactNode): void {
  notifications.show({
    color,
    title,
    message,
    autoClose: 8000,
    closeButtonProps: { 'aria-label': 'Close message' },
    // Mantine greys a titled message's text below 4.5:1; what happened to the document is read, not skimmed.
    styles: { description: { color: 'var(--mantine-color-text)' } },
  });
}

/** How the clerk names a payment in a button's label or a message: its confirmation number, else what and when. */
function paymentName(p: PaymentSummaryDto, format: Formatters): string {
  return p.confirmationNumber ?? `${p.methodLabel} ${format.money(p.amountCents)} of ${format.date(p.receivedOn)}`;
}

/** "Confirmation K7QX-4M2P", or for a payment without a number "The confirmation of the declined payment of $120.00 (...)". */
function documentName(p: PaymentSummaryDto, format: Formatters): string {
  if (p.confirmationNumber) return `Confirmation ${p.confirmationNumber}`;
  return `The confirmation of the ${p.status} payment of ${format.money(p.amountCents)} (${p.methodLabel}, ${format.date(p.receivedOn)})`;
}

/** A reason from the printer or the mail server, ending as a sentence. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

// ------------------------------------------------------------------------------------------
// Email the confirmation

export function EmailConfirmationModal({
  payment,
  defaultTo,
  onClose,
}: {
  payment: PaymentSummaryDto;
  defaultTo: string;
  onClose(): void;
}) {
  const format = useFormat();
  const [to, setTo] = useState(defaultTo);
  const [error, setError] = useState<string | null>(null);
  const email = useWrite('documents.emailConfirmation', { invalidates: DOCUMENT_READS });
  const busy = email.isPending;
  const name = paymentName(payment, format);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const address = to.trim();
    if (address === '') {
      setError('Enter the address to email the confirmation to');
      return;
    }
    setError(null);
    try {
      const m = await email.mutateAsync({ paymentId: payment.paymentId, to: address });
      notify(
        m.status === 'failed' ? 'orange' : 'teal',
        'Confirmation queued in the Outbox',
        <Stack gap={2}>
          <Text size="sm">
            {m.status === 'failed'
              ? `The confirmation for ${m.to} is in the Outbox but cannot go yet: ${sentence(m.lastError ?? 'see the Outbox')}`
              : `The confirmation goes to ${m.to} from the Outbox as soon as the mail server takes it.`}
          </Text>
          <ToDocuments tab="Outbox" />
        </Stack>,
      );
      onClose();
    } catch (err) {
      setError(fieldMessage(fieldErrorsOf(err).to, 'The address') ?? toAppError(err).message);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Email the confirmation" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {/* noValidate: the address is checked in main and its message shown under the field, not in a browser bubble. */}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">
            Payment <b>{name}</b> · {format.money(payment.amountCents)} · {payment.methodLabel}
          </Text>
          <TextInput
            label="Send to"
            description="The customer’s email on file; change it for this message only."
            type="email"
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
            autoComplete="off"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="email-confirmation-send">
              Queue the email
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// ------------------------------------------------------------------------------------------
// Void and refund

export type Reversal = 'void' | 'refund';

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

function OutcomeNotice({ outcome, detail }: { outcome: ReversalOutcomeDto; detail: PaymentDetailDto }) {
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

export function ReversalModal({ kind, detail, onClose }: { kind: Reversal; detail: PaymentDetailDto; onClose(): void }) {
  const format = useFormat();
  const shares = chargedByInvoice(detail);
  const refundableShares = shares.filter((s) => s.chargedCents > 0);
  const [scope, setScope] = useState<string>('all');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const voidPayment = useWrite('payments.void', { invalidates: LEDGER_READS });
  const refund = useWrite('payments.refund', { invalidates: LEDGER_READS });
  const busy = voidPayment.isPending || refund.isPending;
  const [outcome, setOutcome] = useState<ReversalOutcomeDto | null>(null);
  const name = detail.confirmationNumber ?? `payment #${detail.paymentId}`;

  const share = scope === 'all' ? null : shares.find((s) => s.invoiceNumber === scope) ?? null;
  const creditsBack = share ? share.creditCents : shares.reduce((s, x) => s + x.creditCents, 0);
  const reopens = share ? [share] : shares;
  const refundCents = share ? share.chargedCents : detail.refundableCents;
  const creditOnly = detail.kind === 'credit_only';

  const question =
    kind === 'void'
      ? creditOnly
        ? `Void ${name} and give back ${format.money(creditsBack)} of credits?`
        : `Void ${format.money(detail.amountCents)} charged to ${detail.methodLabel}?`
      : `Refund ${format.money(refundCents)} to ${detail.methodLabel}?`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (reason.trim() === '') {
      setReasonError(`Enter why the payment is ${kind === 'void' ? 'voided' : 'refunded'}; it is kept with the payment`);
      return;
    }
    setProblem(null);
    try {
      const result =
        kind === 'void'
          ? await voidPayment.mutateAsync({ paymentId: detail.paymentId, reason: reason.trim() })
          : await refund.mutateAsync({
              paymentId: detail.paymentId,
              reason: reason.trim(),
              ...(share ? { invoiceNumber: share.invoiceNumber } : {}),
            });
      setOutcome(result);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      if (fields.reason) setReasonError(fields.reason);
      else setProblem(toAppError(err).message);
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
      {outcome ? (
        <Stack>
          <OutcomeNotice outcome={outcome} detail={detail} />
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
              <Radio.Group label="What to refund" value={scope} onChange={setScope}>
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
            <Text fz="xl" fw={700} data-testid="reversal-question">
              {question}
            </Text>
            <List size="sm" spacing={2}>
              {reopens.length > 0 && (
                <List.Item>
                  {reopens.length === 1 ? 'Invoice' : 'Invoices'} reopened:{' '}
                  {reopens.map((s) => `${s.invoiceNumber} ${format.money(s.chargedCents + s.creditCents)}`).join(', ')}
                </List.Item>
              )}
              {creditsBack > 0 && <List.Item>Credits given back to the customer: {format.money(creditsBack)}</List.Item>}
              {kind === 'void' && !creditOnly && <List.Item>The charge is cancelled before it settles, so no money moves.</List.Item>}
              {kind === 'refund' && <List.Item>The money goes back to {detail.methodLabel}; it can take a few days to show.</List.Item>}
            </List>
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

// ------------------------------------------------------------------------------------------
// The row's buttons

/**
 * What the clerk can do with one payment of the history. Whether it may still be voided or
 * refunded is the main process's answer (payments.get), asked for each payment taken here.
 * The dialogs belong to the table, so they outlive the row when the history reloads under them.
 */
export function PaymentActions({
  payment,
  onEmail,
  onReverse,
}: {
  payment: PaymentSummaryDto;
  onEmail(payment: PaymentSummaryDto): void;
  onReverse(kind: Reversal, detail: PaymentDetailDto): void;
}) {
  const format = useFormat();
  const takenHere = TAKEN_HERE.has(payment.kind);
  const reversible = takenHere && payment.status === 'captured';
  const detail = useChannel('payments.get', reversible ? { paymentId: payment.paymentId } : null);
  const print = useWrite('documents.print', { invalidates: DOCUMENT_READS });
  const [busy, setBusy] = useState<'print' | 'pdf' | null>(null);
  const name = paymentName(payment, format);

  if (!takenHere || payment.status === 'pending') return null;

  const reprint = async () => {
    setBusy('print');
    try {
      const job = await print.mutateAsync({ document: { kind: 'confirmation', paymentId: payment.paymentId } });
      const what = documentName(payment, format);
      if (job.status === 'printed') notify('teal', 'Sent to the printer', `${what} was printed.`);
      else {
        notify(
          'orange',
          'Printer unavailable: kept in the print queue (Documents)',
          <Stack gap={2}>
            <Text size="sm">
              {what} waits in the print queue{job.lastError ? `: ${sentence(job.lastError)}` : '.'} Print it from there when the printer is
              back.
            </Text>
            <ToDocuments tab="Print queue" />
          </Stack>,
        );
      }
    } catch (e) {
      notify('red', 'The confirmation could not be printed', toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const savePdfFile = async () => {
    setBusy('pdf');
    try {
      const file = await call('documents.pdf', { document: { kind: 'confirmation', paymentId: payment.paymentId } });
      savePdf(file);
      notify('teal', 'PDF saved', `Saved as ${file.fileName}.`);
    } catch (e) {
      notify('red', 'The PDF could not be made', toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const d = detail.data;
  return (
    <Group gap={4} wrap="nowrap" data-testid="payment-actions">
      <Button size="compact-xs" variant="default" loading={busy === 'print'} aria-label={`Reprint: ${name}`} onClick={() => void reprint()}>
        Reprint
      </Button>
      <Button size="compact-xs" variant="default" loading={busy === 'pdf'} aria-label={`Save PDF: ${name}`} onClick={() => void savePdfFile()}>
        Save PDF
      </Button>
      <Button size="compact-xs" variant="default" aria-label={`Email: ${name}`} onClick={() => onEmail(payment)}>
        Email
      </Button>
      {d?.canVoid && (
        <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Void: ${name}`} onClick={() => onReverse('void', d)}>
          Void
        </Button>
      )}
      {d && d.refundableCents > 0 && (
        <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Refund: ${name}`} onClick={() => onReverse('refund', d)}>
          Refund
        </Button>
      )}
    </Group>
  );
}
