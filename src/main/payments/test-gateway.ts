import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
  type CardBrand,
} from '../../shared/cards';
import { isoDateIn, systemClock, type Clock } from '../clock';
import type {
  AvsResult,
  BankDetails,
  BillingDetails,
  CardDetails,
  ChargeRequest,
  ChargeResult,
  CvcResult,
  Declined,
  GatewayError,
  LookupResult,
  PaymentGateway,
  ReversalResult,
  TokenizeResult,
} from './gateway';

/**
 * The built-in test gateway: plays the processor's side in its own SQLite file beside the ledger.
 * Outcomes are decided by the documented test card numbers and bank accounts. It keeps what a
 * processor keeps (tokens, transactions, idempotency keys) and never a card or account number:
 * a token remembers the outcome its number stands for, the brand, last four digits and expiry.
 * Every answer is committed with synchronous=FULL before it is returned.
 */

export type GatewayFaultKind =
  /** No answer, nothing done: the request never reached the processor. */
  | 'timeout_before_processing'
  /** The request is processed and committed, then the answer is lost on the way back. */
  | 'answer_lost_after_processing'
  /** The processor answers 500 without processing anything. */
  | 'server_error';

export type GatewayOperation = 'charge' | 'void' | 'refund' | 'lookup' | 'tokenize';

export interface PlannedFault {
  kind: GatewayFaultKind;
  /** Which calls it hits; default 'charge'. */
  operation?: GatewayOperation;
  /** How many matching calls it hits; default 1. */
  times?: number;
}

export class GatewayTimeoutError extends Error {
  constructor() {
    super('The payment gateway did not answer in time');
    this.name = 'GatewayTimeoutError';
  }
}

export interface TestGatewayOptions {
  /** The gateway's own database file, or ':memory:'. */
  file: string;
  clock?: Clock;
  /** Charges settle (stop being voidable) when their day ends in this zone. */
  settlementTimeZone?: string;
  /** Simulated network time for each call. */
  latencyMs?: number;
  faults?: PlannedFault[];
}

export interface TestGatewayRecord {
  idempotencyKey: string;
  kind: 'charge' | 'void' | 'refund';
  outcome: 'approved' | 'declined' | 'error';
  transactionId: string | null;
  parentTransactionId: string | null;
  amountCents: number;
  sourceKind: 'card' | 'bank';
  brand: string | null;
  last4: string | null;
  declineCode: string | null;
  voided: boolean;
  refundedCents: number;
  settled: boolean;
  businessDate: string;
}

export interface TestGateway extends PaymentGateway {
  readonly file: string;
  planFault(fault: PlannedFault): void;
  clearFaults(): void;
  /** Closes the batch: every approved charge so far is settled and can only be refunded. */
  settleBatch(): void;
  /** Everything the processor recorded, oldest first (tests and reconciliation). */
  records(): TestGatewayRecord[];
  close(): void;
}

type Behaviour =
  | 'approve'
  | 'approve_avs_fail'
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'account_closed'
  | 'not_a_test_card'
  | 'not_a_test_account';

/** The documented test cards. Any other valid number is refused, as a processor's test mode does. */
const TEST_CARDS: Readonly<Record<string, Behaviour>> = Object.freeze({
  '4242424242424242': 'approve',
  '5555555555554444': 'approve',
  '378282246310005': 'approve',
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
  '4000000000000010': 'approve_avs_fail',
});

export const TEST_ROUTING_NUMBER = '110000000';
const TEST_ACCOUNTS: Readonly<Record<string, Behaviour>> = Object.freeze({
  '000123456789': 'approve',
  '000111111113': 'account_closed',
});

