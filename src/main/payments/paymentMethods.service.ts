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
import type { PaymentMethodAddInput, PaymentMethodDto } from '../../shared/contract/paymentMethods';
import { AppError } from '../../shared/errors';
import { fieldsError, type FieldProblems } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { PaymentMethodRow } from '../db/schema';
import { requireCustomer } from '../ledger/customers.service';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import type { BankDetails, CardDetails, PaymentGateway, TokenizedBank, TokenizedCard } from './gateway';
import { activeMethodsOf, clearDefault, insertMethod, markRemoved, methodById, setDefault, type NewPaymentMethod } from './paymentMethods.repo';
import { takeWriteLock } from './payments.repo';

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

function auditSummary(row: Pick<PaymentMethodRow, 'kind' | 'brand' | 'last4' | 'account_type' | 'customer_id' | 'nickname'>, extra: Record<string, unknown> = {}) {
  return { label: methodLabel(row), nickname: row.nickname, ...extra };
}

export function createPaymentMethodsService(deps: CoreDeps) {
  const db = deps.ledger.db;

  async function requireMethod(id: number): Promise<PaymentMethodRow> {
    const row = await methodById(db, id);
    if (!row || row.removed_at !== null) throw new AppError('NOT_FOUND', `No payment method ${id} on file`, { id });
    return row;
  }

  async function listFor(customerId: number): Promise<PaymentMethodDto[]> {
    const today = postingTime(deps).businessDate;
    return (await activeMethodsOf(db, customerId)).map((r) => toMethodDto(r, today));
  }

  return {
    async list(customerNumber: string): Promise<{ methods: PaymentMethodDto[] }> {
      const customer = await requireCustomer(db, customerNumber);
      return { methods: await listFor(customer.id) };
    },

    async add(input: PaymentMethodAddInput, actor: string): Promise<{ method: PaymentMethodDto }> {
      const time = postingTime(deps);
      const customer = await requireCustomer(db, input.customerNumber);
      const checked = checkNewMethod(input.method, time.businessDate);
      const token = await tokenize(deps.gateway, checked);
      const nickname = cleanNickname(input.nickname ?? input.method.nickname);
      const id = await db.transaction().execute(async (trx) => {
        await takeWriteLock(trx);
        const newId = await insertMethod(
          trx,
          newMethodRow(customer.id, deps.gateway.name, checked, token, nickname),
          { makeDefault: input.makeDefault === true },
          actor,
          time.at,
        );
        const row = (await methodById(trx, newId))!;
        await appendAudit(trx, {
          actor,
          action: 'payment_method.add',
          entity: 'payment_method',
          entityId: newId,
          summary: auditSummary(row, { customerNumber: customer.customer_number, isDefault: row.is_default === 1 }),
          at: time.at,
        });
        return newId;
      });
      return { method: toMethodDto((await methodById(db, id))!, time.businessDate) };
    },

    async remove(id: number, actor: string): Promise<{ methods: PaymentMethodDto[] }> {
      const time = postingTime(deps);
      const row = await requireMethod(id);
      await db.transaction().execute(async (trx) => {
        await takeWriteLock(trx);
        await markRemoved(trx, id, time.at);
        let promoted: number | null = null;
        if (row.is_default === 1) {
          // The newest card or account left on file becomes what new payments preselect.
          const next = (await activeMethodsOf(trx, row.customer_id)).find((m) => !isMethodExpired(m, time.businessDate));
          if (next) {
            await setDefault(trx, next.id);
            promoted = next.id;
          }
        }
        await appendAudit(trx, {
          actor,
          action: 'payment_method.remove',
          entity: 'payment_method',
          entityId: id,
          summary: auditSummary(row, { newDefaultId: promoted }),
          at: time.at,
        });
      });
      return { methods: await listFor(row.customer_id) };
    },

    async setDefault(id: number, actor: string): Promise<{ methods: PaymentMethodDto[] }> {
      const time = postingTime(deps);
      const row = await requireMethod(id);
      if (isMethodExpired(row, time.businessDate)) {
        throw new AppError('VALIDATION', `${methodLabel(row)} has expired and cannot be the default`, {
          fields: { id: 'has expired' },
        });
      }
      await db.transaction().execute(async (trx) => {
        await takeWriteLock(trx);
        await clearDefault(trx, row.customer_id);
        await setDefault(trx, id);
        await appendAudit(trx, {
          actor,
          action: 'payment_method.set_default',
          entity: 'payment_method',
          entityId: id,
          summary: auditSummary(row),
          at: time.at,
        });
      });
      return { methods: await listFor(row.customer_id) };
    },
  };
}

export type PaymentMethodsService = ReturnType<typeof createPaymentMethodsService>;
