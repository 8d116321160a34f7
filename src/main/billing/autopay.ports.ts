import type { PaymentQuoteDto, PaymentQuoteInput, PaymentSubmitDto, PaymentSubmitInput } from '../../shared/contract/payments';
import type { AutopayRunDto } from '../../shared/contract/autopay';

/**
 * What autopay needs of payments: the quote and the submit of the phone payments (the pending
 * payment and its allocation committed before the gateway is called, the idempotency key, the
 * confirmation). createCore passes the payments service; billing never imports it.
 */
export interface AutopayPayments {
  quote(input: PaymentQuoteInput): Promise<PaymentQuoteDto>;
  submit(input: PaymentSubmitInput, actor: string): Promise<PaymentSubmitDto>;
}

export type AutopayRunResult = AutopayRunDto;