const DECLINES: Readonly<Record<string, string>> = Object.freeze({
  card_declined: 'The card was declined. Ask the customer for another card.',
  insufficient_funds: 'The card has insufficient funds. Ask the customer for another card.',
  expired_card: 'The card has expired. Ask the customer for another card.',
  incorrect_cvc: "The security code is incorrect. Read it back to the customer and try again.",
  processing_error: 'The card could not be processed; nothing was charged. Try again.',
  account_closed: 'The bank account is closed. Ask the customer for another account.',
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

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'bank')),
    behaviour TEXT NOT NULL,
    brand TEXT,
    last4 TEXT NOT NULL,
    exp_month INTEGER,
    exp_year INTEGER,
    account_type TEXT,
    billing_name TEXT NOT NULL,
    postal_code TEXT,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS requests (
    idempotency_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'void', 'refund')),
    outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined', 'error')),
    transaction_id TEXT UNIQUE,
    parent_transaction_id TEXT,
    amount_cents INTEGER NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('card', 'bank')),
    brand TEXT,
    last4 TEXT,
    authorization_code TEXT,
    avs TEXT,
    cvc TEXT,
    decline_code TEXT,
    decline_message TEXT,
    voided INTEGER NOT NULL DEFAULT 0,
    refunded_cents INTEGER NOT NULL DEFAULT 0,
    settled INTEGER NOT NULL DEFAULT 0,
    business_date TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
];

interface RequestRow {
  idempotency_key: string;
  kind: 'charge' | 'void' | 'refund';
  outcome: 'approved' | 'declined' | 'error';
  transaction_id: string | null;
  parent_transaction_id: string | null;
  amount_cents: number;
  source_kind: 'card' | 'bank';
  brand: string | null;
  last4: string | null;
  authorization_code: string | null;
  avs: string | null;
  cvc: string | null;
  decline_code: string | null;
  decline_message: string | null;
  voided: number;
  refunded_cents: number;
  settled: number;
  business_date: string;
  created_at: string;
}

interface TokenRow {
  token: string;
  kind: 'card' | 'bank';
  behaviour: Behaviour;
  brand: string | null;
  last4: string;
  exp_month: number | null;
  exp_year: number | null;
  account_type: string | null;
  billing_name: string;
  postal_code: string | null;
}

