/**
 * Past-due follow-up, decided without I/O. Pure.
 *
 * A customer's past-due invoices are its open, undisputed invoices due before the as-of date. The
 * oldest one's days past due decide the highest level reached. The level already sent is derived,
 * never stored: the highest level of the notices that were for any invoice still past due. So a
 * repeated run sends nothing new, and once every invoice those notices were for is paid (the
 * account paid current) the next past-due invoice starts again at level 1.
 *
 * Catching up (the app closed for days): every level reached and not yet sent is sent on this run,
 * once each, in level order, each naming the day it was reached. Skipping a level would lose its
 * action (a letter, a call task) and its late fee; sending none twice keeps it to one per level.
 */
import { addDays, daysBetween } from '../../shared/dates';
import type { DunningAction } from '../db/schema';

export interface FollowUpLevel {
  level: number;
  daysPastDue: number;
  action: DunningAction;
  feeFixedCents: number;
  feePercentBp: number;
  feeMinimumCents: number;
  graceDays: number;
}

export interface PastDueInvoice {
  id: number;
  invoiceNumber: string;
  dueDate: string;
  openCents: number;
  /** A late fee's own invoice: followed up like any invoice, but no fee is figured on it. */
  lateFee: boolean;
}

/** A notice already sent for an invoice still past due, whose late fee (if its level has one) is not billed yet. */
export interface UnbilledNotice {
  noticeId: number;
  level: number;
  reachedOn: string;
}

export interface CustomerFollowUpFacts {
  asOf: string;
  levels: readonly FollowUpLevel[];
  suspendAtLevel: number | null;
  /** Oldest due first. */
  pastDue: readonly PastDueInvoice[];
  /** The highest level of the notices for invoices still past due; 0: none. */
  sentLevel: number;
  unbilled: readonly UnbilledNotice[];
  suspended: boolean;
}

export interface PlannedNotice {
  level: FollowUpLevel;
  reachedOn: string;
}

export interface PlannedFee {
  level: number;
  /** An existing notice, or the index of a notice planned on this run. */
  notice: { noticeId: number } | { planned: number };
  baseCents: number;
  feeCents: number;
}

export interface CustomerFollowUpPlan {
  notices: PlannedNotice[];
  fees: PlannedFee[];
  /** The level to suspend the account at, when it reaches the office's "suspend at" level on this run. */
  suspendAt: number | null;
  /** Paid current while suspended: the suspension is lifted. */
  lift: boolean;
  daysPastDue: number;
  pastDueCents: number;
}

/** A level's late fee on a past-due balance: fixed plus the percentage (rounded half up), at least the minimum; 0 when the level has no fee. */
export function lateFeeCents(level: Pick<FollowUpLevel, 'feeFixedCents' | 'feePercentBp' | 'feeMinimumCents'>, baseCents: number): number {
  if (level.feeFixedCents <= 0 && level.feePercentBp <= 0) return 0;
  const percent = Math.floor((Math.max(0, baseCents) * level.feePercentBp + 5000) / 10_000);
  return Math.max(level.feeFixedCents + percent, level.feeMinimumCents);
}

export function hasFee(level: FollowUpLevel): boolean {
  return level.feeFixedCents > 0 || level.feePercentBp > 0;
}

/** The ids of a notice's invoices as its UNIQUE key has them. */
export function invoiceKey(ids: readonly number[]): string {
  return [...ids].sort((a, b) => a - b).join(',');
}

/** What the run does for one customer today. */
export function planCustomerFollowUp(f: CustomerFollowUpFacts): CustomerFollowUpPlan {
  const pastDueCents = f.pastDue.reduce((s, i) => s + i.openCents, 0);
  const oldest = f.pastDue[0];
  if (!oldest) return { notices: [], fees: [], suspendAt: null, lift: f.suspended, daysPastDue: 0, pastDueCents: 0 };
  const daysPastDue = daysBetween(oldest.dueDate, f.asOf);
  const levels = [...f.levels].sort((a, b) => a.level - b.level);
  const notices: PlannedNotice[] = levels
    .filter((l) => l.level > f.sentLevel && l.daysPastDue <= daysPastDue)
    .map((l) => ({ level: l, reachedOn: addDays(oldest.dueDate, l.daysPastDue) }));
  const baseCents = f.pastDue.filter((i) => !i.lateFee).reduce((s, i) => s + i.openCents, 0);
  const fees: PlannedFee[] = [];
  const feeDue = (l: FollowUpLevel) => hasFee(l) && daysPastDue >= l.daysPastDue + l.graceDays && lateFeeCents(l, baseCents) > 0;
  for (const u of f.unbilled) {
    const l = levels.find((x) => x.level === u.level);
    if (l && feeDue(l)) fees.push({ level: l.level, notice: { noticeId: u.noticeId }, baseCents, feeCents: lateFeeCents(l, baseCents) });
  }
  notices.forEach((n, planned) => {
    if (feeDue(n.level)) fees.push({ level: n.level.level, notice: { planned }, baseCents, feeCents: lateFeeCents(n.level, baseCents) });
  });
  const reached = Math.max(f.sentLevel, ...notices.map((n) => n.level.level));
  const suspendAt = !f.suspended && f.suspendAtLevel !== null && reached >= f.suspendAtLevel ? reached : null;
  return { notices, fees, suspendAt, lift: false, daysPastDue, pastDueCents };
}

export interface LevelProblems {
  [field: string]: string;
}

/** An admin's levels checked: days past due increasing, known actions, whole non-negative amounts; field errors by `levels.N.field`. */
export function checkLevels(input: { levels: readonly Record<string, unknown>[]; suspendAtLevel: number | null }): LevelProblems {
  const problems: LevelProblems = {};
  const whole = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
  input.levels.forEach((l, i) => {
    const at = `levels.${i}`;
    const days = l.daysPastDue as number;
    if (!Number.isSafeInteger(days) || days < 1 || days > 3650) problems[`${at}.daysPastDue`] = 'must be a whole number of days from 1 to 3650';
    else if (i > 0 && Number.isSafeInteger(input.levels[i - 1]!.daysPastDue) && days <= (input.levels[i - 1]!.daysPastDue as number)) {
      problems[`${at}.daysPastDue`] = `must be more than level ${i}'s ${String(input.levels[i - 1]!.daysPastDue)} days`;
    }
    if (!['email', 'letter', 'call'].includes(l.action as string)) problems[`${at}.action`] = 'must be email, letter or call';
    for (const k of ['feeFixedCents', 'feeMinimumCents'] as const) if (!whole(l[k])) problems[`${at}.${k}`] = 'must be a whole amount of cents, 0 or more';
    if (!whole(l.feePercentBp) || ((l.feePercentBp as number | undefined) ?? 0) > 10_000) problems[`${at}.feePercentBp`] = 'must be 0 to 10000 basis points (0% to 100%)';
    if (!whole(l.graceDays) || ((l.graceDays as number | undefined) ?? 0) > 365) problems[`${at}.graceDays`] = 'must be 0 to 365 days';
  });
  const s = input.suspendAtLevel;
  if (s !== null && (!Number.isSafeInteger(s) || s < 1 || s > input.levels.length)) {
    problems.suspendAtLevel = input.levels.length === 0 ? 'needs a follow-up level to suspend at' : `must be a level from 1 to ${input.levels.length}, or none`;
  }
  return problems;
}
