import type { PaymentQuoteDto, PaymentQuoteInput, PaymentSubmitDto, PaymentSubmitInput } from '../../shared/contract/payments';
import type { AutopayRunDto } from '../../shared/contract/autopay';

/** The customer's standing authorization of recurring debits, recorded when autopay was turned on. */
export interface StandingDebitAuthorization {
  via: string;
  recordedBy: string;
  recordedAt: string;
}

/**
 * What autopay needs of payments: the quote and the submit of the phone payments (the pending
 * payment and its allocation committed before the gateway is called, the idempotency key, the
 * confirmation). createCore passes the payments service; billing never imports it.
 */
export interface AutopayPayments {
  quote(input: PaymentQuoteInput): Promise<PaymentQuoteDto>;
  /** `standingDebit`: a bank debit made under the autopay consent, not a phone authorization read today. */
  submit(input: PaymentSubmitInput, actor: string, options?: { standingDebit?: StandingDebitAuthorization }): Promise<PaymentSubmitDto>;
}

export type AutopayRunResult = AutopayRunDto;
