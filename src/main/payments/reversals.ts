import crypto from 'node:crypto';
import type { ReversalOutcomeDto } from '../../shared/contract/payments';
import { AppError, validationError } from '../../shared/errors';
import type { PaymentReversalRow } from '../db/schema';
import type { Tx } from '../db/types';
import { insertApplications, reverseApplications } from '../ledger/applications.repo';
import { refreshInvoiceStatus } from '../ledger/balances.repo';
import { creditNumbersByIds } from '../ledger/credits.repo';
import { postingTime, type PostingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { refuseOnDamagedLedger } from '../db/ledger-check';
import type { PaymentsContext } from './context';
import type { LookupResult, ReversalResult } from './gateway';
import {
  insertReversal,
  markVoided,
  paymentById,
  reversalById,
  reversalsOf,
  settleIfPending,
  setUnappliedCents,
  standingApplicationsOf,
  takeWriteLock,
  lockCustomerOfPayment,
  lockCustomerOfReversal,
} from './payments.repo';
import { paymentMethodLabel, planRefund, type RefundPlan } from './payments.rules';
import { claimAtInsert, releaseQuietly } from './claims';
import { lookupSafely } from './settle';
import { writeTx } from '../db/dialect';
import { assertDayOpen } from '../ledger/day-close';

/**
 * Voids and refunds: a reversal of a captured payment is committed pending, then the gateway is
 * asked, and its answer completes the reversal (the applications reversed, the rest re-applied)
 * or fails it.
 */

function reversalOutcome(
  r: PaymentReversalRow,
  details: { reopened?: ReversalOutcomeDto['reopened']; creditsRestored?: ReversalOutcomeDto['creditsRestored'] } = {},
): ReversalOutcomeDto {
  return {
    status: r.status,
    reversalId: r.id,
    paymentId: r.payment_id,
    kind: r.kind,
    amountCents: r.amount_cents,
    message: r.failure_message,
    reopened: details.reopened ?? [],
    creditsRestored: details.creditsRestored ?? [],
  };
}

/**
 * Completes a reversal the gateway approved: the reversal rows (and, for a partial refund, the
 * re-applied remainder) in one transaction with the reversal's status.
 */
export async function completeReversal(
  ctx: PaymentsContext,
  reversalId: number,
  gatewayTransactionId: string | null,
  actor: string,
  via: string,
): Promise<ReversalOutcomeDto> {
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, (trx) => completeReversalIn(ctx, trx, reversalId, gatewayTransactionId, actor, via, time));
}

export async function completeReversalIn(
  ctx: PaymentsContext,
  trx: Tx,
  reversalId: number,
  gatewayTransactionId: string | null,
  actor: string,
  via: string,
  time: PostingTime,
): Promise<ReversalOutcomeDto> {
  await lockCustomerOfReversal(trx, reversalId);
  // Closing a day waits for its pending reversals; the reversal's rows are posted on this business date.
  await assertDayOpen(trx, time.businessDate);
  const completed = await settleIfPending(trx, 'payment_reversals', reversalId, {
    status: 'completed',
    gateway_transaction_id: gatewayTransactionId,
    settled_at: time.at,
  });
  const r = (await reversalById(trx, reversalId))!;
  if (!completed) return reversalOutcome(r);
  const p = (await paymentById(trx, r.payment_id))!;
  const standing = await standingApplicationsOf(trx, p.id);
  let plan: RefundPlan;
  if (r.kind === 'void') {
    plan = { refundCents: r.amount_cents, reverseIds: standing.map((a) => a.id), reapply: [], fromUnappliedCents: p.unapplied_cents };
  } else {
    const planned = planRefund({ standing, unappliedCents: p.unapplied_cents, invoiceId: r.invoice_id, amountCents: r.amount_cents });
    // Only another module reversing this payment's rows meanwhile gets here; the money is back with the customer either way.
    plan = planned.ok ? planned.plan : { refundCents: r.amount_cents, reverseIds: [], reapply: [], fromUnappliedCents: 0 };
    if (!planned.ok) ctx.deps.log.warn('A completed refund no longer matched the payment’s applications', { reversalId });
  }
  const reversed = plan.reverseIds.length > 0 ? await reverseApplications(trx, plan.reverseIds, r.reason, actor, time) : [];
  if (plan.reapply.length > 0) {
    await insertApplications(
      trx,
      plan.reapply.map((x) => ({
        invoiceId: x.invoiceId,
        customerId: p.customer_id,
        source: 'payment' as const,
        paymentId: p.id,
        creditId: null,
        amountCents: x.amountCents,
        appliedOn: time.businessDate,
        reason: `Kept after partial refund ${reversalId}`,
      })),
      actor,
      time.at,
    );
    for (const x of plan.reapply) await refreshInvoiceStatus(trx, x.invoiceId);
  }
  if (plan.fromUnappliedCents > 0) await setUnappliedCents(trx, p.id, p.unapplied_cents - plan.fromUnappliedCents);
  if (r.kind === 'void') await markVoided(trx, p.id);

  const numbers = new Map(standing.map((a) => [a.invoiceId, a.invoiceNumber]));
  const reopenedBy = new Map<number, number>();
  const restoredBy = new Map<number, number>();
  for (const x of reversed) {
    reopenedBy.set(x.invoiceId, (reopenedBy.get(x.invoiceId) ?? 0) - x.amountCents);
    if (x.source === 'credit' && x.creditId !== null) restoredBy.set(x.creditId, (restoredBy.get(x.creditId) ?? 0) - x.amountCents);
  }
  for (const x of plan.reapply) reopenedBy.set(x.invoiceId, (reopenedBy.get(x.invoiceId) ?? 0) - x.amountCents);
  const creditNumbers = restoredBy.size > 0 ? await creditNumbersByIds(trx, [...restoredBy.keys()]) : new Map<number, string>();
  const reopened = [...reopenedBy].filter(([, c]) => c > 0).map(([id, c]) => ({ invoiceNumber: numbers.get(id) ?? String(id), amountCents: c }));
  const creditsRestored = [...restoredBy].map(([id, c]) => ({ creditNumber: creditNumbers.get(id) ?? String(id), amountCents: c }));
  await appendAudit(trx, {
    actor,
    action: r.kind === 'void' ? 'payment.void' : 'payment.refund',
    entity: 'payment',
    entityId: p.id,
    summary: { via, reversalId, amountCents: r.amount_cents, reason: r.reason, transactionId: gatewayTransactionId, reopened, creditsRestored },
    at: time.at,
  });
  return reversalOutcome((await reversalById(trx, reversalId))!, { reopened, creditsRestored });
}

