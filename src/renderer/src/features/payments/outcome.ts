import type { CustomerAccountDto } from '../../../../shared/contract/customers';
import type { PaymentDetailDto, PaymentSubmitDto } from '../../../../shared/contract/payments';
import type { AppError } from '../../../../shared/errors';
import type { BankFormValue, CardFormValue } from '../../lib/paymentMethods';

/** What became of a payment on the payment screen, from the submit's answer or from the ledger. */

export type Delivery = 'none' | 'print' | 'email';
export type Declined = Extract<PaymentSubmitDto, { status: 'declined' }>;
export type Outcome =
  | {
      kind: 'approved';
      result: Extract<PaymentSubmitDto, { status: 'approved' }>;
      methodLabel: string;
      delivery: Delivery;
      accountAfter: CustomerAccountDto | null;
      creditsLeft: { creditNumber: string; remainingCents: number }[];
      /** Where the confirmation was emailed, when it was. */
      emailTo: string;
      /** A check, cash or wire recorded rather than charged. */
      received?: boolean;
    }
  | { kind: 'pending'; result: Extract<PaymentSubmitDto, { status: 'pending' }> };

/** The card number and security code (and a bank account's number) are never kept past an answer that did not approve them. */
export const withoutCardData = {
  card: (c: CardFormValue): CardFormValue => ({ ...c, cardNumber: '', cvc: '' }),
  bank: (b: BankFormValue): BankFormValue => ({ ...b, accountNumber: '' }),
};

/** The invoice of a refusal because another payment paid it meanwhile (main names it and that payment). */
export function paidMeanwhile(err: AppError): string | null {
  const d = err.details as { code?: string; invoiceNumber?: string } | undefined;
  return err.code === 'CONFLICT' && d?.code === 'INVOICE_PAID' && d.invoiceNumber ? d.invoiceNumber : null;
}

/** An approved payment as the ledger holds it, shown as if the submit had just answered. */
export function approvedFromLedger(d: PaymentDetailDto, accountAfter: CustomerAccountDto | null): Outcome {
  return {
    kind: 'approved',
    result: { status: 'approved', paymentId: d.paymentId, confirmationNumber: d.confirmationNumber ?? '', amountCents: d.amountCents, applied: d.applied },
    methodLabel: d.methodLabel,
    delivery: d.delivery,
    accountAfter,
    creditsLeft: [],
    emailTo: d.receiptEmail ?? '',
  };
}

export function declinedFromLedger(d: PaymentDetailDto): Declined {
  return { status: 'declined', paymentId: d.paymentId, code: d.declineCode ?? d.status, message: d.declineMessage ?? 'The payment was not approved.' };
}
