/**
 * Cancelling: one subscription, all of a customer's, or the whole account (every active
 * subscription the same way, the account marked cancelled so the billing run leaves it alone, its
 * history and what it owes kept). The same loop cancels the subscriptions in each case.
 */
import { AppError } from '../../shared/errors';
import { addDays, assertIsoDate, type IsoDate } from '../../shared/dates';
import { MAX_REASON_LENGTH, fieldsError, type FieldProblems } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { Tx } from '../db/types';
import type { CustomerRow } from '../db/schema';
import { lockCustomer, writeTx } from '../db/dialect';
import { assertDayOpen } from '../ledger/day-close';
import { nextDocumentNumber } from '../ledger/counters.repo';
import { insertCredit } from '../ledger/credits.repo';
import { requireCustomer } from '../ledger/customers.repo';
import { postingTime, type PostingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { takeWriteLock } from '../payments/payments.repo';
import { periodsOf, type BillingPeriod } from './periods.rules';
import { unusedCents } from './subscriptions.credit';

export type CancelMode = 'end_of_term' | 'immediate';

export interface CancelOptions {
  customerNumber: string;
  subscriptionId?: number;
  mode: CancelMode;
  asOf: IsoDate;
  reason: string;
}

export type CancelledSubscription = { subscriptionId: number; endDate: IsoDate | null; creditNumber: string | null; creditCents: number };

export interface CancelResult {
  cancelled: CancelledSubscription[];
}

export type AccountCancelOptions = Omit<CancelOptions, 'subscriptionId'>;

export interface AccountCancelResult extends CancelResult {
  customerNumber: string;
  status: 'cancelled';
  /** The first day the account's service is not used: the as-of date (immediately) or the day after its last term. */
  cancelledOn: IsoDate;
  mode: CancelMode;
  reason: string;
  /** All the credits' cents together. */
  creditCents: number;
}

type Deps = Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>;

/** The reason, trimmed; or a field error for the reason or the mode. */
function checkedReason(options: { mode: string; asOf: IsoDate; reason: string }, what: string): string {
  assertIsoDate(options.asOf, 'asOf');
  const problems: FieldProblems = {};
  const reason = options.reason.trim();
  if (reason.length === 0) problems.reason = `is required to cancel ${what}`;
  else if (reason.length > MAX_REASON_LENGTH) problems.reason = `is too long (at most ${MAX_REASON_LENGTH} characters)`;
  if (options.mode !== 'end_of_term' && options.mode !== 'immediate') problems.mode = 'must be end_of_term or immediate';
  if (Object.keys(problems).length > 0) throw fieldsError(problems);
  return reason;
}

/** The last day of the period the date falls in. */
function periodEndOn(s: { start_date: string; anchor_day: number; period: BillingPeriod; end_date: string | null }, date: IsoDate): IsoDate {
  for (const p of periodsOf({ startDate: s.start_date, anchorDay: s.anchor_day, period: s.period, endDate: s.end_date })) {
    if (p.end >= date) return p.end;
  }
  return s.end_date ?? date;
}

/**
 * Cancels the customer's active subscriptions (or the one named), each audited. End of term: it
 * ends with the period the as-of date falls in, with no credit. Immediately: the as-of date is the
 * first day not used; the billed days from it on are credited (a period billed in advance in full,
 * the current one by days, half up). The customer row must be locked already.
 */
async function cancelActiveIn(trx: Tx, customer: CustomerRow, options: CancelOptions, reason: string, actor: string, time: PostingTime): Promise<CancelledSubscription[]> {
  let q = trx.selectFrom('subscriptions').selectAll().where('customer_id', '=', customer.id).where('status', '=', 'active');
  if (options.subscriptionId !== undefined) q = q.where('id', '=', options.subscriptionId);
  const subs = await q.orderBy('id').execute();
  const out: CancelledSubscription[] = [];
  for (const s of subs) {
    let endDate: IsoDate | null;
    let creditCents = 0;
    if (options.mode === 'end_of_term') {
      endDate = s.start_date > options.asOf ? null : periodEndOn(s, options.asOf);
    } else {
      const lastUsed = addDays(options.asOf, -1);
      endDate = lastUsed >= s.start_date ? lastUsed : null;
      creditCents = await unusedCents(trx, s.id, options.asOf);
    }
    let creditNumber: string | null = null;
    if (creditCents > 0) {
      const issueDate = options.asOf < time.businessDate ? options.asOf : time.businessDate;
      await assertDayOpen(trx, issueDate);
      creditNumber = await nextDocumentNumber(trx, 'credit');
      await insertCredit(
        trx,
        // Dated the first unused day, or today when that is still ahead.
        { creditNumber, customerId: customer.id, issueDate, amountCents: creditCents, reason: `Unused service from ${options.asOf} (subscription ${s.id} cancelled): ${reason}`.slice(0, MAX_REASON_LENGTH) },
        actor,
        time.at,
      );
    }
    await trx
      .updateTable('subscriptions')
      .set({ status: 'cancelled', end_date: endDate, cancelled_at: time.at, cancelled_by: actor, cancel_reason: reason, cancel_mode: options.mode, updated_at: time.at, updated_by: actor })
      .where('id', '=', s.id)
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'subscription.cancel',
      entity: 'subscription',
      entityId: s.id,
      customerNumber: customer.customer_number,
      summary: { customerNumber: customer.customer_number, mode: options.mode, asOf: options.asOf, endDate, creditNumber, creditCents, reason },
      at: time.at,
    });
    out.push({ subscriptionId: s.id, endDate, creditNumber, creditCents });
  }
  return out;
}

