import { z } from 'zod';
import { channel } from './define';
import { isIsoDate } from '../dates';
import { invoiceSelection, type PaymentQuoteDto, type PaymentSubmitDto, type ReversalOutcomeDto } from './payments';
import type { PdfFile } from './documents';

/**
 * Money received outside the card gateway (a mailed check, cash at the counter, a wire or bank
 * transfer), and the deposits that take checks and cash to the bank.
 */

const cents = z.number().int().min(0);
const isoDate = z.string().refine(isIsoDate, 'must be a calendar date as YYYY-MM-DD');

export const RECEIVED_METHODS = ['check', 'cash', 'wire', 'transfer'] as const;
export type ReceivedMethod = (typeof RECEIVED_METHODS)[number];

export const receivedQuoteInput = z.strictObject({
  customerNumber: z.string(),
  invoiceNumbers: invoiceSelection,
  creditNumbers: z.array(z.string()),
  method: z.enum(RECEIVED_METHODS),
  /** The amount on the check, counted in cash, or received by wire. */
  amountCents: cents,
  /** Checks only: asked so the preview can warn of a check recorded already. */
  checkNumber: z.string().max(30).optional(),
});
export type ReceivedQuoteInput = z.infer<typeof receivedQuoteInput>;

export const recordReceivedInput = z.strictObject({
  customerNumber: z.string(),
  invoiceNumbers: invoiceSelection,
  creditNumbers: z.array(z.string()),
  method: z.enum(RECEIVED_METHODS),
  amountCents: cents,
  /** The business date by default; may be earlier, never later. */
  receivedOn: isoDate.optional(),
  /** Required for a check. */
  checkNumber: z.string().max(30).optional(),
  /** The bank the check is drawn on; required for a check. */
  checkBank: z.string().max(100).optional(),
  /** A wire's or transfer's reference. */
  reference: z.string().max(100).optional(),
  /** Posts a check that looks like one recorded already (same customer, number and amount); audited. */
  postAnyway: z.boolean().optional(),
  /** Made once per attempt by the screen; a repeat returns the first result. */
  idempotencyKey: z.string().min(8).max(100),
  delivery: z.enum(['none', 'print', 'email']).optional(),
  emailTo: z.string().max(254).optional(),
});
export type RecordReceivedInput = z.infer<typeof recordReceivedInput>;

/** An earlier check of the same customer, number and amount. */
export interface DuplicateCheckDto {
  paymentId: number;
  confirmationNumber: string | null;
  receivedOn: string;
  checkNumber: string;
  amountCents: number;
}

export interface ReceivedQuoteDto {
  quote: PaymentQuoteDto;
  /** Set when the check looks recorded already: posting it needs postAnyway. */
  duplicate: DuplicateCheckDto | null;
}

export const returnedCheckInput = z.strictObject({
  paymentId: z.number().int().positive(),
  /** What the bank said (insufficient funds, account closed...). */
  reason: z.string().max(1000),
});

export interface DepositItemDto {
  itemId: number | null;
  paymentId: number;
  reversalId: number | null;
  kind: 'check' | 'cash';
  checkNumber: string | null;
  checkBank: string | null;
  customerNumber: string;
  customerName: string;
  confirmationNumber: string | null;
  receivedOn: string;
  /** Negative for a correction: a returned check or cash paid back after its deposit. */
  amountCents: number;
}

export interface DepositDto {
  depositId: number;
  depositDate: string;
  status: 'open' | 'closed';
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  closedBy: string | null;
  items: DepositItemDto[];
  checkCount: number;
  checksCents: number;
  cashCents: number;
  totalCents: number;
  itemCount: number;
}

export interface DepositSummaryDto {
  depositId: number;
  depositDate: string;
  status: 'open' | 'closed';
  itemCount: number;
  totalCents: number;
  closedAt: string | null;
}

const depositId = z.number().int().positive();

export const receivedChannels = {
  /** The allocation preview of money received, with a warning when the check was recorded already. */
  'payments.quoteReceived': channel<ReceivedQuoteDto>()(receivedQuoteInput),
  /** Posts a check, cash, wire or transfer at once (no gateway): the same allocation, confirmation and key handling as a card payment. */
  'payments.recordReceived': channel<PaymentSubmitDto>()(recordReceivedInput),
  /** The bank returned a deposited check: the whole payment is reversed and its invoices reopened. */
  'payments.returnCheck': channel<ReversalOutcomeDto>()(returnedCheckInput),

  'deposits.list': channel<{ deposits: DepositSummaryDto[] }>()(z.strictObject({ limit: z.number().int().min(1).max(200).default(30) })),
  'deposits.get': channel<DepositDto>()(z.strictObject({ depositId })),
  /** Received checks and cash (and corrections of them) not in any deposit yet, oldest first. */
  'deposits.undeposited': channel<{ items: DepositItemDto[] }>()(z.strictObject({})),
  /** Opens a batch dated today (or the date given), with every undeposited item received by then unless `empty`. */
  'deposits.open': channel<DepositDto>()(z.strictObject({ depositDate: isoDate.optional(), empty: z.boolean().optional() })),
  'deposits.addItems': channel<DepositDto>()(
    z.strictObject({
      depositId,
      payments: z.array(z.number().int().positive()).max(500).default([]),
      reversals: z.array(z.number().int().positive()).max(500).default([]),
    }),
  ),
  'deposits.removeItem': channel<DepositDto>()(z.strictObject({ depositId, itemId: z.number().int().positive() })),
  'deposits.close': channel<DepositDto>()(z.strictObject({ depositId })),
  /** The deposit slip as a PDF. */
  'deposits.slip': channel<PdfFile>()(z.strictObject({ depositId })),
};
