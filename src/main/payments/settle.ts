import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { PaymentSubmitDto } from '../../shared/contract/payments';
import { AppError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { PaymentRow } from '../db/schema';
import type { Tx } from '../db/types';
import { busyLedgerWords, ledgerWriteFailure } from '../db/write-failure';
import { insertApplications } from '../ledger/applications.repo';
import { refreshInvoiceStatus } from '../ledger/balances.repo';
import { creditRemainingCents } from '../ledger/credits.repo';
import { postingTime, type PostingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import type { PaymentsContext } from './context';
import { NEVER_REACHED_GATEWAY, type Approved, type LookupResult } from './gateway';
import {
  allocationsOf,
  confirmationTaken,
  invoiceState,
  lockCustomerOfPayment,
  paymentById,
  setConfirmationNumber,
  settleIfFailedWith,
  settleIfPending,
  setUnappliedCents,
} from './payments.repo';
import { confirmationNumberFrom, paymentMethodLabel } from './payments.rules';
import { submitResultOf } from './read-models';
import { writeTx } from '../db/dialect';
import { assertDayOpen } from '../ledger/day-close';
import { whileClaimed } from './claims';

/**
 * Settling a payment with the gateway's answer: captured (posted, numbered, its confirmation
 * queued) or declined, in one transaction each, and asking the gateway what became of a payment
 * left pending.
 */

/**
 * A pending payment the gateway has never heard of is failed only once it is older than this:
 * long past any gateway timeout, so a request still travelling cannot land after we gave up on it.
 */
export const DEFAULT_STALE_AFTER_MS = 2 * 60 * 1000;

/**
 * The code of a payment recovery failed because the gateway had no record of it after
 * DEFAULT_STALE_AFTER_MS: a conclusion of the ledger's, not an answer of the gateway's.
 */
const NO_ANSWER = NEVER_REACHED_GATEWAY;

/** The gateway's answer about a charge, as the ledger records it. */
export type Outcome =
  | { type: 'approved'; approved: Pick<Approved, 'transactionId' | 'authorizationCode' | 'avs' | 'cvc'> }
  | { type: 'declined'; status: 'declined' | 'failed'; code: string; message: string };

export async function newConfirmationNumber(trx: Tx): Promise<string> {
  for (;;) {
    const candidate = confirmationNumberFrom(crypto.randomBytes(16));
    if (candidate && !(await confirmationTaken(trx, candidate))) return candidate;
  }
}

/**
 * Posts what the pending payment set aside: credits first, then the charge, per invoice as quoted.
 * If the ledger moved meanwhile (an invoice voided or paid by other means), only what is still
 * open is applied and the rest of the charge is held on account, so captured money is never lost.
 */
export async function postAllocations(trx: Tx, p: PaymentRow, actor: string, time: PostingTime) {
  const allocations = await allocationsOf(trx, p.id);
  let unapplied = p.amount_cents - allocations.filter((a) => a.source !== 'credit').reduce((s, a) => s + a.amountCents, 0);
  const shortfalls: { invoiceNumber: string; intendedCents: number; appliedCents: number }[] = [];
  const touched = new Set<number>();
  for (const a of allocations) {
    const invoice = await invoiceState(trx, a.invoiceId);
    let amount = invoice.status === 'void' ? 0 : Math.min(a.amountCents, Math.max(0, invoice.openCents));
    if (a.source === 'credit') amount = Math.min(amount, await creditRemainingCents(trx, a.creditId!));
    else unapplied += a.amountCents - amount;
    if (amount < a.amountCents) shortfalls.push({ invoiceNumber: a.invoiceNumber, intendedCents: a.amountCents, appliedCents: amount });
    if (amount === 0) continue;
    await insertApplications(
      trx,
      [
        {
          invoiceId: a.invoiceId,
          customerId: p.customer_id,
          source: a.source === 'credit' ? 'credit' : 'payment',
          paymentId: p.id,
          creditId: a.source === 'credit' ? a.creditId : null,
          amountCents: amount,
          appliedOn: p.received_on,
        },
      ],
      actor,
      time.at,
    );
    touched.add(a.invoiceId);
  }
  for (const invoiceId of touched) await refreshInvoiceStatus(trx, invoiceId);
  if (unapplied !== 0) await setUnappliedCents(trx, p.id, unapplied);
  return { unapplied, shortfalls };
}

/**
 * Queues the confirmation the clerk asked for (print or email) in the approval's transaction.
 * It runs under a savepoint: if the document cannot be queued, the money is still posted and
 * the clerk prints or emails it again from the payment.
 */
export async function queueConfirmation(ctx: PaymentsContext, trx: Tx, p: PaymentRow, actor: string, time: PostingTime): Promise<void> {
  if (p.delivery === 'none') return;
  await sql`SAVEPOINT payment_confirmation`.execute(trx);
  try {
    await ctx.confirmations.enqueue(trx, { paymentId: p.id, delivery: p.delivery, emailTo: p.receipt_email, actor, now: time.at });
    await sql`RELEASE payment_confirmation`.execute(trx);
  } catch (e) {
    // SQLite may have ended the whole transaction (a full disk): nothing is left to roll back to,
    // and the approval fails with SQLite's error instead of posting half of it.
    if (ctx.deps.ledger.dialect === 'sqlite' && !ctx.deps.ledger.sqlite.inTransaction) throw e;
    await sql`ROLLBACK TO payment_confirmation`.execute(trx);
    await sql`RELEASE payment_confirmation`.execute(trx);
    ctx.deps.log.warn('The payment confirmation could not be queued; print or email it from the payment', {
      paymentId: p.id,
      error: (e as Error).message,
    });
  }
}

/**
 * The gateway answered but the ledger could not write the answer down: the disk is full or
 * failing, or another process held the ledger too long. The payment stays pending, and recovery
 * (or the same key submitted again) settles it from the gateway's record once the ledger can write.
 * The log keeps SQLite's own error; the clerk is told what became of the money. Other errors are
 * returned as they are.
 */
async function unrecordedAnswer(ctx: PaymentsContext, paymentId: number, e: unknown, answer: 'approved' | 'declined'): Promise<unknown> {
  const failure = ledgerWriteFailure(e);
  if (!failure) return e;
  const error = e as { code?: string; message?: string };
  ctx.deps.log.error(`The gateway ${answer} a payment but the ledger could not record it; it stays pending until it can`, {
    paymentId,
    code: error.code,
    error: error.message,
  });
  const busy = failure === 'busy' ? await busyLedgerWords(ctx.db) : null;
  const why = failure === 'full' ? 'the disk is full' : failure === 'io' ? 'the disk could not be written' : busy!.importing ? 'the ledger is busy importing' : 'another program is writing to the ledger';
  const when = failure === 'full' ? 'when space is freed' : failure === 'io' ? 'when the disk can be written again' : 'as soon as the ledger is free';
  const p = await paymentById(ctx.db, paymentId).catch(() => undefined);
  const message =
    answer === 'approved'
      ? `${p?.kind === 'bank' ? 'The bank account was charged' : 'The card was charged'} but the ledger could not record it: ${why}. ` +
        `Do not charge again; the payment will be recorded ${when}.`
      : `The payment was not approved and nothing was charged, but the ledger could not record that yet: ${why}. ` +
        `It shows as pending until it is recorded ${when}.`;
  return new AppError('UNAVAILABLE', message, { paymentId, status: 'pending', reason: `ledger-${failure}`, charged: answer === 'approved' });
}

/** How many times an approval is tried while another process holds the ledger (each try waits SQLite's busy timeout). */
const CAPTURE_BUSY_TRIES = 2;

/** Marks a pending payment captured and posts it, in one transaction; a payment settled by someone else is left as it is. */
export async function capture(ctx: PaymentsContext, paymentId: number, outcome: Extract<Outcome, { type: 'approved' }>, actor: string, via: 'charge' | 'recovery') {
  for (let tries = 1; ; tries++) {
    try {
      return await captureNow(ctx, paymentId, outcome, actor, via);
    } catch (e) {
      // Money moved: while an import holds the ledger, wait for it rather than leave the payment pending.
      if (ledgerWriteFailure(e) === 'busy' && tries < CAPTURE_BUSY_TRIES) continue;
      throw await unrecordedAnswer(ctx, paymentId, e, 'approved');
    }
  }
}

async function captureNow(ctx: PaymentsContext, paymentId: number, outcome: Extract<Outcome, { type: 'approved' }>, actor: string, via: 'charge' | 'recovery') {
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    await lockCustomerOfPayment(trx, paymentId);
    // Closing a day waits for its pending payments, so this refuses only a payment settled against the rules.
    const pending = await paymentById(trx, paymentId);
    if (pending) await assertDayOpen(trx, pending.received_on);
    const changes = {
      status: 'captured' as const,
      gateway_transaction_id: outcome.approved.transactionId,
      authorization_code: outcome.approved.authorizationCode,
      avs_result: outcome.approved.avs,
      cvc_result: outcome.approved.cvc,
      settled_at: time.at,
    };
    // A decline never overwrites a capture: only a pending payment is settled. The one exception is
    // the reverse: recovery failed it for lack of an answer (another process, the charge not yet at
    // the gateway), and the gateway approved it after all. The card was charged, so it is captured,
    // and what it set aside is posted as far as the ledger still allows (postAllocations).
    const captured = await settleIfPending(trx, 'payments', paymentId, changes);
    const afterNoAnswer = !captured && (await settleIfFailedWith(trx, paymentId, NO_ANSWER, changes));
    if (!captured && !afterNoAnswer) return submitResultOf(trx, (await paymentById(trx, paymentId))!);
    const confirmation = await newConfirmationNumber(trx);
    await setConfirmationNumber(trx, paymentId, confirmation);
    const p = (await paymentById(trx, paymentId))!;
    const posted = await postAllocations(trx, p, actor, time);
    await appendAudit(trx, {
      actor,
      action: 'payment.capture',
      entity: 'payment',
      entityId: paymentId,
      summary: {
        via,
        confirmationNumber: confirmation,
        amountCents: p.amount_cents,
        method: paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
        transactionId: outcome.approved.transactionId,
        avs: outcome.approved.avs,
        cvc: outcome.approved.cvc,
        unappliedCents: posted.unapplied,
        ...(posted.shortfalls.length > 0 ? { shortfalls: posted.shortfalls } : {}),
        ...(afterNoAnswer ? { overrides: { status: 'failed', code: NO_ANSWER } } : {}),
      },
      at: time.at,
    });
    if (afterNoAnswer) {
      ctx.deps.log.warn('The gateway approved a payment recovery had failed for lack of an answer; it is captured after all', { paymentId });
    }
    if (posted.shortfalls.length > 0) {
      ctx.deps.log.warn('A captured payment could not be applied as quoted; the rest is held on account', { paymentId });
    }
    await queueConfirmation(ctx, trx, p, actor, time);
    return submitResultOf(trx, (await paymentById(trx, paymentId))!);
  });
}

