import { z } from 'zod';
import { channel } from './define';
import { LOOKUP_MAX_QUERY_LENGTH } from './lookup';

/**
 * The aging report. Its keys are the bucket names of the report format (`days_1_30`…), the same
 * in the channels, the CLI's JSON and its CSV, so one shape serves all three. Every amount is
 * integer cents.
 */

export const AGING_BUCKET_KEYS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
export type AgingBucketKey = (typeof AGING_BUCKET_KEYS)[number];

export const AGING_BASES = ['due', 'invoice'] as const;
/** 'due' ages an invoice from its due date (days past due); 'invoice' from its issue date. */
export type AgingBasisKey = (typeof AGING_BASES)[number];

export interface AgingAmounts {
  current: number;
  days_1_30: number;
  days_31_60: number;
  days_61_90: number;
  days_over_90: number;
  /** Sum of the five buckets. */
  total: number;
  /**
   * Unapplied money, outside the buckets: credit memo amounts issued by the as-of date less what was
   * applied by then, plus payments' money held on account then (overpayments kept, money moved off invoices).
   */
  unapplied_credits_cents: number;
}

export interface AgingCustomerRow extends AgingAmounts {
  customer_number: string;
  legal_name: string;
  /** Part of `total` on disputed invoices (they are aged like any other, and flagged here). */
  disputed_cents: number;
  /** Present only while the account is suspended by past-due follow-up: since when. */
  suspended_on?: string;
}

export interface AgingReport {
  asOf: string;
  basis: AgingBasisKey;
  /** Sums of the customers' rows. */
  totals: AgingAmounts;
  /** Customers with a non-zero total or an unapplied credit, by customer number. */
  customers: AgingCustomerRow[];
}

export interface AgingInvoiceDto {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  totalCents: number;
  /** Open amount as of the report date. */
  openCents: number;
  bucket: AgingBucketKey;
  /** Days from the due date to the report date; 0 when not yet due. */
  daysPastDue: number;
  disputed: boolean;
  /** Why the customer disputes it; null when not disputed. */
  disputeReason: string | null;
}

export interface AgingCreditDto {
  creditNumber: string;
  issueDate: string;
  amountCents: number;
  /** What was left of the credit on the report date. */
  remainingCents: number;
}

export interface CustomerAgingReport {
  asOf: string;
  basis: AgingBasisKey;
  /** The customer's row, zero-filled when nothing is open. */
  customer: AgingCustomerRow;
  /** Invoices with an open amount on the report date, oldest due first. */
  invoices: AgingInvoiceDto[];
  /** Credits with something left on the report date, oldest first. */
  credits: AgingCreditDto[];
}

const reportOptions = {
  /** YYYY-MM-DD; the business date when left out. */
  asOf: z.string().optional(),
  basis: z.enum(AGING_BASES).optional(),
};

export const agingReportInput = z.strictObject({
  ...reportOptions,
  /**
   * Only the customers this text finds, matched as the lookup box matches: the start of a customer
   * number, or words in any order (name, billing contact, email; accents ignored). Totals are the
   * sums of the rows kept.
   */
  customer: z.string().max(LOOKUP_MAX_QUERY_LENGTH).optional(),
});
export type AgingReportInput = z.infer<typeof agingReportInput>;

export const customerAgingInput = z.strictObject({ customerNumber: z.string(), ...reportOptions });
export type CustomerAgingInput = z.infer<typeof customerAgingInput>;

/** The aging screen's columns, each one it can be sorted by. */
export const AGING_SORT_COLUMNS = [
  'customer_number',
  'legal_name',
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
  'total',
  'unapplied_credits_cents',
  'disputed_cents',
] as const;
export type AgingSortColumn = (typeof AGING_SORT_COLUMNS)[number];

/** The most rows one window carries (the screen asks for a page or two; the CSV export pages through). */
export const AGING_WINDOW_MAX_ROWS = 5_000;

export const agingWindowInput = z.strictObject({
  ...agingReportInput.shape,
  /** Only customers with money in 1-30 days or older. */
  pastDueOnly: z.boolean().optional(),
  /** Ties go by customer number, ascending. Default: total, descending. */
  sort: z.enum(AGING_SORT_COLUMNS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  offset: z.number().int().min(0).max(10_000_000),
  limit: z.number().int().min(1).max(AGING_WINDOW_MAX_ROWS),
});
export type AgingWindowInput = z.infer<typeof agingWindowInput>;

/** A window of the aging report's rows, sorted and filtered in main, with the figures of the whole filtered set. */
export interface AgingWindow {
  asOf: string;
  basis: AgingBasisKey;
  /** Sums over every row the filter keeps, not only this window's. */
  totals: AgingAmounts;
  /** How many rows the filter keeps. */
  count: number;
  /** How many customers the report has before filtering. */
  allCount: number;
  offset: number;
  rows: AgingCustomerRow[];
}

export const agingChannels = {
  'aging.report': channel<AgingReport>()(agingReportInput),
  'aging.window': channel<AgingWindow>()(agingWindowInput),
  'aging.customer': channel<CustomerAgingReport>()(customerAgingInput),
};