/** What a charge's source resolves to once its number is checked and forgotten. */
interface ResolvedSource {
  kind: 'card' | 'bank';
  behaviour: Behaviour;
  brand: string | null;
  last4: string;
  cvc: CvcResult;
  postalCode: string | null;
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomId(prefix: string, length = 20): string {
  const bytes = crypto.randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return `${prefix}${s}`;
}

function declined(code: string): Declined {
  return { outcome: 'declined', code, message: DECLINES[code] ?? 'The payment was declined.' };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function openTestGateway(options: TestGatewayOptions): TestGateway {
  const clock = options.clock ?? systemClock;
  const zone = options.settlementTimeZone ?? 'America/New_York';
  const latency = options.latencyMs ?? 0;
  const faults: Required<PlannedFault>[] = (options.faults ?? []).map((f) => ({ operation: 'charge', times: 1, ...f }));

  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Freed pages are zeroed, so nothing ever written lingers in the file.
  db.pragma('secure_delete = ON');
  for (const statement of SCHEMA) db.exec(statement);

  const byKey = db.prepare<[string], RequestRow>('SELECT * FROM requests WHERE idempotency_key = ?');
  const byTransaction = db.prepare<[string], RequestRow>(`SELECT * FROM requests WHERE transaction_id = ? AND kind = 'charge'`);
  const tokenRow = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE token = ?');
  const insertRequest = db.prepare(
    `INSERT INTO requests (idempotency_key, kind, outcome, transaction_id, parent_transaction_id, amount_cents, source_kind,
       brand, last4, authorization_code, avs, cvc, decline_code, decline_message, business_date, created_at)
     VALUES (@idempotency_key, @kind, @outcome, @transaction_id, @parent_transaction_id, @amount_cents, @source_kind,
       @brand, @last4, @authorization_code, @avs, @cvc, @decline_code, @decline_message, @business_date, @created_at)`,
  );
  const insertToken = db.prepare(
    `INSERT INTO tokens (token, kind, behaviour, brand, last4, exp_month, exp_year, account_type, billing_name, postal_code, created_at)
     VALUES (@token, @kind, @behaviour, @brand, @last4, @exp_month, @exp_year, @account_type, @billing_name, @postal_code, @created_at)`,
  );

  const today = () => isoDateIn(clock.now(), zone);
  const nowIso = () => clock.now().toISOString();

  /** Takes the next planned fault for this operation, if any. */
  function takeFault(operation: GatewayOperation): GatewayFaultKind | null {
    const i = faults.findIndex((f) => f.operation === operation && f.times > 0);
    if (i < 0) return null;
    const f = faults[i]!;
    f.times -= 1;
    if (f.times === 0) faults.splice(i, 1);
    return f.kind;
  }

  /** Runs one processor call: latency, faults around it, the work in one immediate transaction. */
  async function call<T>(operation: GatewayOperation, work: () => T, serverError: () => T): Promise<T> {
    if (latency > 0) await sleep(latency);
    const fault = takeFault(operation);
    if (fault === 'timeout_before_processing') throw new GatewayTimeoutError();
    if (fault === 'server_error') return serverError();
    const result = db.transaction(work).immediate();
    if (fault === 'answer_lost_after_processing') throw new GatewayTimeoutError();
    return result;
  }

  const serverError = (): GatewayError => ({
    outcome: 'error',
    retryable: true,
    message: 'The payment gateway had an internal error; nothing was done. Try again.',
  });

  function cardProblemCode(card: CardDetails): string | null {
    const digits = cardDigits(card.number);
    const brand = cardBrandOf(digits);
    if (!brand || !cardNumberLengths(brand).includes(digits.length) || !passesLuhn(digits)) return 'incorrect_number';
    const year = normalizeExpYear(card.expYear);
    if (!(card.expMonth >= 1 && card.expMonth <= 12) || isCardExpired(card.expMonth, year, today())) return 'invalid_expiry';
    if (!/^\d+$/.test(card.cvc) || card.cvc.length !== securityCodeLength(brand)) return 'invalid_cvc';
    return null;
  }

  function bankProblemCode(bank: BankDetails): string | null {
    if (!passesAbaCheck(bank.routingNumber)) return 'invalid_routing_number';
    if (!/^\d{4,17}$/.test(bank.accountNumber)) return 'invalid_account_number';
    return null;
  }

  function bankBehaviour(bank: BankDetails): Behaviour {
    return bank.routingNumber === TEST_ROUTING_NUMBER ? (TEST_ACCOUNTS[bank.accountNumber] ?? 'not_a_test_account') : 'not_a_test_account';
  }

  function resolveSource(request: ChargeRequest): ResolvedSource | Declined {
    const source = request.source;
    if ('token' in source) {
      const t = tokenRow.get(source.token);
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
      const problem = cardProblemCode(source.card);
      if (problem) return declined(problem);
      const digits = cardDigits(source.card.number);
      return {
        kind: 'card',
        behaviour: TEST_CARDS[digits] ?? 'not_a_test_card',
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

  /** Same key, same request: the first answer. Same key, another request: refused, never processed. */
  function replay(
    key: string,
    kind: RequestRow['kind'],
    amountCents: number,
    parent: string | null,
  ): { row: RequestRow } | { mismatch: GatewayError } | null {
    const row = byKey.get(key);
    if (!row) return null;
    if (row.kind !== kind || row.amount_cents !== amountCents || (parent !== null && row.parent_transaction_id !== parent)) {
      return {
        mismatch: { outcome: 'error', retryable: false, message: 'This idempotency key was already used for a different request.' },
      };
    }
    return { row };
  }

  function record(values: Partial<RequestRow> & Pick<RequestRow, 'idempotency_key' | 'kind' | 'outcome' | 'amount_cents' | 'source_kind'>): RequestRow {
    insertRequest.run({
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
    return byKey.get(values.idempotency_key)!;
  }

  function isSettled(row: RequestRow): boolean {
    return row.settled === 1 || row.business_date < today();
  }

  const gateway: TestGateway = {
    name: 'test',
    testMode: true,
    file: options.file,

    planFault(fault) {
      faults.push({ operation: 'charge', times: 1, ...fault });
    },
    clearFaults() {
      faults.length = 0;
    },
    settleBatch() {
      db.prepare(`UPDATE requests SET settled = 1 WHERE kind = 'charge' AND outcome = 'approved'`).run();
    },
    records() {
      return db
        .prepare<[], RequestRow>('SELECT * FROM requests ORDER BY rowid')
        .all()
        .map((r) => ({
          idempotencyKey: r.idempotency_key,
          kind: r.kind,
          outcome: r.outcome,
          transactionId: r.transaction_id,
          parentTransactionId: r.parent_transaction_id,
          amountCents: r.amount_cents,
          sourceKind: r.source_kind,
          brand: r.brand,
          last4: r.last4,
          declineCode: r.decline_code,
          voided: r.voided === 1,
          refundedCents: r.refunded_cents,
          settled: r.settled === 1,
          businessDate: r.business_date,
        }));
    },

    async tokenizeCard(card: CardDetails, billing: BillingDetails): Promise<TokenizeResult> {
      return call(
        'tokenize',
        (): TokenizeResult => {
          const problem = cardProblemCode(card);
          if (problem) return declined(problem);
          const digits = cardDigits(card.number);
          const brand = cardBrandOf(digits) as CardBrand;
          const token = randomId('tok_');
          const expYear = normalizeExpYear(card.expYear);
          insertToken.run({
            token,
            kind: 'card',
            behaviour: TEST_CARDS[digits] ?? 'not_a_test_card',
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
        serverError,
      );
    },

    async tokenizeBank(bank: BankDetails, billing: BillingDetails): Promise<TokenizeResult> {
      return call(
        'tokenize',
        (): TokenizeResult => {
          const problem = bankProblemCode(bank);
          if (problem) return declined(problem);
          const token = randomId('btok_');
          const last4 = bank.accountNumber.slice(-4);
          insertToken.run({
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
        serverError,
      );
    },

    async charge(request: ChargeRequest): Promise<ChargeResult> {
      return call(
        'charge',
        (): ChargeResult => {
          const earlier = replay(request.idempotencyKey, 'charge', request.amountCents, null);
          if (earlier) return 'row' in earlier ? chargeAnswer(earlier.row) : earlier.mismatch;
          if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) return declined('invalid_amount');
          const source = resolveSource(request);
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
        serverError,
      );
    },

    async lookup(idempotencyKey: string): Promise<LookupResult> {
      return call(
        'lookup',
        (): LookupResult => {
          const row = byKey.get(idempotencyKey);
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
        serverError,
      );
    },

    async void(transactionId: string, idempotencyKey: string): Promise<ReversalResult> {
      return call(
        'void',
        (): ReversalResult => {
          const charge = byTransaction.get(transactionId);
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
          db.prepare('UPDATE requests SET voided = 1 WHERE idempotency_key = ?').run(charge.idempotency_key);
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
        serverError,
      );
    },

    async refund(transactionId: string, amountCents: number, idempotencyKey: string): Promise<ReversalResult> {
      return call(
        'refund',
        (): ReversalResult => {
          const earlier = replay(idempotencyKey, 'refund', amountCents, transactionId);
          if (earlier) return 'row' in earlier ? reversalAnswer(earlier.row) : earlier.mismatch;
          const charge = byTransaction.get(transactionId);
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
          db.prepare('UPDATE requests SET refunded_cents = refunded_cents + ? WHERE idempotency_key = ?').run(
            amountCents,
            charge.idempotency_key,
          );
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
        serverError,
      );
    },

    close() {
      if (db.open) db.close();
    },
  };
  return gateway;
}
