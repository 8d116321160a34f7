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
import { declined, DECLINES, firstChargeMarkerKey } from './catalog';
import { bankBehaviour, bankProblemCode, cardBehaviour, cardProblemCode, resolveSource } from './checks';
import type { GatewayTx, RequestRow } from './store';

/**
 * What the processor does for each call, run inside the call's one transaction `tx`: the answer for
 * a key already seen is the first answer; a new request is checked, decided and recorded. Every call
 * with a key claims it first, so the same key sent at the same moment from two workstations is
 * decided once.
 */
export interface GatewayOperations {
  tokenizeCard(tx: GatewayTx, card: CardDetails, billing: BillingDetails): Promise<TokenizeResult>;
  tokenizeBank(tx: GatewayTx, bank: BankDetails, billing: BillingDetails): Promise<TokenizeResult>;
  charge(tx: GatewayTx, request: ChargeRequest): Promise<ChargeResult>;
  lookup(tx: GatewayTx, idempotencyKey: string): Promise<LookupResult>;
  void(tx: GatewayTx, transactionId: string, idempotencyKey: string): Promise<ReversalResult>;
  refund(tx: GatewayTx, transactionId: string, amountCents: number, idempotencyKey: string): Promise<ReversalResult>;
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

export function gatewayOperations(clock: OperationsClock): GatewayOperations {
  const { today, nowIso } = clock;

  /** Same key, same request: the first answer. Same key, another request: refused, never processed. */
  async function replay(
    tx: GatewayTx,
    key: string,
    kind: RequestRow['kind'],
    amountCents: number,
    parent: string | null,
  ): Promise<{ row: RequestRow } | { mismatch: GatewayError } | null> {
    const row = await tx.requestByKey(key);
    if (!row) return null;
    if (row.kind !== kind || row.amount_cents !== amountCents || (parent !== null && row.parent_transaction_id !== parent)) {
      return {
        mismatch: { outcome: 'error', retryable: false, message: 'This idempotency key was already used for a different request.' },
      };
    }
    return { row };
  }

  async function record(
    tx: GatewayTx,
    values: Partial<RequestRow> & Pick<RequestRow, 'idempotency_key' | 'kind' | 'outcome' | 'amount_cents' | 'source_kind'>,
  ): Promise<RequestRow> {
    await tx.insertRequest({
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
    return (await tx.requestByKey(values.idempotency_key))!;
  }

  function isSettled(row: RequestRow): boolean {
    return row.settled || row.business_date < today();
  }

  return {
    async tokenizeCard(tx, card, billing) {
      const problem = cardProblemCode(card, today);
      if (problem) return declined(problem);
      const digits = cardDigits(card.number);
      const brand = cardBrandOf(digits) as CardBrand;
      const token = randomId('tok_');
      const expYear = normalizeExpYear(card.expYear);
      await tx.insertToken({
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

    async tokenizeBank(tx, bank, billing) {
      const problem = bankProblemCode(bank);
      if (problem) return declined(problem);
      const token = randomId('btok_');
      const last4 = bank.accountNumber.slice(-4);
      await tx.insertToken({
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

    async charge(tx, request) {
      await tx.claimKey(request.idempotencyKey);
      const earlier = await replay(tx, request.idempotencyKey, 'charge', request.amountCents, null);
      if (earlier) return 'row' in earlier ? chargeAnswer(earlier.row) : earlier.mismatch;
      if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) return declined('invalid_amount');
      const source = await resolveSource(request, today, tx.token);
      const base = {
        idempotency_key: request.idempotencyKey,
        kind: 'charge' as const,
        amount_cents: request.amountCents,
      };
      if ('outcome' in source) {
        const sourceKind = 'bank' in request.source ? 'bank' : 'card';
        await record(tx, { ...base, source_kind: sourceKind, outcome: 'declined', decline_code: source.code, decline_message: source.message });
        return source;
      }
      const common = { ...base, source_kind: source.kind, brand: source.brand, last4: source.last4 };
      const b = source.behaviour;
      if (b === 'processing_error') {
        await record(tx, { ...common, outcome: 'error', decline_code: 'processing_error', decline_message: DECLINES.processing_error! });
        return { outcome: 'error', retryable: true, message: DECLINES.processing_error! };
      }
      if (b === 'decline_first_charge' && 'token' in request.source) {
        const marker = firstChargeMarkerKey(request.source.token);
        await tx.claimKey(marker);
        if (!(await tx.requestByKey(marker))) {
          const d = declined('card_declined');
          await record(tx, { ...common, idempotency_key: marker, amount_cents: 0, outcome: 'declined', decline_code: d.code, decline_message: 'marker: the first charge of this token was declined' });
          await record(tx, { ...common, outcome: 'declined', decline_code: d.code, decline_message: d.message });
          return d;
        }
      } else if (b === 'decline_first_charge') {
        // Typed in, not saved: each charge is a first charge.
        const d = declined('card_declined');
        await record(tx, { ...common, outcome: 'declined', decline_code: d.code, decline_message: d.message });
        return d;
      }
      if (b !== 'approve' && b !== 'approve_avs_fail' && b !== 'decline_first_charge') {
        const d = declined(b);
        await record(tx, { ...common, outcome: 'declined', decline_code: d.code, decline_message: d.message });
        return d;
      }
      const avs: AvsResult =
        source.kind === 'bank' || !source.postalCode ? 'unavailable' : b === 'approve_avs_fail' ? 'fail' : 'pass';
      const row = await record(tx, {
        ...common,
        outcome: 'approved',
        transaction_id: randomId('ch_'),
        authorization_code: randomId('', 6),
        avs,
        cvc: source.cvc,
      });
      return chargeAnswer(row);
    },

    async lookup(tx, idempotencyKey) {
      // Waits for a request with this key still being processed, so "not found" means never processed.
      await tx.claimKey(idempotencyKey);
      const row = await tx.requestByKey(idempotencyKey);
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

    async void(tx, transactionId, idempotencyKey) {
      await tx.claimKey(idempotencyKey);
      const charge = await tx.chargeByTransaction(transactionId);
      const earlier = await replay(tx, idempotencyKey, 'void', charge?.amount_cents ?? 0, transactionId);
      if (earlier) return 'row' in earlier ? reversalAnswer(earlier.row) : earlier.mismatch;
      const refuse = async (code: string, sourceKind: 'card' | 'bank' = 'card'): Promise<ReversalResult> => {
        const d = declined(code);
        await record(tx, {
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
      if (charge.voided) return refuse('already_voided', charge.source_kind);
      if (charge.refunded_cents > 0) return refuse('has_refunds', charge.source_kind);
      if (isSettled(charge)) return refuse('already_settled', charge.source_kind);
      await tx.markVoided(charge.idempotency_key);
      const row = await record(tx, {
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

    async refund(tx, transactionId, amountCents, idempotencyKey) {
      await tx.claimKey(idempotencyKey);
      const earlier = await replay(tx, idempotencyKey, 'refund', amountCents, transactionId);
      if (earlier) return 'row' in earlier ? reversalAnswer(earlier.row) : earlier.mismatch;
      const charge = await tx.chargeByTransaction(transactionId);
      const refuse = async (code: string): Promise<ReversalResult> => {
        const d = declined(code);
        await record(tx, {
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
      if (charge.voided) return refuse('already_voided');
      if (amountCents > charge.amount_cents - charge.refunded_cents) return refuse('amount_too_large');
      await tx.addRefunded(charge.idempotency_key, amountCents);
      const row = await record(tx, {
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
