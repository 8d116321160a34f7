import type { Declined } from '../gateway';

/** What a test card or account number stands for; a token remembers it instead of the number. */
export type Behaviour =
  | 'approve'
  | 'approve_avs_fail'
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'account_closed'
  | 'lost_card'
  | 'decline_first_charge'
  | 'not_a_test_card'
  | 'not_a_test_account';

/** The documented test cards. Any other valid number is refused, as a processor's test mode does. */
export const TEST_CARDS: Readonly<Record<string, Behaviour>> = Object.freeze({
  '4242424242424242': 'approve',
  '5555555555554444': 'approve',
  '378282246310005': 'approve',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
  '4000000000000010': 'approve_avs_fail',
  // For autopay (as Stripe's 4000 0000 0000 0341): saved like any card, then every charge is declined (card_declined).
  '4000000000000341': 'card_declined',
  // Saved like any card; the first charge of each saved token is declined (card_declined), every later one approved.
  '4000000000003063': 'decline_first_charge',
  // Reported lost: every charge is a hard decline (lost_card), which autopay never retries.
  '4000000000009987': 'lost_card',
});

export const TEST_ROUTING_NUMBER = '110000000';
export const TEST_ACCOUNTS: Readonly<Record<string, Behaviour>> = Object.freeze({
  '000123456789': 'approve',
  '000111111113': 'account_closed',
});

export const DECLINES: Readonly<Record<string, string>> = Object.freeze({
  card_declined: 'The card was declined. Ask the customer for another card.',
  insufficient_funds: 'The card has insufficient funds. Ask the customer for another card.',
  expired_card: 'The card has expired. Ask the customer for another card.',
  incorrect_cvc: "The security code is incorrect. Read it back to the customer and try again.",
  processing_error: 'The card could not be processed; nothing was charged. Try again.',
  account_closed: 'The bank account is closed. Ask the customer for another account.',
  lost_card: 'The card was reported lost. Ask the customer for another card.',
  stolen_card: 'The card was reported stolen. Ask the customer for another card.',
  not_a_test_card: 'This is not a test card; in test mode only the test card numbers are accepted.',
  not_a_test_account: 'This is not a test bank account; in test mode only the test accounts are accepted.',
  incorrect_number: 'The card number is not valid.',
  invalid_expiry: 'The card has expired or its expiry date is not valid.',
  invalid_cvc: 'The security code has the wrong number of digits.',
  invalid_routing_number: 'The routing number is not valid.',
  invalid_account_number: 'The account number is not valid.',
  token_not_found: 'The saved payment method is not known to the gateway.',
  no_such_transaction: 'The gateway has no such transaction.',
  already_voided: 'The payment was already voided.',
  already_settled: 'The payment has already settled; refund it instead of voiding it.',
  has_refunds: 'The payment has refunds, so it cannot be voided; refund the rest instead.',
  amount_too_large: 'The refund is more than what is left of the payment.',
  invalid_amount: 'The amount is not valid.',
});

/**
 * The key of the marker a decline_first_charge token's first charge leaves in the processor's
 * requests, so the next charge of the same token (from any workstation) is approved.
 */
export function firstChargeMarkerKey(token: string): string {
  return `first-charge-declined:${token}`;
}

export function declined(code: string): Declined {
  return { outcome: 'declined', code, message: DECLINES[code] ?? 'The payment was declined.' };
}
