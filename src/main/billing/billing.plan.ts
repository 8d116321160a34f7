/**
 * What a billing run bills, worked out from the subscriptions as read: pure, so the dry run and
 * the real run plan alike, and tests can check a plan without a database.
 */
import type { IsoDate } from '../../shared/dates';
import type { Cents } from '../../shared/money';
import { computeInvoiceTotals } from '../ledger/tax.rules';
import { periodsToBill, prorate, type BillingPeriod, type BillingPeriodDates } from './periods.rules';

/** At most this many periods of one subscription are billed by one run; more is held for review. */
export const MAX_CATCH_UP_PERIODS = 24;

export interface PlanLine {
  effectiveFrom: IsoDate;
  description: string;
  unitPriceCents: Cents;
  quantity: number;
  taxable: boolean;
}

export interface PlanSubscription {
  id: number;
  customerId: number;
  customerNumber: string;
  termsDays: number;
  taxExempt: boolean;
  period: BillingPeriod;
  startDate: IsoDate;
  endDate: IsoDate | null;
  anchorDay: number;
  /** Every version of its lines (any order). */
  lines: readonly PlanLine[];
  /** The start of the last period billed, null when none was. */
  lastBilledStart: IsoDate | null;
}

export interface PlannedPeriod {
  subscriptionId: number;
  period: BillingPeriodDates;
  frequency: BillingPeriod;
  lines: { description: string; quantity: number; unitPriceCents: Cents; amountCents: Cents; taxable: boolean }[];
  amountCents: Cents;
}

/** One invoice: one customer's subscriptions whose period starts on the same date. */
export interface PlannedInvoice {
  customerId: number;
  customerNumber: string;
  termsDays: number;
  taxExempt: boolean;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  frequency: BillingPeriod;
  periods: PlannedPeriod[];
}

export interface HeldSubscription {
  subscriptionId: number;
  customerNumber: string;
  /** Periods due but not billed (more than the run catches up on its own). */
  missedPeriods: number;
  firstMissed: IsoDate;
  reason: string;
}

export interface BillingPlan {
  invoices: PlannedInvoice[];
  held: HeldSubscription[];
}

const DATE_WORDS = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const words = (d: IsoDate) => DATE_WORDS.format(new Date(`${d}T00:00:00Z`));

/** The version of the lines a period bills: the latest whose effective date is on or before the period's start. */
export function linesFor(lines: readonly PlanLine[], periodStart: IsoDate): PlanLine[] {
  let from: IsoDate | null = null;
  for (const l of lines) if (l.effectiveFrom <= periodStart && (from === null || l.effectiveFrom > from)) from = l.effectiveFrom;
  // A period before every version (a start moved earlier) bills the first version.
  if (from === null) for (const l of lines) if (from === null || l.effectiveFrom < from) from = l.effectiveFrom;
  return lines.filter((l) => l.effectiveFrom === from);
}

export function planPeriod(sub: PlanSubscription, period: BillingPeriodDates): PlannedPeriod {
  const prorated = period.days !== period.fullDays;
  const span = `${words(period.start)} – ${words(period.end)}`;
  const lines = linesFor(sub.lines, period.start).map((l) => {
    const whole = l.unitPriceCents * l.quantity;
    if (!prorated) {
      return { description: `${l.description} (${span})`, quantity: l.quantity, unitPriceCents: l.unitPriceCents, amountCents: whole, taxable: l.taxable };
    }
    const part = prorate(whole, period.days, period.fullDays);
    return {
      description: `${l.description} (${span}, ${period.days} of ${period.fullDays} days)`,
      quantity: 1,
      unitPriceCents: part,
      amountCents: part,
      taxable: l.taxable,
    };
  });
  return { subscriptionId: sub.id, period, frequency: sub.period, lines, amountCents: lines.reduce((s, l) => s + l.amountCents, 0) };
}

/**
 * Every period due through `through` (the as-of date plus the office's lead days) that is not
 * billed yet, grouped into one invoice per customer per period start, oldest first.
 */
export function planBilling(subs: readonly PlanSubscription[], through: IsoDate, maxPeriods = MAX_CATCH_UP_PERIODS): BillingPlan {
  const held: HeldSubscription[] = [];
  const byKey = new Map<string, PlannedInvoice>();
  for (const sub of subs) {
    if (sub.lines.length === 0) continue;
    const due = periodsToBill(
      { startDate: sub.startDate, anchorDay: sub.anchorDay, period: sub.period, endDate: sub.endDate },
      sub.lastBilledStart,
      through,
      maxPeriods,
    );
    if (due.length > maxPeriods) {
      held.push({
        subscriptionId: sub.id,
        customerNumber: sub.customerNumber,
        missedPeriods: countDue(sub, through),
        firstMissed: due[0]!.start,
        reason: `more than ${maxPeriods} periods are due (from ${due[0]!.start}); check the subscription, then bill it`,
      });
      continue;
    }
    for (const p of due) {
      const key = `${sub.customerId}|${p.start}`;
      let inv = byKey.get(key);
      if (!inv) {
        inv = {
          customerId: sub.customerId,
          customerNumber: sub.customerNumber,
          termsDays: sub.termsDays,
          taxExempt: sub.taxExempt,
          periodStart: p.start,
          periodEnd: p.end,
          frequency: sub.period,
          periods: [],
        };
        byKey.set(key, inv);
      }
      if (p.end > inv.periodEnd) inv.periodEnd = p.end;
      inv.periods.push(planPeriod(sub, p));
    }
  }
  const invoices = [...byKey.values()].sort((a, b) => a.customerId - b.customerId || (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0));
  for (const inv of invoices) inv.periods.sort((a, b) => a.subscriptionId - b.subscriptionId);
  return { invoices, held };
}

function countDue(sub: PlanSubscription, through: IsoDate): number {
  return periodsToBill(
    { startDate: sub.startDate, anchorDay: sub.anchorDay, period: sub.period, endDate: sub.endDate },
    sub.lastBilledStart,
    through,
    Number.MAX_SAFE_INTEGER,
  ).length;
}

/** The invoice's lines and totals by the tax rule of tax.rules.ts. */
export function invoiceTotals(inv: PlannedInvoice, taxRateBp: number) {
  const lines = inv.periods.flatMap((p) => p.lines);
  return { lines, totals: computeInvoiceTotals(lines, taxRateBp, inv.taxExempt) };
}
