/** What the generators decide for one customer, and what the writer turns into rows. */
import type { BillingFrequency } from '../db/schema';
import type { CustomerDraft } from '../ledger/customers.rules';
import type { TaxableLine } from '../ledger/tax.rules';
import type { Rng } from './rng';

export const MONTHS_PER_PERIOD: Record<BillingFrequency, number> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };

export interface PlannedLine extends TaxableLine {
  description: string;
}

export interface CustomerPlan {
  draft: CustomerDraft;
  startDate: string;
  cancelDate: string | null;
  frequency: BillingFrequency;
  taxRateBp: number;
  recurringLines: PlannedLine[];
  /** Returns the day this invoice is paid (null: still unpaid). */
  payDate: (inv: { issueDate: string; dueDate: string }, rng: Rng) => string | null;
  disputeChance: number;
  /**
   * Credit memos: issued that many days after the start date (or, when negative, before the
   * as-of date); 'full' and 'partial' ones go on the first invoice issued after them.
   */
  credits: { issueOffsetDays: number; amountCents: number; reason: string; use: 'full' | 'partial' | 'none' }[];
}
