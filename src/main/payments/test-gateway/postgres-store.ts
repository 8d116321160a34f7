import type pg from 'pg';
import { AppError } from '../../../shared/errors';
import { createPool, describeConnectError, parseDatabaseUrl, redactDatabaseUrl } from '../../db/postgres';
import { recordOf, type GatewayStore, type GatewayTx, type RequestRow, type TokenRow } from './store';

/**
 * The test gateway in its own schema on the office's PostgreSQL server, beside the ledger and never
 * in its tables: one gateway for every workstation, so any workstation's recovery can ask it what
 * it charged. The schema and its tables are created on first use.
 */

export const TEST_GATEWAY_SCHEMA = 'ar_desk_test_gateway';

export interface PostgresGatewayStoreOptions {
  databaseUrl: string;
  /** The gateway's schema; tests give each store a fresh one. */
  schema?: string;
  /** Connections this process holds for the gateway. */
  poolMax?: number;
}

/** What is made on first use: the schema and each table that is missing. */
function schemaStatements(s: string): { schema: string; tokens: string; requests: string } {
  return {
    schema: `CREATE SCHEMA ${s}`,
    tokens: `CREATE TABLE ${s}.tokens (
      token text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('card', 'bank')),
      behaviour text NOT NULL,
      brand text,
      last4 text NOT NULL,
      exp_month integer,
      exp_year integer,
      account_type text,
      billing_name text NOT NULL,
      postal_code text,
      created_at timestamptz NOT NULL
    )`,
    requests: `CREATE TABLE ${s}.requests (
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      idempotency_key text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('charge', 'void', 'refund')),
      outcome text NOT NULL CHECK (outcome IN ('approved', 'declined', 'error')),
      transaction_id text UNIQUE,
      parent_transaction_id text,
      amount_cents bigint NOT NULL,
      source_kind text NOT NULL CHECK (source_kind IN ('card', 'bank')),
      brand text,
      last4 text,
      authorization_code text,
      avs text,
      cvc text,
      decline_code text,
      decline_message text,
      voided boolean NOT NULL DEFAULT false,
      refunded_cents bigint NOT NULL DEFAULT 0,
      settled boolean NOT NULL DEFAULT false,
      business_date date NOT NULL,
      created_at timestamptz NOT NULL
    )`,
  };
}

const REQUEST_COLUMNS = `idempotency_key, kind, outcome, transaction_id, parent_transaction_id, amount_cents, source_kind, brand, last4,
  authorization_code, avs, cvc, decline_code, decline_message, voided, refunded_cents, settled, business_date, created_at`;

