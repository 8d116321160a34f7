/** The vocabulary of the allocation rules (allocation.rules.ts): what goes into a quote and what comes out. */
import type { Cents } from '../../shared/money';

export interface OpenInvoice {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  openCents: Cents;
  disputed: boolean;
}

export interface AvailableCredit {
  creditNumber: string;
  issueDate: string;
  remainingCents: Cents;
}

export interface PaymentPolicy {
  /** Every selected invoice must be settled in full; the amount must match what is due exactly. */
  exactInvoicePayments: boolean;
  /** What to do with money beyond what the selected invoices need (only reachable when not exact). */
  overpayment: 'refuse' | 'unapplied_credit';
}

export interface CreditPart {
  creditNumber: string;
  amountCents: Cents;
}

export interface CreditLeft {
  creditNumber: string;
  remainingCents: Cents;
}

export interface QuoteLine {
  invoiceNumber: string;
  dueDate: string;
  issueDate: string;
  openCents: Cents;
  creditParts: CreditPart[];
  creditCents: Cents;
  chargeCents: Cents;
  /** Open amount left on the invoice after this payment. */
  remainingCents: Cents;
}

export interface QuoteInput {
  /** All open invoices of the customer. */
  openInvoices: readonly OpenInvoice[];
  selection: readonly string[] | 'all';
  /** All the customer's credits with something remaining. */
  credits: readonly AvailableCredit[];
  selectedCredits: readonly string[];
  policy: PaymentPolicy;
  /** What the clerk wants to charge by card/bank. Optional when exact; required otherwise. */
  amountCents?: Cents;
}

export type CreditApplicationInput = Omit<QuoteInput, 'amountCents'>;

export interface QuoteAccepted {
  ok: true;
  /** Selected invoices, oldest first. */
  lines: QuoteLine[];
  totalOpenCents: Cents;
  totalCreditCents: Cents;
  /** Amount to charge; equals the lines' charges plus unappliedCents. */
  chargeCents: Cents;
  /** Overpayment kept as a credit on account; 0 unless the policy allows it. */
  unappliedCents: Cents;
  /** Selected credits that were drawn on, oldest first. */
  creditsUsed: CreditPart[];
  /** Selected credits with something remaining after this payment, oldest first. */
  creditsLeft: CreditLeft[];
}

export type AllocationRefusalCode =
  | 'NOTHING_SELECTED'
  | 'INVOICE_NOT_OPEN'
  | 'DUPLICATE_INVOICE'
  | 'DUPLICATE_CREDIT'
  | 'CREDIT_NOT_AVAILABLE'
  | 'NO_CREDIT_SELECTED'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_REQUIRED'
  | 'PARTIAL_PAYMENT_NOT_ALLOWED'
  | 'INVOICE_RECEIVES_NOTHING'
  | 'OVERPAYMENT_NOT_ALLOWED';

export interface QuoteRefused {
  ok: false;
  code: AllocationRefusalCode;
  message: string;
  invoiceNumber?: string;
  creditNumber?: string;
}

export type QuoteResult = QuoteAccepted | QuoteRefused;