async function failReversal(
  ctx: PaymentsContext,
  reversalId: number,
  code: string,
  message: string,
  actor: string,
  via: string,
): Promise<ReversalOutcomeDto> {
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    const failed = await settleIfPending(trx, 'payment_reversals', reversalId, { status: 'failed', failure_message: message, settled_at: time.at });
    const r = (await reversalById(trx, reversalId))!;
    if (!failed) return reversalOutcome(r);
    await appendAudit(trx, {
      actor,
      action: r.kind === 'void' ? 'payment.void_decline' : 'payment.refund_decline',
      entity: 'payment',
      entityId: r.payment_id,
      summary: { via, reversalId, amountCents: r.amount_cents, code, message },
      at: time.at,
    });
    return reversalOutcome(r);
  });
}

/** Records the gateway's answer about a reversal; null while it is unknown (and not yet stale). */
export async function settleReversal(
  ctx: PaymentsContext,
  reversalId: number,
  r: ReversalResult | LookupResult | null,
  actor: string,
  via: string,
  stale: boolean,
): Promise<ReversalOutcomeDto | null> {
  if (r === null || r.outcome === 'error') return null;
  if (r.outcome === 'approved') return completeReversal(ctx, reversalId, r.transactionId, actor, via);
  if (r.outcome === 'declined') return failReversal(ctx, reversalId, r.code, r.message, actor, via);
  if (stale) return failReversal(ctx, reversalId, 'no_answer', 'The request never reached the payment gateway; nothing was returned.', actor, via);
  return null;
}

