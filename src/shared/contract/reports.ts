import { z } from 'zod';
import { channel } from './define';
import { isIsoDate } from '../dates';
import type { PdfFile } from './documents';

/**
 * The payments report and the day's close. Every amount is integer cents; dates are business dates
 * (YYYY-MM-DD in the office's time zone). One report shape serves the screen, the PDF, the CSV and
 * the CLI's JSON.
 */

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date as YYYY-MM-DD');

/** How many lines the screen is sent at most; the totals always cover the whole range. */
export const PAYMENTS_REPORT_SCREEN_LINES = 1000;

/** Counts and amounts of one group: captured payments, and the voids and refunds shown apart from them. */
export interface PaymentsReportAmounts {
  capturedCount: number;
  capturedCents: number;
  refundCount: number;
  refundedCents: number;
  voidCount: number;
  voidedCents: number;
  /** captured - refunded - voided. */
  netCents: number;
}

/**
 * One way of paying: a card brand (card:visa), a bank debit (bank), check, cash, wire or transfer (a
 * wire or transfer is stored as kind bank; the report tells it apart by how it was received).
 */
export interface PaymentsReportMethodRow extends PaymentsReportAmounts {
  method: string;
  label: string;
  kind: string;
  brand: string | null;
}

/** One clerk: the payments they took, and the voids and refunds they made. */
export interface PaymentsReportClerkRow extends PaymentsReportAmounts {
  clerk: string;
  name: string | null;
}

export interface PaymentsReportTotals {
  byMethod: PaymentsReportMethodRow[];
  byClerk: PaymentsReportClerkRow[];
  capturedCents: number;
  refundedCents: number;
  voidedCents: number;
  netCents: number;
}

/** One line of the report: a captured payment (amount positive), or a void or refund (amount negative). */
export interface PaymentsReportLine {
  businessDate: string;
  type: 'payment' | 'void' | 'refund';
  paymentId: number;
  reversalId: number | null;
  confirmationNumber: string | null;
  customerNumber: string;
  customerName: string;
  /** The method's kind, as in byMethod: card, bank, check, cash, wire, transfer… */
  kind: string;
  brand: string | null;
  last4: string | null;
  method: string;
  clerk: string;
  amountCents: number;
  /** The payment's status for a payment line (captured, or voided later); the reason for a void or refund. */
  note: string;
}

/** A balance written off in the range: a non-cash adjustment, shown apart and never counted as money taken. */
export interface PaymentsReportWriteOff {
  writtenOn: string;
  invoiceNumber: string;
  customerNumber: string;
  customerName: string;
  clerk: string;
  approvedBy: string | null;
  amountCents: number;
  reason: string;
}

export interface PaymentsReport {
  from: string;
  to: string;
  totals: PaymentsReportTotals;
  payments: PaymentsReportLine[];
  /** The range's write-offs by date written (not in the totals above, which are money). */
  writeOffs: PaymentsReportWriteOff[];
  /** Lines of the range left out of `payments` (the screen gets the first ones; the CSV, PDF and CLI get all). */
  linesNotShown: number;
}

export const paymentsReportInput = z.strictObject({ from: isoDate, to: isoDate });
export type PaymentsReportInput = z.infer<typeof paymentsReportInput>;

/** A brand's card money of the day, in AR Desk and at the payment gateway. */
export interface DayCloseBrandRow {
  brand: string;
  label: string;
  arDeskCents: number;
  gatewayCents: number;
  differenceCents: number;
}

export type DayCloseProblem = 'not_at_gateway' | 'not_in_ar_desk' | 'amount_differs';

/** A card transaction of the day on which AR Desk and the gateway disagree. */
export interface DayCloseDifference {
  problem: DayCloseProblem;
  kind: 'charge' | 'void' | 'refund';
  transactionId: string | null;
  brand: string | null;
  last4: string | null;
  confirmationNumber: string | null;
  customerNumber: string | null;
  arDeskCents: number | null;
  gatewayCents: number | null;
}

export interface DayCloseFigures {
  businessDate: string;
  /** Every payment method's money of the day (the payments report of that one day). */
  capturedCents: number;
  refundedCents: number;
  voidedCents: number;
  netCents: number;
  /** Card money of the day: captured minus refunds and voids. */
  cardNetCents: number;
  gatewayCardNetCents: number;
  brands: DayCloseBrandRow[];
  differences: DayCloseDifference[];
}

/** What the Close the day screen shows before the supervisor confirms. */
export interface DayClosePreview extends DayCloseFigures {
  /** Who closed it and when, when it is closed already. */
  closed: { closedAt: string; closedBy: string } | null;
  /** Why it cannot be closed now (pending payments, a future date, closed already); empty when it can. */
  blockers: string[];
}

export interface DayCloseDto extends DayCloseFigures {
  closedAt: string;
  closedBy: string;
  approvedBy: string | null;
}

export const dayClosePreviewInput = z.strictObject({ businessDate: isoDate.optional() });
export const dayCloseInput = z.strictObject({ businessDate: isoDate });
export type DayCloseInput = z.infer<typeof dayCloseInput>;

export const reportsChannels = {
  /** Totals by method and by clerk, voids and refunds apart, and the lines, for business dates from..to inclusive. */
  'reports.payments': channel<PaymentsReport>()(paymentsReportInput),
  /** The same report as a PDF (save as PDF). */
  'reports.paymentsPdf': channel<PdfFile>()(paymentsReportInput),
  /** The day's card totals compared with the gateway's settlement report (today by default). */
  'reports.closePreview': channel<DayClosePreview>()(dayClosePreviewInput),
  /** Closes a business date: records the comparison; nothing can be posted on or before it afterwards. */
  'reports.closeDay': channel<DayCloseDto>()(dayCloseInput),
  /** Closed days, newest first. */
  'reports.closedDays': channel<{ closes: DayCloseDto[] }>()(z.strictObject({ limit: z.number().int().min(1).max(366).default(60) })),
};
