import { z } from 'zod';
import { channel } from './define';

export const BILLING_FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type BillingFrequencyDto = (typeof BILLING_FREQUENCIES)[number];

export const invoiceLineInput = z.strictObject({
  description: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
  taxable: z.boolean().optional(),
});
export type InvoiceLineInput = z.infer<typeof invoiceLineInput>;

export const invoiceCreateInput = z.strictObject({
  customerNumber: z.string(),
  /** Generated (INV-100001, INV-100002, …) when left out. */
  invoiceNumber: z.string().optional(),
  /** YYYY-MM-DD; the business date when left out. */
  issueDate: z.string().optional(),
  /** YYYY-MM-DD; issue date plus the customer's terms when left out. */
  dueDate: z.string().optional(),
  periodStart: z.string().nullable().optional(),
  periodEnd: z.string().nullable().optional(),
  billingFrequency: z.enum(BILLING_FREQUENCIES).nullable().optional(),
  /** Basis points (825 = 8.25 %); the office's default tax rate when left out. */
  taxRateBp: z.number().int().optional(),
  lines: z.array(invoiceLineInput).min(1),
});
export type InvoiceCreateInput = z.infer<typeof invoiceCreateInput>;

export interface InvoiceLineDto {
  lineNo: number;
  description: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  taxable: boolean;
}

export interface InvoiceApplicationDto {
  id: number;
  source: 'payment' | 'credit' | 'write_off';
  /** What the row is for the clerk: money from a payment or a credit memo, a write-off, or a reversal of an earlier row. */
  kind: 'payment' | 'credit' | 'write_off' | 'reversal';
  /** The kind in words: Payment, Credit, Write-off, Reversal. */
  label: string;
  paymentId: number | null;
  /** The payment's confirmation number, when it has one. */
  confirmationNumber: string | null;
  creditNumber: string | null;
  /** The write-off this row records, for write-off rows. */
  writeOffId: number | null;
  /** Negative for a reversal. */
  amountCents: number;
  /** The application this row reverses, for reversal rows. */
  reversesId: number | null;
  /** True when a later row reverses this one. */
  reversed: boolean;
  appliedOn: string;
  reason: string | null;
  createdAt: string;
  createdBy: string;
}

export interface InvoiceDto {
  invoiceNumber: string;
  customerNumber: string;
  customerName: string;
  issueDate: string;
  dueDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  billingFrequency: BillingFrequencyDto | null;
  taxRateBp: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** Total less the applications standing against it; 0 for a void invoice. */
  openCents: number;
  status: 'open' | 'paid' | 'void';
  disputed: boolean;
  disputeReason: string | null;
  voidReason: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  createdAt: string;
  createdBy: string;
  lines: InvoiceLineDto[];
  /** Every application row, oldest first, reversals included. */
  applications: InvoiceApplicationDto[];
}

/** One thing that happened to an invoice, from the audit log and the ledger's applications. */
export interface InvoiceHistoryEntryDto {
  at: string;
  /** invoice.create, invoice.void, invoice.dispute, invoice.undispute, invoice.write_off, payment, credit, write_off, reversal, print.queue, email.queue … */
  action: string;
  /** One line for the clerk: what happened, with the amount or reason. */
  text: string;
  actor: string;
  /** The supervisor who approved it, when a clerk asked. */
  approvedBy: string | null;
}

/** Everything the invoice's screen shows, in one answer. */
export interface InvoiceDetailDto extends InvoiceDto {
  customerEmail: string | null;
  /** Oldest first. */
  history: InvoiceHistoryEntryDto[];
}

/** What a new invoice would come to, as main computes it; nothing is written. */
export interface InvoicePreviewDto {
  issueDate: string;
  /** Issue date plus the customer's terms unless given; null while the issue date is not a date. */
  dueDate: string | null;
  termsDays: number;
  taxRateBp: number;
  taxExempt: boolean;
  /** Each line's amount (0 for a line whose quantity or price is not usable yet). */
  lineAmounts: number[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** What main would refuse, keyed as invoices.create's field errors are (lines.0.quantity …). */
  problems: Record<string, string>;
}

const byNumber = z.strictObject({ invoiceNumber: z.string() });

export const invoicesChannels = {
  /** The invoice with its lines, applications and history. */
  'invoices.get': channel<InvoiceDetailDto>()(byNumber),
  /** The totals and defaults of a new invoice while it is typed (invoices.create's own rules). */
  'invoices.preview': channel<InvoicePreviewDto>()(invoiceCreateInput.extend({ lines: z.array(invoiceLineInput).max(500) })),
  'invoices.create': channel<InvoiceDto>()(invoiceCreateInput),
  'invoices.void': channel<InvoiceDto>()(z.strictObject({ invoiceNumber: z.string(), reason: z.string() })),
  'invoices.setDisputed': channel<InvoiceDto>()(
    z.strictObject({ invoiceNumber: z.string(), disputed: z.boolean(), reason: z.string().optional() }),
  ),
};
