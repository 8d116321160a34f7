import type { Behaviour } from './catalog';

/**
 * What the test gateway keeps, behind one asynchronous interface with two homes: its own SQLite
 * file beside a workstation's ledger (sqlite-store.ts), or its own schema on the office's
 * PostgreSQL server (postgres-store.ts), one gateway for every workstation of the office.
 * It is what a processor keeps (tokens, requests by idempotency key), never a card or account number.
 */

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
  voided: boolean;
  refunded_cents: number;
  settled: boolean;
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

/** What one processor call reads and writes, inside its one transaction. */
export interface GatewayTx {
  /**
   * Holds this idempotency key until the transaction ends: a request with the same key from any
   * process waits here, then finds the first one's row. Taken before the key is looked up.
   */
  claimKey(idempotencyKey: string): Promise<void>;
  requestByKey(idempotencyKey: string): Promise<RequestRow | undefined>;
  /** The charge that made this transaction, held until the transaction ends (a void or refund changes it). */
  chargeByTransaction(transactionId: string): Promise<RequestRow | undefined>;
  token(token: string): Promise<TokenRow | undefined>;
  insertRequest(row: NewRequestRow): Promise<void>;
  insertToken(row: NewTokenRow): Promise<void>;
  markVoided(idempotencyKey: string): Promise<void>;
  addRefunded(idempotencyKey: string, amountCents: number): Promise<void>;
}

export interface GatewayStore {
  /** Where the state is kept, for messages: the file, or the server (without its password) and schema. */
  readonly where: string;
  /** Runs `work` in one transaction, committed before the answer is returned; rolled back if it throws. */
  inTransaction<T>(work: (tx: GatewayTx) => Promise<T>): Promise<T>;
  /** Every approved charge so far is settled. */
  settleApprovedCharges(): Promise<void>;
  /** Every request, oldest first. */
  records(): Promise<TestGatewayRecord[]>;
  close(): Promise<void>;
}

export function recordOf(r: RequestRow): TestGatewayRecord {
  return {
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
    voided: r.voided,
    refundedCents: r.refunded_cents,
    settled: r.settled,
    businessDate: r.business_date,
  };
}
