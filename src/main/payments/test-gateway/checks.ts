import {
  cardBrandOf,
  cardDigits,
  cardNumberLengths,
  isCardExpired,
  last4Of,
  normalizeExpYear,
  passesAbaCheck,
  passesLuhn,
  securityCodeLength,
} from '../../../shared/cards';
import type { BankDetails, CardDetails, ChargeRequest, CvcResult, Declined } from '../gateway';
import { declined, TEST_ACCOUNTS, TEST_CARDS, TEST_ROUTING_NUMBER, type Behaviour } from './catalog';
import type { TokenRow } from './store';

/**
 * Why a card cannot be charged at all (a decline code), or null when its number, expiry and code are
 * well formed. `today` is the business date in the settlement zone, read only when it is needed.
 */
export function cardProblemCode(card: CardDetails, today: () => string): string | null {
  const digits = cardDigits(card.number);
  const brand = cardBrandOf(digits);
  if (!brand || !cardNumberLengths(brand).includes(digits.length) || !passesLuhn(digits)) return 'incorrect_number';
  const year = normalizeExpYear(card.expYear);
  if (!(card.expMonth >= 1 && card.expMonth <= 12) || isCardExpired(card.expMonth, year, today())) return 'invalid_expiry';
  if (!/^\d+$/.test(card.cvc) || card.cvc.length !== securityCodeLength(brand)) return 'invalid_cvc';
  return null;
}

/** Why a bank account cannot be charged at all (a decline code), or null when it is well formed. */
export function bankProblemCode(bank: BankDetails): string | null {
  if (!passesAbaCheck(bank.routingNumber)) return 'invalid_routing_number';
  if (!/^\d{4,17}$/.test(bank.accountNumber)) return 'invalid_account_number';
  return null;
}

export function cardBehaviour(digits: string): Behaviour {
  return TEST_CARDS[digits] ?? 'not_a_test_card';
}

export function bankBehaviour(bank: BankDetails): Behaviour {
  return bank.routingNumber === TEST_ROUTING_NUMBER ? (TEST_ACCOUNTS[bank.accountNumber] ?? 'not_a_test_account') : 'not_a_test_account';
}

/** What a charge's source resolves to once its number is checked and forgotten. */
export interface ResolvedSource {
  kind: 'card' | 'bank';
  behaviour: Behaviour;
  brand: string | null;
  last4: string;
  cvc: CvcResult;
  postalCode: string | null;
}

/** Checks a charge's token, card or account and resolves it, or declines it. */
export async function resolveSource(
  request: ChargeRequest,
  today: () => string,
  findToken: (token: string) => Promise<TokenRow | undefined>,
): Promise<ResolvedSource | Declined> {
  const source = request.source;
  if ('token' in source) {
    const t = await findToken(source.token);
    if (!t) return declined('token_not_found');
    if (t.kind === 'card' && isCardExpired(t.exp_month ?? 0, t.exp_year ?? 0, today())) return declined('expired_card');
    return {
      kind: t.kind,
      behaviour: t.behaviour,
      brand: t.kind === 'card' ? t.brand : t.account_type,
      last4: t.last4,
      cvc: t.kind === 'card' ? 'unchecked' : 'unavailable',
      postalCode: request.postalCode ?? t.postal_code,
    };
  }
  if ('card' in source) {
    const problem = cardProblemCode(source.card, today);
    if (problem) return declined(problem);
    const digits = cardDigits(source.card.number);
    return {
      kind: 'card',
      behaviour: cardBehaviour(digits),
      brand: cardBrandOf(digits),
      last4: last4Of(digits),
      cvc: 'pass',
      postalCode: request.postalCode,
    };
  }
  const problem = bankProblemCode(source.bank);
  if (problem) return declined(problem);
  return {
    kind: 'bank',
    behaviour: bankBehaviour(source.bank),
    brand: source.bank.accountType,
    last4: source.bank.accountNumber.slice(-4),
    cvc: 'unavailable',
    postalCode: request.postalCode,
  };
}
