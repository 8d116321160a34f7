import type {
  PaymentDetailDto,
  PaymentGetInput,
  PaymentQuoteDto,
  PaymentQuoteInput,
  PaymentSearchDto,
  PaymentSearchInput,
  PaymentSubmitDto,
  PaymentSubmitInput,
  PaymentSummaryDto,
  RecentPaymentDto,
  RecoveryReportDto,
  ReversalOutcomeDto,
} from '../../shared/contract/payments';
import type { ReceivedQuoteDto, ReceivedQuoteInput, RecordReceivedInput } from '../../shared/contract/received';
import { AppError, validationError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { PaymentsContext } from './context';
import { createPaymentLocks } from './locks';
import { noConfirmationQueue, type ConfirmationQueue } from './ports';
import { quotePayment } from './quote';
import { paymentDetail, paymentsOfCustomerList, recentPaymentsList, searchPaymentsList } from './read-models';
import { recover, type RecoverOptions } from './recovery';
import { paymentById } from './payments.repo';
import { quoteReceived, recordReceived } from './received';
import { refundReceived, returnCheck, type Payout } from './received-reversals';
import { reverse } from './reversals';
import { submitPayment, type SubmitOptions } from './submit';

export type { RecoverOptions } from './recovery';

/**
 * Taking card and bank payments over the phone, voiding and refunding them, and settling what the
 * gateway left unanswered. Each use case lives in its own file: quote, submit, settle, reversals,
 * read-models, recovery.
 */
export interface PaymentsService {
  /** The allocation preview of the clerk's selection: oldest first, under the house rules. */
  quote(input: PaymentQuoteInput): Promise<PaymentQuoteDto>;
  /** Takes a payment; the same idempotency key again gets the first payment's answer and is never charged twice. */
  /** `standingDebit`: main's autopay only (never a channel's input): a bank debit under the customer's recorded standing authorization. */
  submit(input: PaymentSubmitInput, actor: string, options?: SubmitOptions): Promise<PaymentSubmitDto>;
  list(customerNumber: string): Promise<{ payments: PaymentSummaryDto[] }>;
  recent(filter: { limit: number; status?: PaymentSummaryDto['status'] | undefined }): Promise<{ payments: RecentPaymentDto[] }>;
  /** Payments taken here that match every filter given, newest first, a page at a time, with the count of all. */
  search(input: PaymentSearchInput): Promise<PaymentSearchDto>;
  get(by: PaymentGetInput): Promise<PaymentDetailDto>;
  void(input: { paymentId: number; reason: string }, actor: string): Promise<ReversalOutcomeDto>;
  /** A card or gateway bank payment is refunded to it; money received by check, cash or wire is paid out by our check or cash (`payout`). */
  refund(input: { paymentId: number; reason: string; invoiceNumber?: string; amountCents?: number; payout?: Payout }, actor: string): Promise<ReversalOutcomeDto>;
  /** The preview of money received by check, cash, wire or transfer, warning of a check recorded already. */
  quoteReceived(input: ReceivedQuoteInput): Promise<ReceivedQuoteDto>;
  /** Posts money received outside the gateway, captured at once; the same idempotency key again gets the first answer. */
  recordReceived(input: RecordReceivedInput, actor: string): Promise<PaymentSubmitDto>;
  /** A check the bank returned: the whole payment is reversed and its invoices reopened. */
  returnCheck(input: { paymentId: number; reason: string }, actor: string): Promise<ReversalOutcomeDto>;
  /** Settles every pending payment and reversal by asking the gateway; never charges or refunds by itself. */
  recover(actor: string, options?: RecoverOptions): Promise<RecoveryReportDto>;
}

export interface PaymentsPorts {
  /** Where an approval queues the confirmation the clerk asked for (documents, wired by createCore). */
  confirmations?: ConfirmationQueue;
}

export function createPaymentsService(deps: CoreDeps, ports: PaymentsPorts = {}): PaymentsService {
  const ctx: PaymentsContext = {
    deps,
    db: deps.ledger.db,
    locks: createPaymentLocks(),
    confirmations: ports.confirmations ?? noConfirmationQueue,
  };
  return {
    quote: (input) => quotePayment(ctx, input),
    submit: (input, actor, options) => submitPayment(ctx, input, actor, options),
    list: (customerNumber) => paymentsOfCustomerList(ctx, customerNumber),
    recent: (filter) => recentPaymentsList(ctx, filter),
    search: (input) => searchPaymentsList(ctx, input),
    get: (by) => paymentDetail(ctx, by),
    void: async (input, actor) => {
      if (await receivedOutsideGateway(ctx, input.paymentId)) {
        throw new AppError('VALIDATION', 'Money received by check, cash or wire is not voided: refund it (paid out by check or cash), or record a check the bank returned');
      }
      return reverse(ctx, 'void', input, actor);
    },
    refund: async (input, actor) => {
      if (await receivedOutsideGateway(ctx, input.paymentId)) return refundReceived(ctx, input, actor);
      if (input.payout) throw validationError('payout', 'applies only to money received by check, cash or wire; a card or bank payment is refunded to it');
      return reverse(ctx, 'refund', input, actor);
    },
    quoteReceived: (input) => quoteReceived(ctx, input),
    recordReceived: (input, actor) => recordReceived(ctx, input, actor),
    returnCheck: (input, actor) => returnCheck(ctx, input, actor),
    recover: (actor, options) => recover(ctx, actor, options),
  };
}

async function receivedOutsideGateway(ctx: PaymentsContext, paymentId: number): Promise<boolean> {
  const p = await paymentById(ctx.db, paymentId);
  return p !== undefined && p.received_via !== null;
}
