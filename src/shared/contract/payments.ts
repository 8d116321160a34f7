import { z } from 'zod';
import { channel } from './define';

/**
 * Card and bank payments taken over the phone. Card numbers and security codes travel only in
 * `payments.submit` and `paymentMethods.add` inputs, straight to the gateway; no output carries them.
 */

const cents = z.number().int().min(0);

export const invoiceSelection = z.union([z.array(z.string()), z.literal('all')]);

export const newCardFields = {
  cardNumber: z.string().max(40),
  expMonth: z.number().int(),
  /** 4-digit year; a 2-digit year (28) is read as 2028. */
  expYear: z.number().int(),
  cvc: z.string().max(8),
  nameOnCard: z.string().max(200),
  postalCode: z.string().max(20),
};

export const newBankFields = {
  routingNumber: z.string().max(20),
  accountNumber: z.string().max(30),
  accountType: z.enum(['checking', 'savings']),
  nameOnAccount: z.string().max(200),
};

export const paymentMethodInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('saved'), paymentMethodId: z.number().int().positive() }),
  z.strictObject({ type: z.literal('card'), ...newCardFields, save: z.boolean(), nickname: z.string().max(60).optional() }),
  z.strictObject({ type: z.literal('bank'), ...newBankFields, save: z.boolean(), nickname: z.string().max(60).optional() }),
]);
export type PaymentMethodInput = z.infer<typeof paymentMethodInput>;

export const paymentQuoteInput = z.strictObject({
  customerNumber: z.string(),
  invoiceNumbers: invoiceSelection,
  creditNumbers: z.array(z.string()),
  /** What to charge; only needed when the house rules allow partial payments. */
  amountCents: cents.optional(),
});
export type PaymentQuoteInput = z.infer<typeof paymentQuoteInput>;

export const paymentSubmitInput = z.strictObject({
  customerNumber: z.string(),
  invoiceNumbers: invoiceSelection,
  creditNumbers: z.array(z.string()),
  /** What to charge; required when the quote charges anything, ignored when credits cover it all. */
  method: paymentMethodInput.optional(),
  /** The charge the clerk read back to the customer; must equal the quote's chargeCents. */
  confirmedAmountCents: cents,
  /** Made once per payment attempt by the screen; a repeat returns the first result. */
  idempotencyKey: z.string().min(8).max(100),
  amountCents: cents.optional(),
  delivery: z.enum(['none', 'print', 'email']).optional(),
  emailTo: z.string().max(254).optional(),
  /** A bank debit: the customer authorized it on the phone after hearing the wording (shared/phoneDebit.ts). Required for bank payments. */
  phoneDebitAuthorized: z.boolean().optional(),
  /** The wording the screen showed; when given, main refuses a payment whose terms no longer read the same. */
  phoneDebitWording: z.string().max(2000).optional(),
});
export type PaymentSubmitInput = z.infer<typeof paymentSubmitInput>;

export interface QuoteLineDto {
  invoiceNumber: string;
  dueDate: string;
  issueDate: string;
  openCents: number;
  creditParts: { creditNumber: string; amountCents: number }[];
  creditCents: number;
  chargeCents: number;
  remainingCents: number;
}

/** Exactly the billing rules' quote; a refusal is data (`ok: false`) so the screen can show it. */
export type PaymentQuoteDto =
  | {
      ok: true;
      lines: QuoteLineDto[];
      totalOpenCents: number;
      totalCreditCents: number;
      chargeCents: number;
      unappliedCents: number;
      creditsUsed: { creditNumber: string; amountCents: number }[];
      creditsLeft: { creditNumber: string; remainingCents: number }[];
    }
  | { ok: false; code: string; message: string; invoiceNumber?: string; creditNumber?: string };

export interface AppliedDto {
  invoiceNumber: string;
  amountCents: number;
  source: 'card' | 'bank' | 'check' | 'cash' | 'credit';
  creditNumber?: string;
}

