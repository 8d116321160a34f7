import type { BankAccountType, CardBrand } from '../../shared/cards';

/**
 * The payment gateway port. The workflow talks to a processor only through this interface,
 * so the built-in test gateway and a real processor's adapter are interchangeable.
 *
 * Fitting a real processor:
 * - Stripe PaymentIntents: tokenizeCard/tokenizeBank create a PaymentMethod attached to a Customer;
 *   charge is `paymentIntents.create({ amount, confirm: true, payment_method_options: { card: { moto: true } } })`
 *   sent with the `Idempotency-Key` header; lookup searches PaymentIntents by a metadata key set at
 *   create; void is `paymentIntents.cancel` (or a refund once captured), refund is `refunds.create`.
 *   A card_error becomes `declined` (decline_code and its message), api_error / timeouts `error`.
 * - Authorize.Net: createTransactionRequest with `authCaptureTransaction` and the MOTO market type,
 *   the key in `refId`/`invoiceNumber`; lookup is getUnsettledTransactionList filtered by that id;
 *   void is `voidTransaction`, refund is `refundTransaction`; response codes 2/3 map to `declined`.
 * Every call that moves money carries an idempotency key, and a thrown exception or timeout means
 * "no answer": the caller keeps the request pending and asks `lookup(key)` later.
 */
export interface PaymentGateway {
  /** Short name shown in the footer and stored on payments, e.g. "test". */
  readonly name: string;
  /** True for the built-in test gateway: the UI says "Test mode". */
  readonly testMode: boolean;
  tokenizeCard(card: CardDetails, billing: BillingDetails): Promise<TokenizeResult>;
  tokenizeBank(bank: BankDetails, billing: BillingDetails): Promise<TokenizeResult>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** What became of the request sent with this key (a charge, void or refund). */
  lookup(idempotencyKey: string): Promise<LookupResult>;
  void(transactionId: string, idempotencyKey: string): Promise<ReversalResult>;
  refund(transactionId: string, amountCents: number, idempotencyKey: string): Promise<ReversalResult>;
  /**
   * What the processor settled for one business date: every approved charge, void and refund it
   * recorded that day (the day's close compares it with the ledger). Stripe: the balance
   * transactions of the day's payouts (`balanceTransactions.list` by `created`); Authorize.Net:
   * getSettledBatchList for the day, then getTransactionList per batch. A gateway without it cannot
   * close a day (the close says so). Throws when the processor does not answer.
   */
  settlementReport?(businessDate: string): Promise<SettlementReport>;
  close?(): void;
}

/** Card data travels only in memory, only from the clerk's form to the gateway. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface BankDetails {
  routingNumber: string;
  accountNumber: string;
  accountType: BankAccountType;
}

export interface BillingDetails {
  name: string;
  postalCode: string | null;
}

export type ChargeSource = { token: string } | { card: CardDetails } | { bank: BankDetails };

export interface ChargeRequest {
  source: ChargeSource;
  amountCents: number;
  idempotencyKey: string;
  /** Mail or telephone order: the cardholder is not present, so no 3-D Secure challenge. */
  moto: true;
  billingName: string;
  postalCode: string | null;
  /** Shown on the processor's dashboard, e.g. the customer number. */
  description?: string;
}

/** Address (postal code) check and security-code check results, as processors report them. */
export type AvsResult = 'pass' | 'fail' | 'unavailable';
export type CvcResult = 'pass' | 'fail' | 'unchecked' | 'unavailable';

export interface Approved {
  outcome: 'approved';
  transactionId: string;
  authorizationCode: string;
  amountCents: number;
  avs: AvsResult;
  cvc: CvcResult;
}

export interface Declined {
  outcome: 'declined';
  /** Machine code such as "insufficient_funds". */
  code: string;
  /** A sentence the clerk can read out to the customer. */
  message: string;
}

/** The gateway answered but did nothing; `retryable` says whether the same request may succeed later. */
export interface GatewayError {
  outcome: 'error';
  retryable: boolean;
  message: string;
}

export type ChargeResult = Approved | Declined | GatewayError;

export interface ReversalApproved {
  outcome: 'approved';
  transactionId: string;
  amountCents: number;
}

export type ReversalResult = ReversalApproved | Declined | GatewayError;

export type LookupResult =
  /** The gateway never processed a request with this key. */
  | { outcome: 'not_found' }
  /** Processed and approved: a charge, void or refund with its transaction. */
  | { outcome: 'approved'; kind: 'charge' | 'void' | 'refund'; transactionId: string; authorizationCode: string; amountCents: number; avs: AvsResult; cvc: CvcResult }
  /** Processed and refused: nothing moved. */
  | Declined
  /** The lookup itself failed; ask again later. */
  | GatewayError;

export interface TokenizedCard {
  outcome: 'tokenized';
  token: string;
  kind: 'card';
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface TokenizedBank {
  outcome: 'tokenized';
  token: string;
  kind: 'bank';
  accountType: BankAccountType;
  last4: string;
}

export type TokenizeResult = TokenizedCard | TokenizedBank | Declined | GatewayError;

/** One approved transaction in the processor's settlement report. */
export interface SettledTransaction {
  kind: 'charge' | 'void' | 'refund';
  transactionId: string;
  /** The charge a void or refund reverses. */
  parentTransactionId: string | null;
  sourceKind: 'card' | 'bank';
  /** Card brand as tokenizing names it (visa, mastercard…); null for a bank account. */
  brand: string | null;
  last4: string | null;
  amountCents: number;
}

export interface SettlementReport {
  businessDate: string;
  transactions: SettledTransaction[];
}

/**
 * Decline codes that no retry will change (the card is lost or stolen, the account closed, the
 * number invalid, the token gone): autopay stops retrying at once and asks for another method.
 */
export const HARD_DECLINE_CODES: ReadonlySet<string> = new Set([
  'lost_card',
  'stolen_card',
  'account_closed',
  'incorrect_number',
  'invalid_account_number',
  'invalid_routing_number',
  'token_not_found',
  'expired_card',
]);

/** The code of a payment recovery found never reached the gateway: nothing was charged, and nothing was declined either. */
export const NEVER_REACHED_GATEWAY = 'no_answer';

export function isHardDecline(code: string | null | undefined): boolean {
  return code != null && HARD_DECLINE_CODES.has(code);
}
