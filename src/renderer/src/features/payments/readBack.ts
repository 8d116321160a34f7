import type { PaymentQuoteDto } from '../../../../shared/contract/payments';
import type { Delivery } from './outcome';

/** What the clerk reads back to the customer before money moves: the question and its details. */
export function readBack(
  quote: Extract<PaymentQuoteDto, { ok: true }>,
  how: 'charge' | 'record' | 'credits',
  label: string,
  delivery: Delivery,
  email: string,
  money: (cents: number) => string,
): { question: string; details: string[] } {
  const amount = money(quote.chargeCents);
  const invoiceCount = quote.lines.length;
  const invoices = `${invoiceCount} ${invoiceCount === 1 ? 'invoice' : 'invoices'}`;
  const details = [
    `${invoices}: ${quote.lines.map((l) => l.invoiceNumber).join(', ')}`,
    ...(quote.totalCreditCents > 0 ? [`Credits applied: ${money(quote.totalCreditCents)}`] : []),
    ...(delivery === 'print' ? ['A confirmation will be printed.'] : delivery === 'email' ? [`A confirmation will be emailed to ${email}.`] : []),
  ];
  const question =
    how === 'record'
      ? `Record ${label} for ${amount}?`
      : how === 'charge'
        ? `Charge ${amount} to ${label}?`
        : `Apply ${money(quote.totalCreditCents)} of credits to ${invoices}? Nothing will be charged.`;
  return { question, details };
}
