import { formatCents } from '../../shared/money';
import type { FieldProblems } from '../../shared/validation';

/**
 * Pure rules of correcting posted money: which rows a re-application reverses, and what a
 * write-off may take off an invoice. No I/O.
 */

export interface StandingPart {
  id: number;
  amountCents: number;
}

export interface ReapplyPlan {
  /** Rows reversed in full, newest first. */
  reverseIds: number[];
  /** What stays on the source invoice of the last row cut (re-posted as a new row), 0 when none. */
  keepCents: number;
}

/**
 * Takes `amountCents` off an invoice: reverses the newest standing rows first; the last one is cut
 * by reversing it whole and re-posting what stays. The caller has checked the amount is in range.
 */
export function planReapply(standing: readonly StandingPart[], amountCents: number): ReapplyPlan {
  let left = amountCents;
  const reverseIds: number[] = [];
  let keepCents = 0;
  for (const a of [...standing].sort((x, y) => y.id - x.id)) {
    if (left === 0) break;
    reverseIds.push(a.id);
    const take = Math.min(left, a.amountCents);
    keepCents = a.amountCents - take;
    left -= take;
  }
  return { reverseIds, keepCents };
}

export function amountProblem(amountCents: number): string | null {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return 'must be a positive whole number of cents';
  return null;
}

export function reasonProblem(reason: string): string | null {
  return reason.trim().length === 0 ? 'is required' : null;
}

/** A write-off's refusals at the fields, given the invoice's open amount and the office's limit. */
export function writeOffProblems(input: { amountCents: number; reason: string }, openCents: number, limitCents: number): FieldProblems {
  const problems: FieldProblems = {};
  const amount = amountProblem(input.amountCents);
  if (amount) problems.amountCents = amount;
  else if (input.amountCents > limitCents) {
    problems.amountCents = `${formatCents(input.amountCents)} is more than the office's write-off limit of ${formatCents(limitCents)}`;
  } else if (input.amountCents > openCents) {
    problems.amountCents = `${formatCents(input.amountCents)} is more than the ${formatCents(openCents)} open on the invoice`;
  }
  const reason = reasonProblem(input.reason);
  if (reason) problems.reason = reason;
  return problems;
}