export async function decline(ctx: PaymentsContext, paymentId: number, outcome: Extract<Outcome, { type: 'declined' }>, actor: string, via: 'charge' | 'recovery') {
  try {
    return await declineNow(ctx, paymentId, outcome, actor, via);
  } catch (e) {
    throw await unrecordedAnswer(ctx, paymentId, e, 'declined');
  }
}

async function declineNow(ctx: PaymentsContext, paymentId: number, outcome: Extract<Outcome, { type: 'declined' }>, actor: string, via: 'charge' | 'recovery') {
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    const declined = await settleIfPending(trx, 'payments', paymentId, {
      status: outcome.status,
      decline_code: outcome.code,
      decline_message: outcome.message,
      settled_at: time.at,
    });
    const p = (await paymentById(trx, paymentId))!;
    if (!declined) return submitResultOf(trx, p);
    await appendAudit(trx, {
      actor,
      action: outcome.status === 'declined' ? 'payment.decline' : 'payment.fail',
      entity: 'payment',
      entityId: paymentId,
      summary: {
        via,
        amountCents: p.amount_cents,
        method: paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
        code: outcome.code,
        message: outcome.message,
      },
      at: time.at,
    });
    return submitResultOf(trx, p);
  });
}

export function outcomeOfLookup(r: LookupResult): Outcome | 'not_found' | null {
  if (r.outcome === 'approved') return { type: 'approved', approved: r };
  if (r.outcome === 'declined') {
    return { type: 'declined', status: r.code === 'processing_error' ? 'failed' : 'declined', code: r.code, message: r.message };
  }
  if (r.outcome === 'not_found') return 'not_found';
  return null;
}

