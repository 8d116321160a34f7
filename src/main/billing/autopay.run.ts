/**
 * The autopay step of the daily billing run: for each customer with autopay on, the open invoices
 * due by the run's date (not disputed), oldest first, charged in one payment through the payments
 * workflow with the method on file.
 *
 * Exactly once rests on the database: the attempt is written first, under the customer's lock, with
 * UNIQUE (customer, date) and a UNIQUE idempotency key derived from the customer, the invoices, the
 * date and the attempt number, which the payment and the gateway carry too. A repeated run finds
 * the attempt and leaves it; a run that stopped between the attempt and the payment sends the same
 * key again the same day (the gateway answers a key once), or drops the attempt as not charged on a
 * later day. An attempt whose payment has no answer stays unknown, and the customer gets no new
 * attempt, until payment recovery settles the payment.
 */
import { AppError } from '../../shared/errors';
import type { IsoDate } from '../../shared/dates';
import type { CoreDeps } from '../deps';
import type { PaymentMethodRow } from '../db/schema';
import { lockCustomer, writeTx } from '../db/dialect';
import { openInvoicesFor } from '../ledger/balances.repo';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { isHardDecline, NEVER_REACHED_GATEWAY } from '../payments/gateway';
import { isMethodExpired, methodLabel } from '../payments/paymentMethods.rules';
import { takeWriteLock } from '../payments/payments.repo';
import { attemptInvoices, attemptIsOpen, autopayCustomers, cardsExpiringSoon, autopayMethod, lastAttemptOf, paymentOfKey, settleAttempt, type AttemptRow, type AutopayCustomer } from './autopay.repo';
import { autopayKey, decideAttempt, invoicesToCharge, nextRetryDate } from './autopay.rules';
import { queueDeclineNotice, queueExpiryNoticeOnce } from './autopay.notices';
import type { AutopayPayments, AutopayRunResult } from './autopay.ports';

type Deps = Pick<CoreDeps, 'ledger' | 'clock' | 'settings' | 'workstation' | 'log'>;

