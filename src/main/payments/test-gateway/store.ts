import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Behaviour } from './catalog';

/**
 * The test gateway's own SQLite file: what a processor keeps (tokens, requests by idempotency key)
 * and never a card or account number. Every answer is committed with synchronous=FULL.
 */

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

export interface RequestRow {
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

/** A request as it is first written; voided, refunded and settled start at zero. */
export type NewRequestRow = Omit<RequestRow, 'voided' | 'refunded_cents' | 'settled'>;

export interface TokenRow {
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

export type NewTokenRow = TokenRow & { created_at: string };

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

export interface GatewayStore {
  /** Runs `work` in one immediate transaction. */
  inTransaction<T>(work: () => T): T;
  requestByKey(idempotencyKey: string): RequestRow | undefined;
  /** The charge that made this transaction. */
  chargeByTransaction(transactionId: string): RequestRow | undefined;
  token(token: string): TokenRow | undefined;
  insertRequest(row: NewRequestRow): void;
  insertToken(row: NewTokenRow): void;
  markVoided(idempotencyKey: string): void;
  addRefunded(idempotencyKey: string, amountCents: number): void;
  /** Every approved charge so far is settled. */
  settleApprovedCharges(): void;
  /** Every request, oldest first. */
  records(): TestGatewayRecord[];
  close(): void;
}

export function openGatewayStore(file: string): GatewayStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
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

  return {
    inTransaction: (work) => db.transaction(work).immediate(),
    requestByKey: (idempotencyKey) => byKey.get(idempotencyKey),
    chargeByTransaction: (transactionId) => byTransaction.get(transactionId),
    token: (token) => tokenRow.get(token),
    insertRequest(row) {
      insertRequest.run(row);
    },
    insertToken(row) {
      insertToken.run(row);
    },
    markVoided(idempotencyKey) {
      db.prepare('UPDATE requests SET voided = 1 WHERE idempotency_key = ?').run(idempotencyKey);
    },
    addRefunded(idempotencyKey, amountCents) {
      db.prepare('UPDATE requests SET refunded_cents = refunded_cents + ? WHERE idempotency_key = ?').run(amountCents, idempotencyKey);
    },
    settleApprovedCharges() {
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
    close() {
      if (db.open) db.close();
    },
  };
}