export function openPostgresGatewayStore(options: PostgresGatewayStoreOptions): GatewayStore {
  const schema = options.schema ?? TEST_GATEWAY_SCHEMA;
  // The name is written into the SQL, so only a plain lower-case identifier is accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new AppError('VALIDATION', `"${schema}" is not a usable schema name for the test gateway.`);
  const target = parseDatabaseUrl(options.databaseUrl);
  const pool = createPool(target, { max: options.poolMax ?? 2, applicationName: 'ar-desk-test-gateway' });
  const s = schema;

  let ready: Promise<void> | null = null;
  /** The schema on first use; a failed attempt (server down) is tried again by the next call. */
  function prepared(): Promise<void> {
    ready ??= createSchema().catch((e: unknown) => {
      ready = null;
      throw schemaError(e);
    });
    return ready;
  }

  async function createSchema(): Promise<void> {
    const client = await pool.connect();
    // Only what is missing is created: CREATE ... IF NOT EXISTS would ask for the CREATE right even
    // when everything is there, and a workstation's user may have only the rights to use it. The
    // catalogs are read by plain queries, whose snapshot sees what another workstation committed
    // while this one waited for the lock (to_regclass and the like may answer from a stale cache).
    const present = async () =>
      (
        await client.query<{ schema: boolean; tokens: boolean; requests: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS schema,
             EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'tokens') AS tokens,
             EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'requests') AS requests`,
          [s],
        )
      ).rows[0]!;
    try {
      if (Object.values(await present()).every(Boolean)) return;
      await client.query('BEGIN');
      // Two workstations starting at once take turns, and the second finds what the first made.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1), 0)`, [`${s} schema`]);
      const found = await present();
      const ddl = schemaStatements(s);
      if (!found.schema) await client.query(ddl.schema);
      if (!found.tokens) await client.query(ddl.tokens);
      if (!found.requests) await client.query(ddl.requests);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  function schemaError(e: unknown): AppError {
    const err = e as { code?: string; message?: string };
    if (err.code === '42501') {
      return new AppError(
        'UNAVAILABLE',
        `The user "${target.user}" may not create or use the test gateway's schema "${s}" on the database "${target.database}" (${err.message}). Ask the office's IT person to create it once as the database owner and let this user read and write its tables, or to grant this user CREATE on the database.`,
        { schema: s, reason: 'permission' },
      );
    }
    return describeConnectError(e, target);
  }

  function txOn(client: pg.PoolClient): GatewayTx {
    const one = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R | undefined> =>
      (await client.query<R>(text, values)).rows[0];
    return {
      /*
       * Why an advisory lock and not INSERT ... ON CONFLICT DO NOTHING: between the check of a key and
       * the insert of its row, a call decides the outcome and, for a void or refund, changes the
       * charge's row. Catching the duplicate only at the insert would let that work run twice and
       * need undoing. A transaction-level lock on (schema, hash of the key) makes the second request
       * wait until the first commits; its next statement (READ COMMITTED: a fresh snapshot) then sees
       * the first row and replays that answer, as BEGIN IMMEDIATE does for the SQLite file. The lock
       * goes with the transaction, so a workstation that dies mid-call never leaves it held. Two keys
       * with the same hash only take turns. The primary key on idempotency_key stays the last guard.
       */
      claimKey: async (key) => void (await client.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [s, key])),
      requestByKey: (key) => one<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM ${s}.requests WHERE idempotency_key = $1`, [key]),
      // FOR UPDATE: two voids or refunds of one charge with different keys take turns, so no refund goes past what is left.
      chargeByTransaction: (transactionId) =>
        one<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM ${s}.requests WHERE transaction_id = $1 AND kind = 'charge' FOR UPDATE`, [
          transactionId,
        ]),
      token: (token) =>
        one<TokenRow>(
          `SELECT token, kind, behaviour, brand, last4, exp_month, exp_year, account_type, billing_name, postal_code FROM ${s}.tokens WHERE token = $1`,
          [token],
        ),
      insertRequest: async (r) =>
        void (await client.query(
          `INSERT INTO ${s}.requests (idempotency_key, kind, outcome, transaction_id, parent_transaction_id, amount_cents, source_kind,
             brand, last4, authorization_code, avs, cvc, decline_code, decline_message, business_date, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            r.idempotency_key, r.kind, r.outcome, r.transaction_id, r.parent_transaction_id, r.amount_cents, r.source_kind,
            r.brand, r.last4, r.authorization_code, r.avs, r.cvc, r.decline_code, r.decline_message, r.business_date, r.created_at,
          ],
        )),
      insertToken: async (t) =>
        void (await client.query(
          `INSERT INTO ${s}.tokens (token, kind, behaviour, brand, last4, exp_month, exp_year, account_type, billing_name, postal_code, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [t.token, t.kind, t.behaviour, t.brand, t.last4, t.exp_month, t.exp_year, t.account_type, t.billing_name, t.postal_code, t.created_at],
        )),
      markVoided: async (key) => void (await client.query(`UPDATE ${s}.requests SET voided = true WHERE idempotency_key = $1`, [key])),
      addRefunded: async (key, amountCents) =>
        void (await client.query(`UPDATE ${s}.requests SET refunded_cents = refunded_cents + $1 WHERE idempotency_key = $2`, [amountCents, key])),
    };
  }

  let closed: Promise<void> | null = null;
  return {
    where: `${redactDatabaseUrl(options.databaseUrl)} (schema ${s})`,
    async inTransaction(work) {
      await prepared();
      const client = await pool.connect();
      let broken = false;
      try {
        // READ COMMITTED (the default, said here because claimKey relies on it): each statement sees what committed before it.
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        const result = await work(txOn(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      } finally {
        // A connection whose rollback failed is dropped, not handed to the next call.
        client.release(broken);
      }
    },
    async settleApprovedCharges() {
      await prepared();
      await pool.query(`UPDATE ${s}.requests SET settled = true WHERE kind = 'charge' AND outcome = 'approved'`);
    },
    async records() {
      await prepared();
      const rows = await pool.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM ${s}.requests ORDER BY seq`);
      return rows.rows.map(recordOf);
    },
    close() {
      // Once, and never rejecting: a runtime may close without waiting.
      closed ??= pool.end().catch(() => undefined);
      return closed;
    },
  };
}
