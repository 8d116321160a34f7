import { z } from 'zod';
import { channel } from './define';

/**
 * Past-due follow-up (dunning) and the collections worklist. An admin sets the follow-up levels;
 * the daily billing run sends each level once for the same past-due invoices; the worklist lists
 * the past-due accounts for the clerks, a window of rows at a time.
 */

export const DUNNING_ACTIONS = ['email', 'letter', 'call'] as const;
export type DunningActionDto = (typeof DUNNING_ACTIONS)[number];
export const MAX_DUNNING_LEVELS = 20;

export interface DunningLevelDto {
  /** 1, 2, 3, … in order of days past due. */
  level: number;
  daysPastDue: number;
  action: DunningActionDto;
  /** The late fee billed with this level as its own invoice: fixed + percent of the past-due balance, at least the minimum; 0/0: no fee. */
  feeFixedCents: number;
  /** Basis points of the past-due balance (150 = 1.5%). */
  feePercentBp: number;
  feeMinimumCents: number;
  /** The fee is billed this many days after the level is reached, if the account is still past due. */
  graceDays: number;
}

export interface DunningLevelsDto {
  levels: DunningLevelDto[];
  /** Suspend the account on reaching this level (lifted when it is paid current); null: never. */
  suspendAtLevel: number | null;
  updatedAt: string;
  updatedBy: string;
}

const levelInput = z.strictObject({
  daysPastDue: z.number().int(),
  action: z.string().max(20),
  feeFixedCents: z.number().int().optional(),
  feePercentBp: z.number().int().optional(),
  feeMinimumCents: z.number().int().optional(),
  graceDays: z.number().int().optional(),
});
export type DunningLevelInput = z.infer<typeof levelInput>;

export const dunningLevelsInput = z.strictObject({
  levels: z.array(levelInput).max(MAX_DUNNING_LEVELS),
  suspendAtLevel: z.number().int().nullable(),
});
export type DunningLevelsInput = z.infer<typeof dunningLevelsInput>;

/** What the billing run's follow-up step did (BillingRunResult.dunning, `billing run --format json`). */
export interface DunningNoticeResult {
  customerNumber: string;
  level: number;
  action: DunningActionDto;
  /** The past-due invoices it was for, oldest due first. */
  invoiceNumbers: string[];
  pastDueCents: number;
  daysPastDue: number;
  /** The day the level was reached; before the run's date when it catches up. */
  reachedOn: string;
}

export interface DunningLateFeeResult {
  customerNumber: string;
  level: number;
  /** The late fee's own invoice; null in a dry run. */
  invoiceNumber: string | null;
  /** The past-due invoices whose balance it was figured on. */
  invoiceNumbers: string[];
  baseCents: number;
  feeCents: number;
}

export interface DunningSuspensionResult {
  customerNumber: string;
  level: number;
  /** suspended: reached the office's "suspend at" level; lifted: paid current. */
  change: 'suspended' | 'lifted';
  invoiceNumbers: string[];
  pastDueCents: number;
}

export interface DunningRunResult {
  notices: DunningNoticeResult[];
  lateFees: DunningLateFeeResult[];
  suspended: DunningSuspensionResult[];
}

export interface WorklistRowDto {
  customerNumber: string;
  legalName: string;
  phone: string | null;
  oldestDueDate: string;
  daysPastDue: number;
  pastDueCents: number;
  pastDueInvoices: number;
  /** The highest follow-up level sent for the invoices past due now; 0: none yet. */
  level: number;
  lastContact: { at: string; kind: 'call' | 'general' | 'promise'; by: string; text: string } | null;
  /** The soonest promise to pay whose date has not passed. */
  openPromise: { promisedOn: string; promisedCents: number } | null;
  /** An open call task (the last level was a call and no call is logged since), else the next level and its date; null: no more levels. */
  nextAction: { kind: 'call-task'; since: string } | { kind: 'level'; level: number; action: DunningActionDto; on: string } | null;
  assignedTo: string | null;
  noFollowUp: boolean;
  suspendedOn: string | null;
}

export interface WorklistDto {
  asOf: string;
  total: number;
  offset: number;
  rows: WorklistRowDto[];
}

const customerNumber = z.string().max(20);

export const dunningChannels = {
  'dunning.levels': channel<DunningLevelsDto>()(z.strictObject({})),
  'dunning.setLevels': channel<DunningLevelsDto>()(dunningLevelsInput),
};

export const collectionsChannels = {
  /** Past-due accounts, most days past due first, then the largest amount. */
  'collections.worklist': channel<WorklistDto>()(
    z.strictObject({
      /** A username, or '' for the accounts nobody is assigned. */
      assignedTo: z.string().max(64).optional(),
      level: z.number().int().min(0).max(MAX_DUNNING_LEVELS).optional(),
      minCents: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).optional(),
    }),
  ),
  /** Assigns the account to a clerk (null: nobody). */
  'collections.assign': channel<{ customerNumber: string; assignedTo: string | null }>()(z.strictObject({ customerNumber, assignedTo: z.string().max(64).nullable() })),
  /** The account's "no follow-up" flag: the billing run sends it no follow-up and bills it no late fee. */
  'collections.setNoFollowUp': channel<{ customerNumber: string; noFollowUp: boolean }>()(z.strictObject({ customerNumber, noFollowUp: z.boolean() })),
};
