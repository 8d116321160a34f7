import { z } from 'zod';
import { channel } from './define';

/**
 * Correcting posted money: moving a payment's or credit's money between invoices (re-apply),
 * applying money held on account, and writing off a small balance. Every change is new rows
 * (reversals and applications), never an edit, with who and why.
 */

const reason = z.string().max(1000);

export const reapplyInput = z.strictObject({
  /** Whose money: a payment (by id) or a credit memo (by number). */
  source: z.union([
    z.strictObject({ paymentId: z.number().int().positive() }),
    z.strictObject({ creditNumber: z.string().max(40) }),
  ]),
  /** The invoice the money stands on now. */
  fromInvoiceNumber: z.string().max(40),
  /** Another open invoice of the same customer, or null to put the money back on account (unapplied). */
  toInvoiceNumber: z.string().max(40).nullable(),
  amountCents: z.number().int(),
  reason,
});
export type ReapplyInput = z.infer<typeof reapplyInput>;

export interface ReapplyDto {
  customerNumber: string;
  fromInvoiceNumber: string;
  toInvoiceNumber: string | null;
  amountCents: number;
  /** Open amounts afterwards. */
  fromOpenCents: number;
  toOpenCents: number | null;
}

export const onAccountApplyInput = z.strictObject({
  paymentId: z.number().int().positive(),
  invoiceNumber: z.string().max(40),
  amountCents: z.number().int(),
});
export type OnAccountApplyInput = z.infer<typeof onAccountApplyInput>;

export interface OnAccountApplyDto {
  paymentId: number;
  invoiceNumber: string;
  amountCents: number;
  /** Left on account from this payment afterwards. */
  onAccountCents: number;
  invoiceOpenCents: number;
}

export const writeOffInput = z.strictObject({
  invoiceNumber: z.string().max(40),
  amountCents: z.number().int(),
  reason,
});
export type WriteOffInput = z.infer<typeof writeOffInput>;

export interface WriteOffDto {
  writeOffId: number;
  invoiceNumber: string;
  amountCents: number;
  invoiceOpenCents: number;
}

/** One row of an account's correction history: a reversal, a re-application, a write-off. */
export interface CorrectionRowDto {
  id: number;
  kind: 'reversal' | 'application' | 'write_off';
  invoiceNumber: string;
  /** "Payment K7M2-Q9XR", "Credit CR-100001", "Write-off". */
  sourceLabel: string;
  /** Negative for a reversal. */
  amountCents: number;
  appliedOn: string;
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

export const correctionsChannels = {
  'corrections.reapply': channel<ReapplyDto>()(reapplyInput),
  'corrections.applyOnAccount': channel<OnAccountApplyDto>()(onAccountApplyInput),
  'corrections.writeOff': channel<WriteOffDto>()(writeOffInput),
  /** The account's corrections, newest first: reversals with a reason, re-applications, write-offs. */
  'corrections.history': channel<{ rows: CorrectionRowDto[] }>()(z.strictObject({ customerNumber: z.string().max(40) })),
};