export type PaymentSubmitDto =
  | { status: 'approved'; paymentId: number; confirmationNumber: string; amountCents: number; applied: AppliedDto[] }
  | { status: 'declined'; paymentId: number; code: string; message: string }
  | { status: 'pending'; paymentId: number };

export type PaymentKindDto = 'card' | 'bank' | 'credit_only' | 'import' | 'check' | 'cash';
export type PaymentStatusDto = 'pending' | 'captured' | 'declined' | 'failed' | 'voided';

export interface PaymentSummaryDto {
  paymentId: number;
  customerNumber: string;
  createdAt: string;
  receivedOn: string;
  confirmationNumber: string | null;
  kind: PaymentKindDto;
  status: PaymentStatusDto;
  /** "Visa ending 4242", "Checking ending 6789", "Credit only", "Prior payment". */
  methodLabel: string;
  /** Charged to the card or bank account (credits used are not included). */
  amountCents: number;
  refundedCents: number;
  /** Charged but held on account, not applied to an invoice (only when overpayments are kept). */
  unappliedCents: number;
  clerk: string;
  declineCode: string | null;
  declineMessage: string | null;
  /** Money standing on invoices now (net of voids and refunds); for a pending payment, what it will apply. */
  applied: AppliedDto[];
  /** Money received outside the gateway: how it came and what identifies it; null for card and gateway bank payments. */
  received: { via: 'check' | 'cash' | 'wire' | 'transfer'; checkNumber: string | null; checkBank: string | null; reference: string | null } | null;
}

/** A payment in the list across customers (the Payments screen). */
export interface RecentPaymentDto extends PaymentSummaryDto {
  customerName: string;
}

export const PAYMENT_STATUSES = ['pending', 'captured', 'declined', 'failed', 'voided'] as const satisfies readonly PaymentStatusDto[];

export const paymentRecentInput = z.strictObject({
  limit: z.number().int().min(1).max(200).default(20),
  /** Only payments in this state; all when absent. */
  status: z.enum(PAYMENT_STATUSES).optional(),
});

/**
 * Finding payments taken here (the Payments screen): every filter given must match; newest first
 * (business date, then time), a page at a time, with the count of all that match.
 */
export const paymentSearchInput = z.strictObject({
  /** Exact, as read over the phone ("k7m2 q9xr" finds K7M2-Q9XR). */
  confirmationNumber: z.string().max(20).optional(),
  /** A received check's number, as written on it (spaces and leading zeros do not matter). */
  checkNumber: z.string().max(30).optional(),
  /** Exact amount paid, in cents. */
  amountCents: cents.optional(),
  /** Business dates, YYYY-MM-DD, both ends included. */
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  customerNumber: z.string().max(20).optional(),
  /** The username of the clerk who took it. */
  clerk: z.string().max(100).optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  /** 1-based. */
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(10),
});
export type PaymentSearchInput = z.output<typeof paymentSearchInput>;

export interface PaymentSearchDto {
  payments: RecentPaymentDto[];
  /** How many payments match, over every page. */
  total: number;
  page: number;
  pageSize: number;
}

export interface PaymentReversalDto {
  reversalId: number;
  kind: 'void' | 'refund';
  status: 'pending' | 'completed' | 'failed';
  amountCents: number;
  invoiceNumber: string | null;
  reason: string;
  createdAt: string;
  clerk: string;
  failureMessage: string | null;
  /** A refund of received money: paid out by our check (its number) or cash; null for the gateway's. */
  payout: { method: 'check' | 'cash'; checkNumber: string | null } | null;
  /** The reversal of a check the bank returned. */
  returned: boolean;
  /** The gateway's transaction id for the void or refund, once it answered; null for money paid back outside the gateway. */
  reference: string | null;
}

