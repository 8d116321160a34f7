import { AppError } from '../../shared/errors';
import type { PaymentGateway, TokenizedBank, TokenizedCard } from './gateway';
import type { CheckedMethod } from './paymentMethods.rules';

/** Swaps the card or account for the gateway's token. A refusal is VALIDATION; no answer is UNAVAILABLE. */
export async function tokenize(gateway: PaymentGateway, checked: CheckedMethod): Promise<TokenizedCard | TokenizedBank> {
  let result;
  try {
    result =
      checked.kind === 'card'
        ? await gateway.tokenizeCard(checked.card, { name: checked.billingName, postalCode: checked.postalCode })
        : await gateway.tokenizeBank(checked.bank, { name: checked.billingName, postalCode: null });
  } catch {
    throw new AppError('UNAVAILABLE', 'The payment gateway did not answer; nothing was saved or charged. Try again.');
  }
  if (result.outcome === 'tokenized') return result;
  if (result.outcome === 'declined') {
    const field = checked.kind === 'card' ? 'method.cardNumber' : 'method.accountNumber';
    throw new AppError('VALIDATION', `${field}: ${result.message}`, { fields: { [field]: result.message }, code: result.code });
  }
  throw new AppError('UNAVAILABLE', `${result.message} Nothing was saved or charged.`);
}