export function createAutopayStep(deps: Deps, payments: AutopayPayments) {
  const db = deps.ledger.db;

  /** An attempt's outcome from its payment: approved, declined (retried on the schedule) or hard declined; unknown while pending. */
  async function settleFromPayment(a: AttemptRow, c: AutopayCustomer, method: PaymentMethodRow | undefined, actor: string): Promise<AttemptRow['outcome']> {
    const p = await paymentOfKey(db, a.idempotency_key);
    if (!p) return a.outcome;
    const time = postingTime(deps);
    const settings = deps.settings.get();
    return writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      await lockCustomer(trx, c.customerId);
      if (p.status === 'pending') {
        if (a.outcome === 'pending') await settleAttempt(trx, a.id, { outcome: 'unknown', paymentId: p.id, declineCode: null, declineMessage: null, firstDeclinedOn: null, nextRetryDate: null }, time.at);
        return 'unknown';
      }
      if (!(await attemptIsOpen(trx, a.id))) return (await trx.selectFrom('autopay_attempts').select('outcome').where('id', '=', a.id).executeTakeFirstOrThrow()).outcome;
      if (p.status === 'captured') {
        await settleAttempt(trx, a.id, { outcome: 'approved', paymentId: p.id, declineCode: null, declineMessage: null, firstDeclinedOn: a.first_declined_on, nextRetryDate: null }, time.at);
        await audit(trx, actor, a, c, 'autopay.approved', { paymentId: p.id, confirmationNumber: p.confirmation_number }, time.at);
        return 'approved';
      }
      if (p.decline_code === NEVER_REACHED_GATEWAY) {
        // The charge never reached the gateway (the run stopped between writing it and sending it):
        // nothing was charged and the card was not declined, so no decline notice and no retry
        // series; the invoices stay due and a later run charges them afresh.
        const reason = 'the charge never reached the payment gateway; nothing was charged';
        await settleAttempt(trx, a.id, { outcome: 'not_charged', paymentId: p.id, declineCode: NEVER_REACHED_GATEWAY, declineMessage: reason, firstDeclinedOn: null, nextRetryDate: null }, time.at);
        await audit(trx, actor, a, c, 'autopay.not_charged', { paymentId: p.id, reason }, time.at);
        return 'not_charged';
      }
      const code = p.decline_code ?? 'declined';
      const hard = isHardDecline(code);
      const firstDeclinedOn = a.first_declined_on ?? a.attempt_date;
      const next = hard ? null : nextRetryDate(firstDeclinedOn, a.attempt_number, settings.policy.autopayRetryDays, a.attempt_date);
      const outcome = hard ? 'hard_declined' : 'declined';
      const noticeId = await queueDeclineNotice(
        trx,
        c,
        { amountCents: a.amount_cents, date: a.attempt_date, method: method ? methodLabel(method) : 'your payment method', reason: p.decline_message ?? code, nextRetryDate: next },
        settings,
        actor,
        time.at,
      );
      await settleAttempt(trx, a.id, { outcome, paymentId: p.id, declineCode: code, declineMessage: p.decline_message, firstDeclinedOn, nextRetryDate: next, noticeOutboxId: noticeId }, time.at);
      await audit(trx, actor, a, c, 'autopay.declined', { paymentId: p.id, code, hard, nextRetryDate: next, noticeOutboxId: noticeId }, time.at);
      return outcome;
    });
  }

  async function audit(trx: Parameters<typeof appendAudit>[0], actor: string, a: AttemptRow, c: AutopayCustomer, action: string, more: Record<string, unknown>, at: string) {
    await appendAudit(trx, {
      actor,
      action,
      entity: 'autopay_attempt',
      entityId: a.id,
      customerNumber: c.customerNumber,
      summary: { customerNumber: c.customerNumber, attemptDate: a.attempt_date, attemptNumber: a.attempt_number, amountCents: a.amount_cents, idempotencyKey: a.idempotency_key, ...more },
      at,
    });
  }

  async function markNotCharged(a: AttemptRow, c: AutopayCustomer, reason: string, actor: string): Promise<void> {
    const time = postingTime(deps);
    await writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      await lockCustomer(trx, c.customerId);
      if (await settleAttempt(trx, a.id, { outcome: 'not_charged', paymentId: null, declineCode: 'not_charged', declineMessage: reason.slice(0, 500), firstDeclinedOn: null, nextRetryDate: null }, time.at)) {
        await audit(trx, actor, a, c, 'autopay.not_charged', { reason }, time.at);
      }
    });
  }

  /** Sends the attempt's charge through the payments workflow (again, with the same key, after a stop) and settles the attempt. */
  async function submitAttempt(a: AttemptRow, c: AutopayCustomer, method: PaymentMethodRow, invoiceNumbers: string[], actor: string, result: AutopayRunResult): Promise<void> {
    const email = c.email?.trim() || null;
    let answer;
    try {
      answer = await payments.submit(
        {
          customerNumber: c.customerNumber,
          invoiceNumbers,
          creditNumbers: [],
          method: { type: 'saved', paymentMethodId: method.id },
          confirmedAmountCents: a.amount_cents,
          idempotencyKey: a.idempotency_key,
          delivery: email ? 'email' : 'none',
          ...(email ? { emailTo: email } : {}),
        },
        actor,
        // A bank account on autopay is debited under the standing authorization its consent recorded
        // (how, by whom, when), never as if the customer had authorized it on the phone today.
        method.kind === 'bank' ? { standingDebit: { via: c.consentVia ?? 'unknown', recordedBy: c.consentBy ?? 'unknown', recordedAt: c.consentAt ?? c.settingSavedAt } } : {},
      );
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // Refused before the gateway was called: nothing was charged.
      if (!(await paymentOfKey(db, a.idempotency_key))) {
        await markNotCharged(a, c, e.message, actor);
        result.skipped.push({ customerNumber: c.customerNumber, invoiceNumbers, amountCents: a.amount_cents, reason: e.message });
        return;
      }
    }
    const outcome = await settleFromPayment(a, c, method, actor);
    const settled = (await db.selectFrom('autopay_attempts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow());
    const base = { customerNumber: c.customerNumber, invoiceNumbers, amountCents: a.amount_cents, attemptNumber: a.attempt_number };
    if (outcome === 'approved') {
      const confirmation = answer && answer.status === 'approved' ? answer.confirmationNumber : ((await paymentOfKey(db, a.idempotency_key))?.confirmation_number ?? null);
      result.charged.push({ ...base, paymentId: settled.payment_id, confirmationNumber: confirmation });
    } else if (outcome === 'declined' || outcome === 'hard_declined') {
      result.declined.push({ ...base, paymentId: settled.payment_id!, code: settled.decline_code ?? 'declined', message: settled.decline_message ?? '', hard: outcome === 'hard_declined', nextRetryDate: settled.next_retry_date });
    } else {
      result.skipped.push({ customerNumber: c.customerNumber, invoiceNumbers, amountCents: a.amount_cents, reason: 'the gateway did not answer the charge; payment recovery settles it before autopay tries again' });
    }
  }

  async function forCustomer(c: AutopayCustomer, asOf: IsoDate, dryRun: boolean, actor: string, result: AutopayRunResult): Promise<void> {
    const skip = (reason: string, invoiceNumbers: string[] = [], amountCents = 0) => result.skipped.push({ customerNumber: c.customerNumber, invoiceNumbers, amountCents, reason });
    const settings = deps.settings.get();
    if (c.status === 'cancelled') {
      // Listed only while something is due: an account closed and settled is nothing to act on.
      const owed = invoicesToCharge(await openInvoicesFor(db, c.customerId), asOf, settings.policy.autopayChargeOn);
      if (owed.length > 0) skip('the account is cancelled', owed.map((i) => i.invoiceNumber), owed.reduce((s, i) => s + i.openCents, 0));
      return;
    }
    const method = await autopayMethod(db, c.customerId, c.paymentMethodId);
    let last = await lastAttemptOf(db, c.customerId);
    if (last && (last.outcome === 'pending' || last.outcome === 'unknown') && !dryRun) {
      if (last.payment_id === null && !(await paymentOfKey(db, last.idempotency_key))) {
        const invoices = [...(await attemptInvoices(db, [last.id])).get(last.id) ?? []].map((i) => i.invoiceNumber);
        // The run stopped after the attempt and before its payment: the same day, the same key again; later, dropped.
        if (last.attempt_date === asOf && method) return submitAttempt(last, c, method, invoices, actor, result);
        await markNotCharged(last, c, 'the run stopped before the charge was sent; nothing was charged', actor);
      } else {
        await settleFromPayment(last, c, method, actor);
      }
      last = await lastAttemptOf(db, c.customerId);
    }
    const due = invoicesToCharge(await openInvoicesFor(db, c.customerId), asOf, settings.policy.autopayChargeOn);
    if (due.length === 0) return;
    const numbers = due.map((i) => i.invoiceNumber);
    const openCents = due.reduce((s, i) => s + i.openCents, 0);
    const decision = decideAttempt(
      last ? { attemptNumber: last.attempt_number, attemptDate: last.attempt_date, outcome: last.outcome, declineCode: last.decline_code, firstDeclinedOn: last.first_declined_on, nextRetryDate: last.next_retry_date, createdAt: last.created_at } : null,
      asOf,
      c.settingSavedAt,
    );
    if (decision.kind === 'wait') {
      if (decision.retry) result.waitingRetry += 1;
      else skip(decision.reason, numbers, openCents);
      return;
    }
    if (!method) return void skip(c.paymentMethodId === null ? 'no default payment method on file' : 'the payment method chosen for autopay is not on file', numbers, openCents);
    if (method.removed_at !== null) return void skip(`${methodLabel(method)}, chosen for autopay, was removed from file`, numbers, openCents);
    if (isMethodExpired(method, asOf)) return void skip(`${methodLabel(method)} expired at the end of ${String(method.exp_month).padStart(2, '0')}/${method.exp_year}`, numbers, openCents);
    const quote = await payments.quote({ customerNumber: c.customerNumber, invoiceNumbers: numbers, creditNumbers: [] });
    if (!quote.ok) return void skip(quote.message, numbers, openCents);
    const lines = quote.lines.filter((l) => l.chargeCents > 0);
    if (quote.chargeCents <= 0 || lines.length === 0) return;
    if (dryRun) {
      result.charged.push({ customerNumber: c.customerNumber, invoiceNumbers: numbers, amountCents: quote.chargeCents, attemptNumber: decision.attemptNumber, paymentId: null, confirmationNumber: null });
      return;
    }
    const ids = new Map(due.map((i) => [i.invoiceNumber, i.invoiceId]));
    const key = autopayKey(c.customerNumber, lines.map((l) => ids.get(l.invoiceNumber)!), asOf, decision.attemptNumber);
    const time = postingTime(deps);
    const attempt = await writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      await lockCustomer(trx, c.customerId);
      const raced = await trx.selectFrom('autopay_attempts').select('id').where('customer_id', '=', c.customerId).where('attempt_date', '=', asOf).executeTakeFirst();
      if (raced) return null;
      const row = await trx
        .insertInto('autopay_attempts')
        .values({
          customer_id: c.customerId,
          attempt_date: asOf,
          attempt_number: decision.attemptNumber,
          idempotency_key: key,
          amount_cents: quote.chargeCents,
          payment_method_id: method.id,
          decline_code: null,
          decline_message: null,
          payment_id: null,
          first_declined_on: decision.firstDeclinedOn,
          next_retry_date: null,
          notice_outbox_id: null,
          created_at: time.at,
          created_by: actor,
          updated_at: time.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('autopay_attempt_invoices').values(lines.map((l) => ({ attempt_id: row.id, invoice_id: ids.get(l.invoiceNumber)!, amount_cents: l.chargeCents }))).execute();
      await audit(trx, actor, row, c, 'autopay.attempt', { invoices: lines.map((l) => l.invoiceNumber), method: methodLabel(method) }, time.at);
      return row;
    });
    if (!attempt) return void skip(`already tried on ${asOf}`, numbers, openCents);
    await submitAttempt(attempt, c, method, lines.map((l) => l.invoiceNumber), actor, result);
  }

  /**
   * "Your card expires next month" for every card on file (not only autopay's) of an active
   * customer with an email, once per method, each under its customer's lock.
   */
  async function expiryNotices(asOf: IsoDate, actor: string): Promise<number> {
    const settings = deps.settings.get();
    let queued = 0;
    for (const m of await cardsExpiringSoon(db, asOf)) {
      try {
        const time = postingTime(deps);
        const sent = await writeTx(db, async (trx) => {
          await takeWriteLock(trx);
          await lockCustomer(trx, m.customer.customerId);
          return queueExpiryNoticeOnce(trx, m.customer, m.method, asOf, settings, actor, time.at);
        });
        if (sent) queued += 1;
      } catch (e) {
        deps.log.error('The card-expiring notice failed for a method; the others went on', { customerNumber: m.customer.customerNumber, paymentMethodId: m.method.id, error: (e as Error).message });
      }
    }
    return queued;
  }

  return {
    /** Charges (or, dry, lists) every autopay customer's due invoices as of `asOf`; one customer's failure does not stop the others. */
    async run(asOf: IsoDate, dryRun: boolean, actor: string): Promise<AutopayRunResult> {
      const result: AutopayRunResult = { charged: [], declined: [], skipped: [], waitingRetry: 0, expiryNotices: 0 };
      for (const c of await autopayCustomers(db)) {
        try {
          await forCustomer(c, asOf, dryRun, actor, result);
        } catch (e) {
          deps.log.error('Autopay failed for a customer; the others went on', { customerNumber: c.customerNumber, error: (e as Error).message });
          result.skipped.push({ customerNumber: c.customerNumber, invoiceNumbers: [], amountCents: 0, reason: `failed: ${(e as Error).message}` });
        }
      }
      if (!dryRun) result.expiryNotices = await expiryNotices(asOf, actor);
      return result;
    },
  };
}

export type AutopayStep = ReturnType<typeof createAutopayStep>;