/** Voids or refunds a captured payment: the pending reversal is committed before the gateway is asked. */
export async function reverse(
  ctx: PaymentsContext,
  kind: 'void' | 'refund',
  input: { paymentId: number; reason: string; invoiceNumber?: string; amountCents?: number },
  actor: string,
): Promise<ReversalOutcomeDto> {
  await refuseOnDamagedLedger(ctx.deps.ledger);
  const reason = input.reason.trim();
  if (!reason) throw validationError('reason', `is required to ${kind} a payment`);
  const { deps, db } = ctx;
  const time = postingTime(deps);
  const prepared = await writeTx(db, async (trx) => {
    await takeWriteLock(trx);
    await lockCustomerOfPayment(trx, input.paymentId);
    const p = await paymentById(trx, input.paymentId);
    if (!p) throw new AppError('NOT_FOUND', `No payment ${input.paymentId}`, { paymentId: input.paymentId });
    await assertDayOpen(trx, time.businessDate);
    if (p.status !== 'captured') {
      throw new AppError('CONFLICT', `Payment ${p.confirmation_number ?? p.id} is ${p.status}; only a captured payment can be ${kind === 'void' ? 'voided' : 'refunded'}`);
    }
    if (!['card', 'bank', 'credit_only'].includes(p.kind)) {
      throw new AppError('VALIDATION', `A ${paymentMethodLabel(p.kind, null, null).toLowerCase()} payment was not taken here and cannot be ${kind === 'void' ? 'voided' : 'refunded'} here`);
    }
    const reversals = await reversalsOf(trx, p.id);
    if (reversals.some((x) => x.status === 'pending')) {
      throw new AppError('CONFLICT', 'A void or refund of this payment is still waiting for the payment gateway; try again in a minute');
    }
    const standing = await standingApplicationsOf(trx, p.id);
    let amount: number;
    let invoiceId: number | null = null;
    if (kind === 'void') {
      if (p.kind !== 'credit_only' && p.received_on !== time.businessDate) {
        throw new AppError('VALIDATION', `A payment can be voided only on the day it was taken (${p.received_on}); refund it instead`);
      }
      if (reversals.some((x) => x.kind === 'refund' && x.status === 'completed')) {
        throw new AppError('VALIDATION', 'This payment was partly refunded, so it cannot be voided; refund the rest instead');
      }
      amount = p.kind === 'credit_only' ? standing.reduce((s, a) => s + a.amountCents, 0) : p.amount_cents;
      if (amount === 0) throw new AppError('VALIDATION', 'Nothing of this payment is left to void');
    } else {
      if (p.kind === 'credit_only') {
        throw new AppError('VALIDATION', 'A credit-only payment returned no money to refund; void it to give the credits back');
      }
      const invoiceNumber = input.invoiceNumber?.trim();
      if (invoiceNumber !== undefined) {
        const inv = standing.find((a) => a.invoiceNumber === invoiceNumber);
        if (!inv) throw validationError('invoiceNumber', `${invoiceNumber} has nothing standing from this payment`);
        invoiceId = inv.invoiceId;
      }
      const planned = planRefund({ standing, unappliedCents: p.unapplied_cents, invoiceId, amountCents: input.amountCents ?? null });
      if (!planned.ok) throw validationError(input.amountCents === undefined ? 'paymentId' : 'amountCents', planned.message);
      amount = planned.plan.refundCents;
    }
    const key = `${kind}-${p.id}-${crypto.randomUUID()}`;
    const reversalId = await insertReversal(trx, {
      payment_id: p.id,
      kind,
      status: 'pending',
      amount_cents: amount,
      invoice_id: invoiceId,
      reason,
      idempotency_key: key,
      gateway_transaction_id: null,
      failure_message: null,
      created_at: time.at,
      created_by: actor,
      settled_at: null,
      posted_on: time.businessDate,
      // Held while the void or refund is at the gateway, so no other workstation's recovery settles it meanwhile.
      ...(p.kind === 'credit_only' ? {} : claimAtInsert(deps)),
    });
    await appendAudit(trx, {
      actor,
      action: kind === 'void' ? 'payment.void_request' : 'payment.refund_request',
      entity: 'payment',
      entityId: p.id,
      summary: { reversalId, amountCents: amount, invoiceNumber: input.invoiceNumber ?? null, reason },
      at: time.at,
    });
    // Credits alone moved no money at the gateway: the reversal completes in this same transaction.
    const done = p.kind === 'credit_only' ? await completeReversalIn(ctx, trx, reversalId, null, actor, 'credits', time) : null;
    return { reversalId, key, payment: p, amount, done };
  });

  const { reversalId, key, payment, amount, done } = prepared;
  if (done) return done;
  try {
    return await askGateway(ctx, kind, reversalId, key, payment.gateway_transaction_id ?? '', amount, actor);
  } finally {
    await releaseQuietly(ctx, 'payment_reversals', reversalId);
  }
}

/** Sends the void or refund just committed pending to the gateway and records its answer; pending when there is none. */
function askGateway(
  ctx: PaymentsContext,
  kind: 'void' | 'refund',
  reversalId: number,
  key: string,
  transactionId: string,
  amount: number,
  actor: string,
): Promise<ReversalOutcomeDto> {
  const { deps, db } = ctx;
  return ctx.locks.reversals.holding(reversalId, async (): Promise<ReversalOutcomeDto> => {
    let result: ReversalResult;
    try {
      result =
        kind === 'void'
          ? await deps.gateway.void(transactionId, key)
          : await deps.gateway.refund(transactionId, amount, key);
    } catch (e) {
      deps.log.warn(`The payment gateway did not answer a ${kind}; it stays pending`, { reversalId, error: (e as Error).message });
      return reversalOutcome((await reversalById(db, reversalId))!);
    }
    if (result.outcome === 'error') {
      const looked = await lookupSafely(deps, key);
      const settled = await settleReversal(ctx, reversalId, looked, actor, kind, true);
      if (settled) return settled.status === 'failed' && looked?.outcome === 'not_found' ? { ...settled, message: result.message } : settled;
      return reversalOutcome((await reversalById(db, reversalId))!);
    }
    return (await settleReversal(ctx, reversalId, result, actor, kind, false))!;
  });
}
