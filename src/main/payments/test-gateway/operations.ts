import crypto from 'node:crypto';
import { cardBrandOf, cardDigits, last4Of, normalizeExpYear, type CardBrand } from '../../../shared/cards';
import type {
  AvsResult,
  BankDetails,
  BillingDetails,
  CardDetails,
  ChargeRequest,
  ChargeResult,
  CvcResult,
  GatewayError,
  LookupResult,
  ReversalResult,
  TokenizeResult,
} from '../gateway';
import { declined, DECLINES } from './catalog';
import { bankBehaviour, bankProblemCode, cardBehaviour, cardProblemCode, resolveSource } from './checks';
import type { GatewayStore, RequestRow } from './store';

/**
 * What the processor does for each call, run inside the call's one transaction: the answer for a
 * key already seen is the first answer; a new request is checked, decided and recorded.
 */
export interface GatewayOperations {
  tokenizeCard(card: CardDetails, billing: BillingDetails): TokenizeResult;
  tokenizeBank(bank: BankDetails, billing: BillingDetails): TokenizeResult;
  charge(request: ChargeRequest): ChargeResult;
  lookup(idempotencyKey: string): LookupResult;
  void(transactionId: string, idempotencyKey: string): ReversalResult;
  refund(transactionId: string, amountCents: number, idempotencyKey: string): ReversalResult;
}

