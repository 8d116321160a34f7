import {
  bankProblems,
  CARD_BRAND_NAMES,
  cardBrandOf,
  cardDigits,
  cardNumberLengths,
  cardProblems,
  passesLuhn,
  type BankAccountType,
} from '../../../shared/cards';
import type { PaymentMethodDto } from '../../../shared/contract/paymentMethods';
import { parseExpiry } from './expiry';

export { formatExpiryAsTyped, parseExpiry } from './expiry';

/**
 * The card and bank-account entry forms. What is typed lives only in this window's memory for the
 * length of the call: it is never stored, logged or put in the address bar. The forms themselves are
 * components/MethodForms.tsx; what they check and send is here.
 */
export interface CardFormValue {
  nameOnCard: string;
  cardNumber: string;
  expiry: string;
  cvc: string;
  postalCode: string;
  save: boolean;
  nickname: string;
}

export interface BankFormValue {
  routingNumber: string;
  accountNumber: string;
  accountType: BankAccountType;
  nameOnAccount: string;
  save: boolean;
  nickname: string;
}

export const EMPTY_CARD: CardFormValue = { nameOnCard: '', cardNumber: '', expiry: '', cvc: '', postalCode: '', save: false, nickname: '' };
export const EMPTY_BANK: BankFormValue = { routingNumber: '', accountNumber: '', accountType: 'checking', nameOnAccount: '', save: false, nickname: '' };

export type FieldErrors = Partial<Record<string, string>>;

export function cardFormProblems(v: CardFormValue, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (v.nameOnCard.trim() === '') errors.nameOnCard = 'Enter the name as printed on the card';
  const exp = parseExpiry(v.expiry);
  const problems = cardProblems(
    { cardNumber: cardDigits(v.cardNumber), expMonth: exp?.month ?? 0, expYear: exp?.year ?? 0, cvc: v.cvc.trim() },
    today,
  );
  for (const p of problems) {
    const field = p.field === 'expMonth' || p.field === 'expYear' ? 'expiry' : p.field;
    errors[field] ??= p.message;
  }
  if (!exp && v.expiry.trim() !== '') errors.expiry = 'Enter the expiry as MM/YY, e.g. 04/28';
  if (v.expiry.trim() === '') errors.expiry = 'Enter the expiry date as MM/YY';
  if (v.cardNumber.trim() === '') errors.cardNumber = 'Enter the card number';
  if (v.cvc.trim() === '') errors.cvc = 'Enter the security code';
  if (v.postalCode.trim() === '') errors.postalCode = 'Enter the billing ZIP or postal code';
  return errors;
}

export function bankFormProblems(v: BankFormValue): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of bankProblems({ routingNumber: v.routingNumber.trim(), accountNumber: v.accountNumber.trim() })) {
    errors[p.field] ??= p.message;
  }
  if (v.nameOnAccount.trim() === '') errors.nameOnAccount = 'Enter the account holder’s name';
  return errors;
}

/** The card as payments.submit and paymentMethods.add take it. */
export function cardMethodInput(v: CardFormValue) {
  const exp = parseExpiry(v.expiry);
  return {
    type: 'card' as const,
    cardNumber: cardDigits(v.cardNumber),
    expMonth: exp?.month ?? 0,
    expYear: exp?.year ?? 0,
    cvc: v.cvc.trim(),
    nameOnCard: v.nameOnCard.trim(),
    postalCode: v.postalCode.trim(),
  };
}

export function bankMethodInput(v: BankFormValue) {
  return {
    type: 'bank' as const,
    routingNumber: v.routingNumber.trim(),
    accountNumber: v.accountNumber.trim(),
    accountType: v.accountType,
    nameOnAccount: v.nameOnAccount.trim(),
  };
}

/** Live feedback on the number: the brand as soon as the prefix says it, the check digit once complete. */
export function cardNumberStatus(number: string): { brand: string | null; hint: string | null; error: string | null } {
  const digits = cardDigits(number);
  const brand = cardBrandOf(digits);
  if (digits === '') return { brand: null, hint: null, error: null };
  if (!/^\d+$/.test(digits)) return { brand: null, hint: null, error: 'Digits only' };
  if (!brand) return { brand: null, hint: null, error: digits.length >= 2 ? 'Not a Visa, Mastercard, American Express or Discover number' : null };
  const lengths = cardNumberLengths(brand);
  const max = Math.max(...lengths);
  if (lengths.includes(digits.length)) {
    if (passesLuhn(digits)) return { brand: CARD_BRAND_NAMES[brand], hint: 'Number checks out', error: null };
    if (digits.length === max) return { brand: CARD_BRAND_NAMES[brand], hint: null, error: 'This number is not valid; check the digits' };
    return { brand: CARD_BRAND_NAMES[brand], hint: null, error: null };
  }
  if (digits.length > max) return { brand: CARD_BRAND_NAMES[brand], hint: null, error: `A ${CARD_BRAND_NAMES[brand]} number has ${lengths.join(' or ')} digits` };
  return { brand: CARD_BRAND_NAMES[brand], hint: null, error: null };
}

/** "04/28": a saved card's expiry as printed on it; empty for a bank account. */
export function expiryText(m: Pick<PaymentMethodDto, 'expMonth' | 'expYear'>): string {
  if (!m.expMonth || !m.expYear) return '';
  return `${String(m.expMonth).padStart(2, '0')}/${String(m.expYear).slice(-2)}`;
}
