/**
 * Cards and bank accounts on file: checking what the clerk entered, the row kept for a token, and
 * how a method reads. Pure functions, no database and no gateway.
 */
import {
  bankAccountLabel,
  bankProblems,
  cardBrandOf,
  cardDigits,
  cardLabel,
  cardProblems,
  isCardExpired,
  last4Of,
  normalizeExpYear,
  type CardBrand,
} from '../../shared/cards';
import type { PaymentMethodDto } from '../../shared/contract/paymentMethods';
import { fieldsError, type FieldProblems } from '../../shared/validation';
import type { PaymentMethodRow } from '../db/schema';
import type { BankDetails, CardDetails, TokenizedBank, TokenizedCard } from './gateway';

export interface NewPaymentMethod {
  customerId: number;
  kind: 'card' | 'bank';
  gateway: string;
  token: string;
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  accountType: 'checking' | 'savings' | null;
  nickname: string | null;
  billingName: string;
  billingPostalCode: string | null;
}

export interface NewCardInput {
  type: 'card';
  cardNumber: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  nameOnCard: string;
  postalCode: string;
}

export interface NewBankInput {
  type: 'bank';
  routingNumber: string;
  accountNumber: string;
  accountType: 'checking' | 'savings';
  nameOnAccount: string;
}

/** A new card or account, checked: what goes to the gateway and what may be kept. */
export type CheckedMethod =
  | { kind: 'card'; card: CardDetails; brand: CardBrand; last4: string; billingName: string; postalCode: string | null }
  | { kind: 'bank'; bank: BankDetails; last4: string; billingName: string; postalCode: null };

const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/;

/**
 * Checks a card or bank account as the clerk entered it; every problem comes back in one
 * VALIDATION error keyed `method.<field>`. Messages never repeat the digits.
 */
export function checkNewMethod(method: NewCardInput | NewBankInput, today: string): CheckedMethod {
  const problems: FieldProblems = {};
  if (method.type === 'card') {
    const card: CardDetails = {
      number: cardDigits(method.cardNumber),
      expMonth: method.expMonth,
      expYear: normalizeExpYear(method.expYear),
      cvc: method.cvc.trim(),
    };
    for (const p of cardProblems({ cardNumber: card.number, expMonth: card.expMonth, expYear: card.expYear, cvc: card.cvc }, today)) {
      problems[`method.${p.field}`] ??= p.message;
    }
    const billingName = method.nameOnCard.trim();
    if (!billingName) problems['method.nameOnCard'] = 'is required';
    const postal = method.postalCode.trim();
    if (postal && !POSTAL_CODE.test(postal)) problems['method.postalCode'] = 'must be 2 to 10 letters, digits, spaces or hyphens';
    if (Object.keys(problems).length > 0) throw fieldsError(problems);
    return {
      kind: 'card',
      card,
      brand: cardBrandOf(card.number)!,
      last4: last4Of(card.number),
      billingName,
      postalCode: postal || null,
    };
  }
  const bank: BankDetails = {
    routingNumber: method.routingNumber.replace(/\s/g, ''),
    accountNumber: method.accountNumber.replace(/\s/g, ''),
    accountType: method.accountType,
  };
  for (const p of bankProblems(bank)) problems[`method.${p.field}`] ??= p.message;
  const billingName = method.nameOnAccount.trim();
  if (!billingName) problems['method.nameOnAccount'] = 'is required';
  if (Object.keys(problems).length > 0) throw fieldsError(problems);
  return { kind: 'bank', bank, last4: bank.accountNumber.slice(-4), billingName, postalCode: null };
}

export function newMethodRow(
  customerId: number,
  gatewayName: string,
  checked: CheckedMethod,
  token: TokenizedCard | TokenizedBank,
  nickname: string | null,
): NewPaymentMethod {
  return {
    customerId,
    kind: checked.kind,
    gateway: gatewayName,
    token: token.token,
    brand: token.kind === 'card' ? token.brand : token.accountType,
    last4: token.last4,
    expMonth: token.kind === 'card' ? token.expMonth : null,
    expYear: token.kind === 'card' ? token.expYear : null,
    accountType: token.kind === 'bank' ? token.accountType : null,
    nickname,
    billingName: checked.billingName,
    billingPostalCode: checked.postalCode,
  };
}

export function methodLabel(row: Pick<PaymentMethodRow, 'kind' | 'brand' | 'last4' | 'account_type'>): string {
  return row.kind === 'card' ? cardLabel(row.brand, row.last4) : bankAccountLabel(row.account_type ?? row.brand, row.last4);
}

export function isMethodExpired(row: Pick<PaymentMethodRow, 'kind' | 'exp_month' | 'exp_year'>, today: string): boolean {
  return row.kind === 'card' && row.exp_month !== null && row.exp_year !== null && isCardExpired(row.exp_month, row.exp_year, today);
}

export function toMethodDto(row: PaymentMethodRow, today: string): PaymentMethodDto {
  return {
    id: row.id,
    kind: row.kind,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    expired: isMethodExpired(row, today),
    nickname: row.nickname,
    billingName: row.billing_name,
    billingPostalCode: row.billing_postal_code,
    isDefault: row.is_default === 1,
    label: methodLabel(row),
  };
}

export function cleanNickname(text: string | undefined): string | null {
  const t = text?.trim() ?? '';
  return t.length > 0 ? t : null;
}
