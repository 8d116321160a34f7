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
import type { CoreDeps } from '../deps';
import type { PaymentsContext } from './context';
import { createPaymentLocks } from './locks';
import { noConfirmationQueue, type ConfirmationQueue } from './ports';
import { quotePayment } from './quote';
import { paymentDetail, paymentsOfCustomerList, recentPaymentsList, searchPaymentsList } from './read-models';
import { recover, type RecoverOptions } from './recovery';
import { reverse } from './reversals';
import { submitPayment } from './submit';

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
  submit(input: PaymentSubmitInput, actor: string): Promise<PaymentSubmitDto>;
  list(customerNumber: string): Promise<{ payments: PaymentSummaryDto[] }>;
  recent(filter: { limit: number; status?: PaymentSummaryDto['status'] | undefined }): Promise<{ payments: RecentPaymentDto[] }>;
  /** Payments taken here that match every filter given, newest first, a page at a time, with the count of all. */
  search(input: PaymentSearchInput): Promise<PaymentSearchDto>;
  get(by: PaymentGetInput): Promise<PaymentDetailDto>;
  void(input: { paymentId: number; reason: string }, actor: string): Promise<ReversalOutcomeDto>;
  refund(input: { paymentId: number; reason: string; invoiceNumber?: string; amountCents?: number }, actor: string): Promise<ReversalOutcomeDto>;
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
    submit: (input, actor) => submitPayment(ctx, input, actor),
    list: (customerNumber) => paymentsOfCustomerList(ctx, customerNumber),
    recent: (filter) => recentPaymentsList(ctx, filter),
    search: (input) => searchPaymentsList(ctx, input),
    get: (by) => paymentDetail(ctx, by),
    void: (input, actor) => reverse(ctx, 'void', input, actor),
    refund: (input, actor) => reverse(ctx, 'refund', input, actor),
    recover: (actor, options) => recover(ctx, actor, options),
  };
}
