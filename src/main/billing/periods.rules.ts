/**
 * Billing periods of a subscription, billed in advance. Pure functions, no database.
 *
 * Period dates come from an anchor series: the k-th anchor is the anchor day in the month k
 * periods after the start's month, clamped to that month's last day. Every anchor is computed
 * from the series' origin, never from the previous (clamped) anchor, so an anchor day of 31
 * bills Jan 31, Feb 28 (29 in a leap year), Mar 31, Apr 30, May 31…
 *
 * A period runs from one anchor to the day before the next. A subscription that starts on an
 * anchor date starts with a whole period; one that starts off it (calendar billing begun
 * mid-month) starts with a stub up to the next anchor, priced by days: the stub's days over the
 * days of the whole period it falls in, rounded half up to the cent. An end date cuts the last
 * period short the same way.
 */
import { addDays, daysBetween, daysInMonth, type IsoDate } from '../../shared/dates';
import type { Cents } from '../../shared/money';

export const BILLING_PERIODS = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export const PERIOD_MONTHS: Record<BillingPeriod, number> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };

export interface SubscriptionTerms {
  startDate: IsoDate;
  /** 1-31; 1 gives calendar billing. */
  anchorDay: number;
  period: BillingPeriod;
  /** The last day of service, or null while it runs. */
  endDate: IsoDate | null;
}

export interface BillingPeriodDates {
  start: IsoDate;
  /** The day before the next period starts (or the end date). */
  end: IsoDate;
  /** Days billed: end - start + 1. */
  days: number;
  /** Days of the whole period the price is for; equal to `days` unless prorated. */
  fullDays: number;
}

const MONTH_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(d: IsoDate): { year: number; month: number; day: number } {
  const m = MONTH_RE.exec(d);
  if (!m) throw new RangeError(`not a date: ${d}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The k-th anchor date counted from the month of `origin` (k may be negative). */
export function anchorDate(origin: IsoDate, anchorDay: number, period: BillingPeriod, k: number): IsoDate {
  const { year, month } = parts(origin);
  const index = year * 12 + (month - 1) + k * PERIOD_MONTHS[period];
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return iso(y, m, Math.min(anchorDay, daysInMonth(y, m)));
}

/**
 * The subscription's periods in order, from its start, for as long as the caller reads (or until
 * the end date). The first may be a stub, the last may be cut short by the end date.
 */
export function* periodsOf(terms: SubscriptionTerms): Generator<BillingPeriodDates> {
  const { startDate, anchorDay, period, endDate } = terms;
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31) throw new RangeError(`anchor day must be 1-31, got ${anchorDay}`);
  if (endDate !== null && endDate < startDate) return;
  // The last anchor on or before the start: this month's anchor, or the previous period's.
  let k = anchorDate(startDate, anchorDay, period, 0) <= startDate ? 0 : -1;
  let start = startDate;
  for (;;) {
    const periodStart = anchorDate(startDate, anchorDay, period, k);
    const next = anchorDate(startDate, anchorDay, period, k + 1);
    const fullDays = daysBetween(periodStart, next);
    let end = addDays(next, -1);
    if (endDate !== null && endDate < end) end = endDate;
    yield { start, end, days: daysBetween(start, end) + 1, fullDays };
    if (endDate !== null && end >= endDate) return;
    k += 1;
    start = next;
  }
}

/** `cents` × days / fullDays, rounded half up to the cent (integer arithmetic only). */
export function prorate(cents: Cents, days: number, fullDays: number): Cents {
  if (days === fullDays) return cents;
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`cannot prorate ${cents}`);
  if (!(days > 0 && days <= fullDays)) throw new RangeError(`cannot prorate ${days} of ${fullDays} days`);
  const num = BigInt(cents) * BigInt(days) * 2n + BigInt(fullDays);
  return Number(num / (BigInt(fullDays) * 2n));
}

/** The periods whose start is after `after` (null: from the first) and on or before `through`, at most `limit + 1` of them. */
export function periodsToBill(terms: SubscriptionTerms, after: IsoDate | null, through: IsoDate, limit: number): BillingPeriodDates[] {
  const out: BillingPeriodDates[] = [];
  for (const p of periodsOf(terms)) {
    if (p.start > through) break;
    if (after !== null && p.start <= after) continue;
    out.push(p);
    if (out.length > limit) break;
  }
  return out;
}