/** One subscription, or all of a customer's active ones; NOT_FOUND when there is none to cancel. */
export async function cancelSubscriptions(deps: Deps, options: CancelOptions, actor: string): Promise<CancelResult> {
  const reason = checkedReason(options, 'a subscription');
  const time = postingTime(deps);
  return writeTx(deps.ledger.db, async (trx) => {
    await takeWriteLock(trx);
    const customer = await requireCustomer(trx, options.customerNumber);
    await lockCustomer(trx, customer.id);
    const cancelled = await cancelActiveIn(trx, customer, options, reason, actor, time);
    if (cancelled.length === 0) {
      throw new AppError('NOT_FOUND', options.subscriptionId !== undefined
        ? `${customer.customer_number} has no active subscription ${options.subscriptionId}`
        : `${customer.customer_number} has no active subscriptions`);
    }
    return { cancelled };
  });
}

/**
 * The whole account, in one transaction with the customer row locked first: every active
 * subscription cancelled the same way, then the account marked cancelled (the billing run skips
 * it). Its invoices, credits and payments stay, and what it owes can still be paid. CONFLICT when
 * it is cancelled already.
 */
export async function cancelAccount(deps: Deps, options: AccountCancelOptions, actor: string): Promise<AccountCancelResult> {
  const reason = checkedReason(options, 'an account');
  const time = postingTime(deps);
  return writeTx(deps.ledger.db, async (trx) => {
    await takeWriteLock(trx);
    const customer = await requireCustomer(trx, options.customerNumber);
    await lockCustomer(trx, customer.id);
    if (customer.status === 'cancelled') {
      const since = customer.cancelled_on ? ` on ${customer.cancelled_on}` : '';
      throw new AppError('CONFLICT', `${customer.customer_number} is cancelled already${since}`, { fields: { customerNumber: 'the account is cancelled already' } });
    }
    const cancelled = await cancelActiveIn(trx, customer, options, reason, actor, time);
    const lastTerm = cancelled.reduce<IsoDate | null>((m, c) => (c.endDate !== null && (m === null || c.endDate > m) ? c.endDate : m), null);
    const cancelledOn = options.mode === 'end_of_term' && lastTerm !== null && lastTerm >= options.asOf ? addDays(lastTerm, 1) : options.asOf;
    const creditCents = cancelled.reduce((s, c) => s + c.creditCents, 0);
    await trx
      .updateTable('customers')
      .set({ status: 'cancelled', cancelled_on: cancelledOn, cancel_mode: options.mode, cancel_reason: reason, cancelled_at: time.at, cancelled_by: actor, updated_at: time.at })
      .where('id', '=', customer.id)
      .execute();
    await appendAudit(trx, {
      actor,
      action: 'customer.cancel',
      entity: 'customer',
      entityId: customer.customer_number,
      customerNumber: customer.customer_number,
      summary: {
        customerNumber: customer.customer_number,
        mode: options.mode,
        asOf: options.asOf,
        cancelledOn,
        subscriptions: cancelled.map((c) => c.subscriptionId),
        creditNumbers: cancelled.flatMap((c) => (c.creditNumber ? [c.creditNumber] : [])),
        creditCents,
        reason,
      },
      at: time.at,
    });
    return { customerNumber: customer.customer_number, status: 'cancelled', cancelledOn, mode: options.mode, reason, cancelled, creditCents };
  });
}
