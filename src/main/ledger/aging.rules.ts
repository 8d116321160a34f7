/** Invoice aging: which bucket an open amount falls in on a given day. Pure functions, no database. */
import { assertIsoDate, daysBetween } from '../../shared/dates';
import { assertCents, type Cents } from '../../shared/money';
import type { AgingAmounts } from '../../shared/contract/aging';

export type AgingBucket = 'current' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'days_over_90';

/** Display order, youngest first. */
export const AGING_BUCKETS: readonly AgingBucket[] = Object.freeze([
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
]);

// 'due' ages an invoice from its due date (days past due); 'invoice' ages it from its issue date.
export type AgingBasis = 'due' | 'invoice';

export type AgingBuckets = Record<AgingBucket, Cents>;

export interface AgeableInvoice {
  issueDate: string;
  dueDate: string;
  openCents: Cents;
}

/** Age = days from basisDate to asOf: 0 or less is current, then 1–30, 31–60, 61–90, over 90. */
export function bucketFor(asOf: string, basisDate: string): AgingBucket {
  const age = daysBetween(basisDate, asOf);
  if (age <= 0) return 'current';
  if (age <= 30) return 'days_1_30';
  if (age <= 60) return 'days_31_60';
  if (age <= 90) return 'days_61_90';
  return 'days_over_90';
}

export function emptyBuckets(): AgingBuckets {
  return { current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0 };
}

/** Returns new buckets with `cents` added to one of them; the input is left as it was. */
export function addToBuckets(b: Readonly<AgingBuckets>, bucket: AgingBucket, cents: Cents): AgingBuckets {
  assertCents(cents, 'cents');
  const total = b[bucket] + cents;
  assertCents(total, `aging bucket ${bucket}`);
  return { ...b, [bucket]: total };
}

export function bucketsTotal(b: Readonly<AgingBuckets>): Cents {
  return AGING_BUCKETS.reduce((acc, bucket) => acc + b[bucket], 0);
}

/**
 * Sums open amounts per bucket as of `asOf`. Invoices issued after asOf did not exist yet that
 * day and are left out, so a back-dated report matches what it would have shown then.
 */
export function ageInvoices(asOf: string, basis: AgingBasis, invoices: readonly AgeableInvoice[]): AgingBuckets {
  assertIsoDate(asOf, 'asOf');
  if (basis !== 'due' && basis !== 'invoice') throw new TypeError(`unknown aging basis: ${String(basis)}`);
  let totals = emptyBuckets();
  for (const inv of invoices) {
    assertIsoDate(inv.issueDate, 'issueDate');
    if (inv.issueDate > asOf) continue;
    const bucket = bucketFor(asOf, basis === 'due' ? inv.dueDate : inv.issueDate);
    totals = addToBuckets(totals, bucket, inv.openCents);
  }
  return totals;
}

export function emptyAgingAmounts(): AgingAmounts {
  return { ...emptyBuckets(), total: 0, unapplied_credits_cents: 0 };
}

/** Adds one customer's row into running totals (in place: called once per row of a 32,000-row report). */
export function addAgingRow(totals: AgingAmounts, r: Readonly<AgingAmounts>): void {
  for (const b of AGING_BUCKETS) totals[b] += r[b];
  totals.total += r.total;
  totals.unapplied_credits_cents += r.unapplied_credits_cents;
}
