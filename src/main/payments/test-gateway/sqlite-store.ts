import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { recordOf, type GatewayStore, type GatewayTx, type RequestRow, type TokenRow } from './store';

/**
 * The test gateway's own SQLite file beside a workstation's ledger. Every answer is committed with
 * synchronous=FULL before it is returned; BEGIN IMMEDIATE takes the file's write lock for the whole
 * call, so requests from this and any other process run one after another.
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

type SqliteRequestRow = Omit<RequestRow, 'voided' | 'settled'> & { voided: number; settled: number };

const fromSqlite = (r: SqliteRequestRow | undefined): RequestRow | undefined =>
  r && { ...r, voided: r.voided === 1, settled: r.settled === 1 };

/** Calls that take turns: each starts when the one before it has ended. */
interface Turns {
  take<T>(fn: () => Promise<T> | T): Promise<T>;
  idle(): Promise<void>;
}

function createTurns(): Turns {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    take(fn) {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
    idle: () => tail.then(() => undefined),
  };
}

/*
 * A call's transaction spans awaits, so calls on one file in this process take turns, even through
 * two stores on that file (two runtimes on one folder in tests): a second BEGIN IMMEDIATE on the
 * same thread while the first is between its awaits would only wait out busy_timeout, blocking the
 * thread the first needs to finish. Other processes wait on the file's lock as before.
 */
const turnsByFile = new Map<string, Turns>();

function turnsFor(file: string): Turns {
  if (file === ':memory:') return createTurns();
  const key = path.resolve(file);
  let turns = turnsByFile.get(key);
  if (!turns) turnsByFile.set(key, (turns = createTurns()));
  return turns;
}

export function openSqliteGatewayStore(file: string): GatewayStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Freed pages are zeroed, so nothing ever written lingers in the file.
  db.pragma('secure_delete = ON');
  for (const statement of SCHEMA) db.exec(statement);

  const byKey = db.prepare<[string], SqliteRequestRow>('SELECT * FROM requests WHERE idempotency_key = ?');
  const byTransaction = db.prepare<[string], SqliteRequestRow>(`SELECT * FROM requests WHERE transaction_id = ? AND kind = 'charge'`);
  const tokenRow = db.prepare<[string], TokenRow>(
    `SELECT token, kind, behaviour, brand, last4, exp_month, exp_year, account_type, billing_name, postal_code FROM tokens WHERE token = ?`,
  );
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
  const markVoided = db.prepare('UPDATE requests SET voided = 1 WHERE idempotency_key = ?');
  const addRefunded = db.prepare('UPDATE requests SET refunded_cents = refunded_cents + ? WHERE idempotency_key = ?');
  const settle = db.prepare(`UPDATE requests SET settled = 1 WHERE kind = 'charge' AND outcome = 'approved'`);
  const all = db.prepare<[], SqliteRequestRow>('SELECT * FROM requests ORDER BY rowid');

  const tx: GatewayTx = {
    // BEGIN IMMEDIATE already holds the whole file for this call.
    claimKey: async () => undefined,
    requestByKey: async (key) => fromSqlite(byKey.get(key)),
    chargeByTransaction: async (transactionId) => fromSqlite(byTransaction.get(transactionId)),
    token: async (token) => tokenRow.get(token),
    insertRequest: async (row) => void insertRequest.run(row),
    insertToken: async (row) => void insertToken.run(row),
    markVoided: async (key) => void markVoided.run(key),
    addRefunded: async (key, amountCents) => void addRefunded.run(amountCents, key),
  };

  const turns = turnsFor(file);
  let running = 0;
  function inTurn<T>(fn: () => Promise<T> | T): Promise<T> {
    running += 1;
    return turns.take(fn).finally(() => (running -= 1));
  }

  return {
    where: file,
    inTransaction: (work) =>
      inTurn(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          db.exec('COMMIT');
          return result;
        } catch (e) {
          // SQLite may have ended the transaction itself (SQLITE_FULL, SQLITE_IOERR…).
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      }),
    settleApprovedCharges: () => inTurn(() => void settle.run()),
    records: () => inTurn(() => all.all().map((r) => recordOf(fromSqlite(r)!))),
    async close() {
      // Closed at once when idle, so a caller that does not wait can remove the file right after.
      if (running > 0) await turns.idle();
      if (db.open) db.close();
    },
  };
}
