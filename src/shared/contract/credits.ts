import { z } from 'zod';
import { channel } from './define';

export const creditCreateInput = z.strictObject({
  customerNumber: z.string(),
  amountCents: z.number().int(),
  reason: z.string(),
  /** YYYY-MM-DD; the business date when left out. */
  issueDate: z.string().optional(),
  /** Generated (CR-100001, …) when left out. */
  creditNumber: z.string().optional(),
});
export type CreditCreateInput = z.infer<typeof creditCreateInput>;

export const creditApplyInput = z.strictObject({
  customerNumber: z.string(),
  /** The invoices to settle, or 'all' for every open invoice that is not disputed. */
  invoiceNumbers: z.union([z.array(z.string()), z.literal('all')]),
  creditNumbers: z.array(z.string()),
});
export type CreditApplyInput = z.infer<typeof creditApplyInput>;

export const creditUnapplyInput = z.strictObject({
  creditNumber: z.string(),
  invoiceNumber: z.string(),
  reason: z.string(),
});
export type CreditUnapplyInput = z.infer<typeof creditUnapplyInput>;

export interface CreditDto {
  creditNumber: string;
  customerNumber: string;
  issueDate: string;
  amountCents: number;
  remainingCents: number;
  reason: string;
  createdAt: string;
  createdBy: string;
}

export interface CreditApplicationLineDto {
  invoiceNumber: string;
  /** Open amount before the credits. */
  openCents: number;
  creditCents: number;
  /** Open amount left on the invoice afterwards (0 when paid in full). */
  remainingCents: number;
  creditParts: { creditNumber: string; amountCents: number }[];
}

export interface CreditApplicationDto {
  customerNumber: string;
  appliedOn: string;
  lines: CreditApplicationLineDto[];
  totalCreditCents: number;
  creditsUsed: { creditNumber: string; amountCents: number }[];
  /** Selected credits with something remaining afterwards. */
  creditsLeft: { creditNumber: string; remainingCents: number }[];
}

export interface CreditUnapplyDto {
  creditNumber: string;
  invoiceNumber: string;
  /** Amount put back on the credit and reopened on the invoice. */
  reversedCents: number;
  creditRemainingCents: number;
  invoiceOpenCents: number;
}

export const creditsChannels = {
  'credits.create': channel<CreditDto>()(creditCreateInput),
  'credits.apply': channel<CreditApplicationDto>()(creditApplyInput),
  'credits.unapply': channel<CreditUnapplyDto>()(creditUnapplyInput),
};
