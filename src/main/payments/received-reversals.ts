import crypto from 'node:crypto';
import type { ReversalOutcomeDto } from '../../shared/contract/payments';
import { AppError, validationError } from '../../shared/errors';
import type { PaymentRow } from '../db/schema';
import type { Tx } from '../db/types';
import { writeTx } from '../db/dialect';
import { refuseOnDamagedLedger } from '../db/ledger-check';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import type { PaymentsContext } from './context';
import { insertReversal, lockCustomerOfPayment, paymentById, reversalsOf, standingApplicationsOf, takeWriteLock } from './payments.repo';
import { planRefund } from './payments.rules';
import { receivedLabel } from './received.rules';
import { completeReversalIn } from './reversals';

/**
 * Reversing money received outside the gateway: nobody is asked, so the reversal is recorded and
 * completed in one transaction, with the same reversal rows as a card's (the payment is never
 * edited). A refund is paid out by our check (its number) or cash; a check the bank returned
 * reverses the whole payment and reopens its invoices.
 */

export type Payout = { method: 'check'; checkNumber: string } | { method: 'cash' };

/** The captured received payment to reverse, read after the customer's lock. */
async function reversible(trx: Tx, paymentId: number, what: string): Promise<PaymentRow> {
  await takeWriteLock(trx);
  await lockCustomerOfPayment(trx, paymentId);
  const p = await paymentById(trx, paymentId);
  if (!p) throw new AppError('NOT_FOUND', `No payment ${paymentId}`, { paymentId });
  if (p.received_via === null) throw new AppError('VALIDATION', `Payment ${p.confirmation_number ?? p.id} went through the payment gateway; ${what} applies only to money received by check, cash or wire`);
  if (p.status !== 'captured') throw new AppError('CONFLICT', `Payment ${p.confirmation_number ?? p.id} is ${p.status}; only a captured payment can be reversed`);
  const reversals = await reversalsOf(trx, p.id);
  if (reversals.some((x) => x.status === 'pending')) throw new AppError('CONFLICT', 'Another reversal of this payment is still in progress; try again in a minute');
  return p;
}

/** Refunds received money up to what is refundable, paid out by our check or in cash. */
export async function refundReceived(
  ctx: PaymentsContext,
  input: { paymentId: number; reason: string; invoiceNumber?: string | undefined; amountCents?: number | undefined; payout?: Payout | undefined },
  actor: string,
): Promise<ReversalOutcomeDto> {
  await refuseOnDamagedLedger(ctx.deps.ledger);
  const reason = input.reason.trim();
  if (!reason) throw validationError('reason', 'is required to refund a payment');
  const payout = input.payout;
  if (!payout) throw validationError('payout', 'Say how the money is paid back: by our check (its number) or in cash');
  const checkNumber = payout.method === 'check' ? payout.checkNumber.trim() : null;
  if (payout.method === 'check' && !checkNumber) throw validationError('payout.checkNumber', 'is required: the number of the check we wrote');
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    const p = await reversible(trx, input.paymentId, 'a refund paid out by check or cash');
    const standing = await standingApplicationsOf(trx, p.id);
    let invoiceId: number | null = null;
    const invoiceNumber = input.invoiceNumber?.trim();
    if (invoiceNumber !== undefined) {
      const inv = standing.find((a) => a.invoiceNumber === invoiceNumber);
      if (!inv) throw validationError('invoiceNumber', `${invoiceNumber} has nothing standing from this payment`);
      invoiceId = inv.invoiceId;
    }
    const planned = planRefund({ standing, unappliedCents: p.unapplied_cents, invoiceId, amountCents: input.amountCents ?? null });
    if (!planned.ok) throw validationError(input.amountCents === undefined ? 'paymentId' : 'amountCents', planned.message);
    const amount = planned.plan.refundCents;
    const reversalId = await insertReversal(trx, {
      payment_id: p.id,
      kind: 'refund',
      status: 'pending',
      amount_cents: amount,
      invoice_id: invoiceId,
      reason,
      idempotency_key: `refund-${p.id}-${crypto.randomUUID()}`,
      gateway_transaction_id: null,
      failure_message: null,
      created_at: time.at,
      created_by: actor,
      settled_at: null,
      // The business date it counts on in the payments report and the day's close.
      posted_on: time.businessDate,
      payout_method: payout.method,
      payout_check_number: checkNumber,
    });
    await appendAudit(trx, {
      actor,
      action: 'payment.refund_request',
      entity: 'payment',
      entityId: p.id,
      summary: { reversalId, amountCents: amount, invoiceNumber: invoiceNumber ?? null, reason, payout: payout.method, payoutCheckNumber: checkNumber, method: receivedLabel(p) },
      at: time.at,
    });
    return completeReversalIn(ctx, trx, reversalId, null, actor, payout.method === 'check' ? 'check' : 'cash', time);
  });
}

/** The bank returned a check: the whole payment is reversed, its invoices reopened and its credits given back. */
export async function returnCheck(ctx: PaymentsContext, input: { paymentId: number; reason: string }, actor: string): Promise<ReversalOutcomeDto> {
  await refuseOnDamagedLedger(ctx.deps.ledger);
  const reason = input.reason.trim();
  if (!reason) throw validationError('reason', 'is required: what the bank said when it returned the check');
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    const p = await reversible(trx, input.paymentId, 'a returned check');
    if (p.received_via !== 'check') throw new AppError('VALIDATION', `Payment ${p.confirmation_number ?? p.id} was not paid by check`);
    const reversals = await reversalsOf(trx, p.id);
    if (reversals.some((x) => x.kind === 'refund' && x.status === 'completed')) {
      throw new AppError('VALIDATION', 'Part of this check was refunded already; record the rest as a refund instead');
    }
    const reversalId = await insertReversal(trx, {
      payment_id: p.id,
      kind: 'void',
      status: 'pending',
      amount_cents: p.amount_cents,
      invoice_id: null,
      reason: `Check returned by the bank: ${reason}`,
      idempotency_key: `returned-${p.id}-${crypto.randomUUID()}`,
      gateway_transaction_id: null,
      failure_message: null,
      created_at: time.at,
      created_by: actor,
      settled_at: null,
      // The business date it counts on in the payments report and the day's close.
      posted_on: time.businessDate,
      returned: 1,
    });
    await appendAudit(trx, {
      actor,
      action: 'payment.check_returned',
      entity: 'payment',
      entityId: p.id,
      summary: { reversalId, amountCents: p.amount_cents, checkNumber: p.check_number, reason },
      at: time.at,
    });
    return completeReversalIn(ctx, trx, reversalId, null, actor, 'returned check', time);
  });
}