/** The gateway's record under an idempotency key, or null when it does not answer. */
export async function lookupSafely(deps: Pick<CoreDeps, 'gateway' | 'log'>, key: string): Promise<LookupResult | null> {
  try {
    return await deps.gateway.lookup(key);
  } catch (e) {
    deps.log.warn('The payment gateway did not answer a lookup', { error: (e as Error).message });
    return null;
  }
}

/**
 * Asks the gateway what became of a pending payment and settles it. Never charges: only the
 * original submit charges. Returns null while the answer is still unknown, and without asking when
 * the payment is at the gateway here or claimed by another workstation (claims.ts).
 */
export async function settleFromGateway(ctx: PaymentsContext, p: PaymentRow, staleAfterMs: number, actor: string): Promise<PaymentSubmitDto | null> {
  if (ctx.locks.payments.has(p.id)) return null;
  return ctx.locks.payments.holding(p.id, () => whileClaimed(ctx, 'payments', p.id, () => settleClaimed(ctx, p, staleAfterMs, actor)));
}

async function settleClaimed(ctx: PaymentsContext, p: PaymentRow, staleAfterMs: number, actor: string): Promise<PaymentSubmitDto | null> {
  const r = await lookupSafely(ctx.deps, p.idempotency_key ?? '');
  const outcome = r ? outcomeOfLookup(r) : null;
  if (outcome === null) return null;
  if (outcome === 'not_found') {
    const age = ctx.deps.clock.now().getTime() - Date.parse(p.created_at);
    if (age < staleAfterMs) return null;
    return decline(
      ctx,
      p.id,
      { type: 'declined', status: 'failed', code: NO_ANSWER, message: 'The payment never reached the payment gateway; nothing was charged.' },
      actor,
      'recovery',
    );
  }
  return outcome.type === 'approved' ? capture(ctx, p.id, outcome, actor, 'recovery') : decline(ctx, p.id, outcome, actor, 'recovery');
}