export interface PaymentDetailDto extends PaymentSummaryDto {
  gateway: string | null;
  authorizationCode: string | null;
  avsResult: string | null;
  cvcResult: string | null;
  delivery: 'none' | 'print' | 'email';
  receiptEmail: string | null;
  /** Credits the payment used, by credit, net of reversals. */
  creditsUsed: { creditNumber: string; amountCents: number }[];
  /** Its voids and refunds (any status), oldest first. */
  reversals: PaymentReversalDto[];
  /** What the payment still holds after its completed refunds: the amount less them; 0 once voided, declined or failed. */
  netCents: number;
  /** Same business day, captured, nothing refunded: the clerk may void it. */
  canVoid: boolean;
  /** What a refund may still return to the card or bank account. */
  refundableCents: number;
}

export const paymentGetInput = z.union([
  z.strictObject({ paymentId: z.number().int().positive() }),
  z.strictObject({ confirmationNumber: z.string().max(20) }),
  /** The payment a submit with this key recorded: how a window that was reloaded mid-charge finds its payment again. */
  z.strictObject({ idempotencyKey: z.string().min(8).max(100) }),
]);
export type PaymentGetInput = z.infer<typeof paymentGetInput>;

export const paymentVoidInput = z.strictObject({
  paymentId: z.number().int().positive(),
  reason: z.string().max(1000),
});

export const paymentRefundInput = z.strictObject({
  paymentId: z.number().int().positive(),
  reason: z.string().max(1000),
  /** Refund only this invoice's share of the payment. */
  invoiceNumber: z.string().optional(),
  /** Refund less than the whole (share): the invoices are reopened by this much, newest first. */
  amountCents: z.number().int().positive().optional(),
  /** Money received outside the gateway (check, cash, wire) is paid back by our check (its number) or in cash. */
  payout: z
    .discriminatedUnion('method', [
      z.strictObject({ method: z.literal('check'), checkNumber: z.string().max(30) }),
      z.strictObject({ method: z.literal('cash') }),
    ])
    .optional(),
});

export interface ReversalOutcomeDto {
  /** completed: money returned and invoices reopened; failed: the gateway refused, nothing changed; pending: no answer yet. */
  status: 'completed' | 'failed' | 'pending';
  reversalId: number;
  paymentId: number;
  kind: 'void' | 'refund';
  amountCents: number;
  /** The gateway's reason when it refused, for the clerk. */
  message: string | null;
  reopened: { invoiceNumber: string; amountCents: number }[];
  creditsRestored: { creditNumber: string; amountCents: number }[];
}

export interface RecoveryReportDto {
  payments: {
    paymentId: number;
    customerNumber: string;
    outcome: 'captured' | 'declined' | 'failed';
    amountCents: number;
    confirmationNumber: string | null;
    message: string | null;
  }[];
  reversals: {
    reversalId: number;
    paymentId: number;
    kind: 'void' | 'refund';
    outcome: 'completed' | 'failed';
    amountCents: number;
  }[];
  /** Left pending: the gateway could not be asked, or the request is too recent to call failed. */
  stillPending: { payments: number; reversals: number };
}

export const paymentsChannels = {
  'payments.quote': channel<PaymentQuoteDto>()(paymentQuoteInput),
  'payments.submit': channel<PaymentSubmitDto>()(paymentSubmitInput),
  'payments.list': channel<{ payments: PaymentSummaryDto[] }>()(z.strictObject({ customerNumber: z.string() })),
  /** Payments taken in AR Desk (card, bank, credits), newest first across customers; prior payments brought in by an import are left out. */
  'payments.recent': channel<{ payments: RecentPaymentDto[] }>()(paymentRecentInput),
  'payments.search': channel<PaymentSearchDto>()(paymentSearchInput),
  /** By id, by the confirmation number read out over the phone, or by the submit's idempotency key. */
  'payments.get': channel<PaymentDetailDto>()(paymentGetInput),
  'payments.void': channel<ReversalOutcomeDto>()(paymentVoidInput),
  'payments.refund': channel<ReversalOutcomeDto>()(paymentRefundInput),
  'payments.recover': channel<RecoveryReportDto>()(z.strictObject({})),
};