export interface OperationsClock {
  /** The business date in the settlement zone. */
  today(): string;
  nowIso(): string;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomId(prefix: string, length = 20): string {
  const bytes = crypto.randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return `${prefix}${s}`;
}

function chargeAnswer(row: RequestRow): ChargeResult {
  if (row.outcome === 'approved') {
    return {
      outcome: 'approved',
      transactionId: row.transaction_id!,
      authorizationCode: row.authorization_code!,
      amountCents: row.amount_cents,
      avs: row.avs as AvsResult,
      cvc: row.cvc as CvcResult,
    };
  }
  if (row.outcome === 'error') return { outcome: 'error', retryable: true, message: row.decline_message ?? '' };
  return { outcome: 'declined', code: row.decline_code ?? 'declined', message: row.decline_message ?? '' };
}

function reversalAnswer(row: RequestRow): ReversalResult {
  if (row.outcome === 'approved') return { outcome: 'approved', transactionId: row.transaction_id!, amountCents: row.amount_cents };
  return { outcome: 'declined', code: row.decline_code ?? 'declined', message: row.decline_message ?? '' };
}

export function gatewayOperations(store: GatewayStore, clock: OperationsClock): GatewayOperations {
  const { today, nowIso } = clock;

  /** Same key, same request: the first answer. Same key, another request: refused, never processed. */
  function replay(
    key: string,
    kind: RequestRow['kind'],
    amountCents: number,
    parent: string | null,
  ): { row: RequestRow } | { mismatch: GatewayError } | null {
    const row = store.requestByKey(key);
    if (!row) return null;
    if (row.kind !== kind || row.amount_cents !== amountCents || (parent !== null && row.parent_transaction_id !== parent)) {
      return {
        mismatch: { outcome: 'error', retryable: false, message: 'This idempotency key was already used for a different request.' },
      };
    }
    return { row };
  }

  function record(values: Partial<RequestRow> & Pick<RequestRow, 'idempotency_key' | 'kind' | 'outcome' | 'amount_cents' | 'source_kind'>): RequestRow {
    store.insertRequest({
      transaction_id: null,
      parent_transaction_id: null,
      brand: null,
      last4: null,
      authorization_code: null,
      avs: null,
      cvc: null,
      decline_code: null,
      decline_message: null,
      business_date: today(),
      created_at: nowIso(),
      ...values,
    });
    return store.requestByKey(values.idempotency_key)!;
  }

  function isSettled(row: RequestRow): boolean {
    return row.settled === 1 || row.business_date < today();
  }

  return {
    tokenizeCard(card, billing) {
      const problem = cardProblemCode(card, today);
      if (problem) return declined(problem);
      const digits = cardDigits(card.number);
      const brand = cardBrandOf(digits) as CardBrand;
      const token = randomId('tok_');
      const expYear = normalizeExpYear(card.expYear);
      store.insertToken({
        token,
        kind: 'card',
        behaviour: cardBehaviour(digits),
        brand,
        last4: last4Of(digits),
        exp_month: card.expMonth,
        exp_year: expYear,
        account_type: null,
        billing_name: billing.name,
        postal_code: billing.postalCode,
        created_at: nowIso(),
      });
      return { outcome: 'tokenized', token, kind: 'card', brand, last4: last4Of(digits), expMonth: card.expMonth, expYear };
    },

    tokenizeBank(bank, billing) {
      const problem = bankProblemCode(bank);
      if (problem) return declined(problem);
      const token = randomId('btok_');
      const last4 = bank.accountNumber.slice(-4);
      store.insertToken({
        token,
        kind: 'bank',
        behaviour: bankBehaviour(bank),
        brand: null,
        last4,
        exp_month: null,
        exp_year: null,
        account_type: bank.accountType,
        billing_name: billing.name,
        postal_code: billing.postalCode,
        created_at: nowIso(),
      });
      return { outcome: 'tokenized', token, kind: 'bank', accountType: bank.accountType, last4 };
    },

    charge(request) {
      const earlier = replay(request.idempotencyKey, 'charge', request.amountCents, null);
      if (earlier) return 'row' in earlier ? chargeAnswer(earlier.row) : earlier.mismatch;
      if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) return declined('invalid_amount');
      const source = resolveSource(request, today, store.token);
      const base = {
        idempotency_key: request.idempotencyKey,
        kind: 'charge' as const,
        amount_cents: request.amountCents,
      };
      if ('outcome' in source) {
        const sourceKind = 'bank' in request.source ? 'bank' : 'card';
        record({ ...base, source_kind: sourceKind, outcome: 'declined', decline_code: source.code, decline_message: source.message });
        return source;
      }
      const common = { ...base, source_kind: source.kind, brand: source.brand, last4: source.last4 };
      const b = source.behaviour;
      if (b === 'processing_error') {
        record({ ...common, outcome: 'error', decline_code: 'processing_error', decline_message: DECLINES.processing_error! });
        return { outcome: 'error', retryable: true, message: DECLINES.processing_error! };
      }
      if (b !== 'approve' && b !== 'approve_avs_fail') {
        const d = declined(b);
        record({ ...common, outcome: 'declined', decline_code: d.code, decline_message: d.message });
        return d;
      }
      const avs: AvsResult =
        source.kind === 'bank' || !source.postalCode ? 'unavailable' : b === 'approve_avs_fail' ? 'fail' : 'pass';
      const row = record({
        ...common,
        outcome: 'approved',
        transaction_id: randomId('ch_'),
        authorization_code: randomId('', 6),
        avs,
        cvc: source.cvc,
      });
      return chargeAnswer(row);
    },

    lookup(idempotencyKey) {
      const row = store.requestByKey(idempotencyKey);
      if (!row) return { outcome: 'not_found' };
      if (row.outcome === 'approved') {
        return {
          outcome: 'approved',
          kind: row.kind,
          transactionId: row.transaction_id!,
          authorizationCode: row.authorization_code ?? '',
          amountCents: row.amount_cents,
          avs: (row.avs ?? 'unavailable') as AvsResult,
          cvc: (row.cvc ?? 'unavailable') as CvcResult,
        };
      }
      return { outcome: 'declined', code: row.decline_code ?? 'declined', message: row.decline_message ?? '' };
    },

    void(transactionId, idempotencyKey) {
      const charge = store.chargeByTransaction(transactionId);
      const earlier = replay(idempotencyKey, 'void', charge?.amount_cents ?? 0, transactionId);
      if (earlier) return 'row' in earlier ? reversalAnswer(earlier.row) : earlier.mismatch;
      const refuse = (code: string, sourceKind: 'card' | 'bank' = 'card'): ReversalResult => {
        const d = declined(code);
        record({
          idempotency_key: idempotencyKey,
          kind: 'void',
          outcome: 'declined',
          amount_cents: charge?.amount_cents ?? 0,
          source_kind: sourceKind,
          parent_transaction_id: transactionId,
          decline_code: d.code,
          decline_message: d.message,
        });
        return d;
      };
      if (!charge || charge.outcome !== 'approved') return refuse('no_such_transaction');
      if (charge.voided === 1) return refuse('already_voided', charge.source_kind);
      if (charge.refunded_cents > 0) return refuse('has_refunds', charge.source_kind);
      if (isSettled(charge)) return refuse('already_settled', charge.source_kind);
      store.markVoided(charge.idempotency_key);
      const row = record({
        idempotency_key: idempotencyKey,
        kind: 'void',
        outcome: 'approved',
        amount_cents: charge.amount_cents,
        source_kind: charge.source_kind,
        brand: charge.brand,
        last4: charge.last4,
        transaction_id: randomId('vd_'),
        parent_transaction_id: transactionId,
      });
      return reversalAnswer(row);
    },

    refund(transactionId, amountCents, idempotencyKey) {
      const earlier = replay(idempotencyKey, 'refund', amountCents, transactionId);
      if (earlier) return 'row' in earlier ? reversalAnswer(earlier.row) : earlier.mismatch;
      const charge = store.chargeByTransaction(transactionId);
      const refuse = (code: string): ReversalResult => {
        const d = declined(code);
        record({
          idempotency_key: idempotencyKey,
          kind: 'refund',
          outcome: 'declined',
          amount_cents: amountCents,
          source_kind: charge?.source_kind ?? 'card',
          parent_transaction_id: transactionId,
          decline_code: d.code,
          decline_message: d.message,
        });
        return d;
      };
      if (!charge || charge.outcome !== 'approved') return refuse('no_such_transaction');
      if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return refuse('invalid_amount');
      if (charge.voided === 1) return refuse('already_voided');
      if (amountCents > charge.amount_cents - charge.refunded_cents) return refuse('amount_too_large');
      store.addRefunded(charge.idempotency_key, amountCents);
      const row = record({
        idempotency_key: idempotencyKey,
        kind: 'refund',
        outcome: 'approved',
        amount_cents: amountCents,
        source_kind: charge.source_kind,
        brand: charge.brand,
        last4: charge.last4,
        transaction_id: randomId('re_'),
        parent_transaction_id: transactionId,
      });
      return reversalAnswer(row);
    },
  };
}
