import { z } from 'zod';
import { channel } from './define';
import type { AutopayRunDto } from './autopay';
import type { DunningRunResult } from './dunning';

export const BILLING_PERIOD_NAMES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type BillingPeriodName = (typeof BILLING_PERIOD_NAMES)[number];

const subscriptionLineInput = z.strictObject({
  description: z.string().max(1000),
  unitPriceCents: z.number().int(),
  quantity: z.number().int(),
  taxable: z.boolean(),
});

export const subscriptionCreateInput = z.strictObject({
  customerNumber: z.string().max(32),
  /** monthly, quarterly, semiannual or annual; checked by main with a field error. */
  period: z.string().max(32),
  startDate: z.string().max(32),
  endDate: z.string().max(32).nullable().optional(),
  /** 1-31; the start date's day when left out (1 gives calendar billing). */
  anchorDay: z.number().int().nullable().optional(),
  lines: z.array(subscriptionLineInput).max(100),
});
export type SubscriptionCreateInput = z.infer<typeof subscriptionCreateInput>;

export const subscriptionCancelInput = z.strictObject({
  customerNumber: z.string().max(32),
  /** One subscription; all the customer's active ones when left out. */
  subscriptionId: z.number().int().positive().optional(),
  mode: z.enum(['end_of_term', 'immediate']),
  /** The first day not used (immediate) or the day the customer asked (end of term); the business date when left out. */
  asOf: z.string().max(32).optional(),
  reason: z.string().max(2000),
});
export type SubscriptionCancelInput = z.infer<typeof subscriptionCancelInput>;

/** Cancelling the whole account: every active subscription the same way, and the account itself. */
export const accountCancelInput = subscriptionCancelInput.omit({ subscriptionId: true });
export type AccountCancelInput = z.infer<typeof accountCancelInput>;

export interface AccountCancelDto extends SubscriptionCancelDto {
  customerNumber: string;
  status: 'cancelled';
  /** The first day the account's service is not used. */
  cancelledOn: string;
  mode: 'end_of_term' | 'immediate';
  reason: string;
  creditCents: number;
}

export const subscriptionChangeInput = z.strictObject({
  customerNumber: z.string().max(32),
  subscriptionId: z.number().int().positive(),
  lines: z.array(subscriptionLineInput).max(100),
  /** From the next period (the default), or now: the current period settled again by days. */
  effective: z.enum(['next_period', 'now']),
  /** The business date when left out. */
  asOf: z.string().max(32).optional(),
});
export type SubscriptionChangeInput = z.infer<typeof subscriptionChangeInput>;

export interface SubscriptionChangeDto {
  subscriptionId: number;
  effectiveFrom: string;
  creditNumber: string | null;
  creditCents: number;
  invoiceNumber: string | null;
  invoiceCents: number;
}

export interface SubscriptionDto {
  id: number;
  customerNumber: string;
  period: BillingPeriodName;
  startDate: string;
  endDate: string | null;
  anchorDay: number;
  status: 'active' | 'cancelled' | 'ended';
  /** Why the billing run left it for review, when it did. */
  heldReason: string | null;
  lines: { effectiveFrom: string; description: string; unitPriceCents: number; quantity: number; taxable: boolean }[];
  /** One whole period with the current lines, before tax. */
  periodCents: number;
  /** Billed periods, newest first. */
  billed: { periodStart: string; periodEnd: string; invoiceNumber: string; amountCents: number }[];
  createdAt: string;
  createdBy: string;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  cancelMode: 'end_of_term' | 'immediate' | null;
}

export interface SubscriptionCancelDto {
  cancelled: { subscriptionId: number; endDate: string | null; creditNumber: string | null; creditCents: number }[];
}

export const billingRunInput = z.strictObject({
  /** The business date when left out. */
  asOf: z.string().max(32).optional(),
});

export interface BillingRunDto {
  asOf: string;
  dryRun: boolean;
  runId: number | null;
  invoices: { invoiceNumber: string | null; customerNumber: string; periodStart: string; periodEnd: string; totalCents: number }[];
  held: { subscriptionId: number; customerNumber: string; missedPeriods: number; firstMissed: string; reason: string }[];
  alreadyBilled: number;
  /** The autopay step: charged, declined (with the next retry) and skipped (with the reason); a dry run lists what it would charge. */
  autopay: AutopayRunDto;
  /** Past-due follow-up: the notices sent, late fees billed and suspensions (see ./dunning.ts). */
  dunning: DunningRunResult;
}

export interface BillingRunRecordDto {
  id: number;
  asOf: string;
  status: 'running' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  actor: string;
  workstation: string | null;
  invoicesCreated: number;
  periodsBilled: number;
  held: number;
  totalCents: number;
  message: string | null;
  /** Invoices written of those planned so far (the whole run once it has finished). */
  progressDone: number;
  progressTotal: number;
  /** Running, and its workstation renewed its lease in time (not a run whose workstation stopped). */
  going: boolean;
}

export const subscriptionsChannels = {
  'subscriptions.list': channel<{ subscriptions: SubscriptionDto[] }>()(z.strictObject({ customerNumber: z.string().max(32) })),
  'subscriptions.create': channel<SubscriptionDto>()(subscriptionCreateInput),
  'subscriptions.change': channel<SubscriptionChangeDto>()(subscriptionChangeInput),
  'subscriptions.cancel': channel<SubscriptionCancelDto>()(subscriptionCancelInput),
  /** A supervisor's (or a clerk's with approval): the account and all its subscriptions, in one transaction. */
  'customers.cancelAccount': channel<AccountCancelDto>()(accountCancelInput),
};

export const billingChannels = {
  /** What the billing run would make as of the date, through the same code, nothing written. */
  'billing.preview': channel<BillingRunDto>()(billingRunInput),
  'billing.run': channel<BillingRunDto>()(billingRunInput),
  'billing.runs': channel<{ runs: BillingRunRecordDto[] }>()(z.strictObject({})),
};
