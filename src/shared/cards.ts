/**
 * Card and bank-account checks shared by the payment screen (as the clerk types) and main.
 * No Node imports. Nothing here keeps or returns a full number: callers get a brand, the last
 * four digits, or a problem message that never repeats what was typed.
 */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover';
export type BankAccountType = 'checking' | 'savings';

export const CARD_BRAND_NAMES: Readonly<Record<CardBrand, string>> = Object.freeze({
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
});

const NUMBER_LENGTHS: Readonly<Record<CardBrand, readonly number[]>> = Object.freeze({
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
});

/** What the clerk typed with spaces and dashes removed. */
export function cardDigits(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check digit test; false for anything that is not 12 to 19 digits. */
export function passesLuhn(number: string): boolean {
  const digits = cardDigits(number);
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function prefixIn(digits: string, length: number, from: number, to: number): boolean {
  if (digits.length < length) return false;
  const p = Number(digits.slice(0, length));
  return p >= from && p <= to;
}

/** The brand by the number's prefix; works on a partly typed number, null when no brand matches (yet). */
export function cardBrandOf(number: string): CardBrand | null {
  const d = cardDigits(number);
  if (!/^\d+$/.test(d)) return null;
  if (d.startsWith('4')) return 'visa';
  if (prefixIn(d, 2, 34, 34) || prefixIn(d, 2, 37, 37)) return 'amex';
  if (prefixIn(d, 2, 51, 55) || prefixIn(d, 4, 2221, 2720)) return 'mastercard';
  if (d.startsWith('6011') || prefixIn(d, 3, 644, 649) || d.startsWith('65') || prefixIn(d, 6, 622126, 622925)) {
    return 'discover';
  }
  return null;
}

export function cardNumberLengths(brand: CardBrand): readonly number[] {
  return NUMBER_LENGTHS[brand];
}

/** American Express prints a 4-digit code on the front; the others a 3-digit code on the back. */
export function securityCodeLength(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}

export function last4Of(number: string): string {
  return cardDigits(number).slice(-4);
}

export function isCardBrand(value: string): value is CardBrand {
  return Object.prototype.hasOwnProperty.call(CARD_BRAND_NAMES, value);
}

/** "Visa ending 4242". An unknown brand is shown as "Card". */
export function cardLabel(brand: string, last4: string): string {
  const name = isCardBrand(brand) ? CARD_BRAND_NAMES[brand] : 'Card';
  return `${name} ending ${last4}`;
}

/** "Checking ending 6789". */
export function bankAccountLabel(accountType: string, last4: string): string {
  return `${accountType === 'savings' ? 'Savings' : 'Checking'} ending ${last4}`;
}

/** Groups digits the way they are embossed: 4-6-5 for American Express, fours otherwise. */
export function formatCardNumberAsTyped(input: string): string {
  const d = cardDigits(input).replace(/\D/g, '').slice(0, 19);
  const groups = cardBrandOf(d) === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    if (at >= d.length) break;
    parts.push(d.slice(at, at + g));
    at += g;
  }
  return parts.join(' ');
}

/** Two-digit years as printed on cards ("28") mean 2028. */
export function normalizeExpYear(year: number): number {
  return year >= 0 && year < 100 ? 2000 + year : year;
}

/**
 * A card is good through the last day of its expiry month, so it is expired only when that
 * month is before the month of `today` (an ISO date).
 */
export function isCardExpired(expMonth: number, expYear: number, today: string): boolean {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const y = normalizeExpYear(expYear);
  return y < year || (y === year && expMonth < month);
}

export interface CardFields {
  cardNumber: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface FieldProblem<F extends string> {
  field: F;
  message: string;
}

/** Everything wrong with a card as entered, by field; empty when it can be sent to the gateway. */
export function cardProblems(card: CardFields, today: string): FieldProblem<keyof CardFields>[] {
  const problems: FieldProblem<keyof CardFields>[] = [];
  const digits = cardDigits(card.cardNumber);
  const brand = cardBrandOf(digits);
  if (!/^\d+$/.test(digits)) {
    problems.push({ field: 'cardNumber', message: 'Enter the card number using digits only' });
  } else if (!brand) {
    problems.push({ field: 'cardNumber', message: 'Only Visa, Mastercard, American Express and Discover cards are accepted' });
  } else if (!cardNumberLengths(brand).includes(digits.length)) {
    problems.push({ field: 'cardNumber', message: `${CARD_BRAND_NAMES[brand]} numbers have ${cardNumberLengths(brand).join(' or ')} digits` });
  } else if (!passesLuhn(digits)) {
    problems.push({ field: 'cardNumber', message: 'The card number is not valid; check the digits' });
  }
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    problems.push({ field: 'expMonth', message: 'The expiry month must be 1 to 12' });
  }
  const year = normalizeExpYear(card.expYear);
  if (!Number.isInteger(year) || year < 2000 || year > 2099) {
    problems.push({ field: 'expYear', message: 'The expiry year must be a year such as 2028' });
  } else if (Number.isInteger(card.expMonth) && card.expMonth >= 1 && card.expMonth <= 12 && isCardExpired(card.expMonth, year, today)) {
    problems.push({ field: 'expYear', message: `The card expired at the end of ${String(card.expMonth).padStart(2, '0')}/${year}` });
  }
  const cvcLength = brand ? securityCodeLength(brand) : null;
  if (!/^\d+$/.test(card.cvc)) {
    problems.push({ field: 'cvc', message: 'Enter the security code using digits only' });
  } else if (cvcLength !== null && card.cvc.length !== cvcLength) {
    problems.push({ field: 'cvc', message: `The security code has ${cvcLength} digits on ${CARD_BRAND_NAMES[brand!]} cards` });
  } else if (cvcLength === null && (card.cvc.length < 3 || card.cvc.length > 4)) {
    problems.push({ field: 'cvc', message: 'The security code has 3 or 4 digits' });
  }
  return problems;
}

/** The ABA routing number check: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. */
export function passesAbaCheck(routingNumber: string): boolean {
  if (!/^\d{9}$/.test(routingNumber)) return false;
  const d = [...routingNumber].map((c) => c.charCodeAt(0) - 48);
  const [d1, d2, d3, d4, d5, d6, d7, d8, d9] = d as [number, number, number, number, number, number, number, number, number];
  return (3 * (d1 + d4 + d7) + 7 * (d2 + d5 + d8) + (d3 + d6 + d9)) % 10 === 0;
}

export interface BankFields {
  routingNumber: string;
  accountNumber: string;
}

/** Everything wrong with a bank account as entered, by field. */
export function bankProblems(bank: BankFields): FieldProblem<keyof BankFields>[] {
  const problems: FieldProblem<keyof BankFields>[] = [];
  if (!/^\d{9}$/.test(bank.routingNumber)) {
    problems.push({ field: 'routingNumber', message: 'The routing number has 9 digits' });
  } else if (!passesAbaCheck(bank.routingNumber)) {
    problems.push({ field: 'routingNumber', message: 'The routing number is not valid; check the digits' });
  }
  if (!/^\d{4,17}$/.test(bank.accountNumber)) {
    problems.push({ field: 'accountNumber', message: 'The account number has 4 to 17 digits' });
  }
  return problems;
}
