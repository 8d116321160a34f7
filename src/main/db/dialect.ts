import { PostgresAdapter, sql, type Expression, type RawBuilder, type Transaction } from 'kysely';
import type { Dialect } from './migrations';
import type { Db } from './types';
import type { DB } from './schema';

export type { Dialect };

/**
 * The few places where the two engines differ, named once. A use case is written once with
 * Kysely and calls these where SQLite and PostgreSQL need different words; there is never a
 * second copy of a use case per engine.
 */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** `ref = value` without regard to case, in the form the engine's case-insensitive index serves. */
export function equalsIgnoringCase(db: Db, ref: string, value: string): RawBuilder<boolean> {
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`lower(${sql.ref(ref)}) = lower(${value})`
    : sql<boolean>`${sql.ref(ref)} COLLATE NOCASE = ${value}`;
}

/** The expression of a column read without case, matching the engine's case-insensitive index. */
export function withoutCase(db: Db, ref: string): RawBuilder<string> {
  return dialectOf(db) === 'postgres' ? sql<string>`lower(${sql.ref(ref)})` : sql<string>`${sql.ref(ref)} COLLATE NOCASE`;
}

/** A value compared with `withoutCase`: lower-cased on PostgreSQL, as is on SQLite (NOCASE folds it). */
export function caseFolded(db: Db, value: string): string {
  return dialectOf(db) === 'postgres' ? value.toLowerCase() : value;
}

/** The last `n` characters of a text column (the phone's last digits), as the engine's index is written. */
export function lastChars(db: Db, ref: string, n: number): RawBuilder<string> {
  return dialectOf(db) === 'postgres' ? sql<string>`right(${sql.ref(ref)}, ${sql.lit(n)})` : sql<string>`substr(${sql.ref(ref)}, ${sql.lit(-n)})`;
}

/** An integer expression (a sum, a count) cast so both engines hand back a whole number. */
export function asInteger<T>(expr: Expression<T>): RawBuilder<number> {
  return sql<number>`CAST(${expr} AS BIGINT)`;
}

/**
 * Test-only switch that turns the customer row lock off, to show that the concurrency tests catch
 * double-applied money without it. Never set in the app.
 */
let customerLocksEnabled = process.env.AR_DESK_TEST_NO_CUSTOMER_LOCK !== '1';

export function setCustomerLocksForTests(enabled: boolean): void {
  customerLocksEnabled = enabled;
}

/**
 * Takes the customer's row lock first in a money command's transaction on PostgreSQL, so two
 * workstations never apply the same invoice's money at once: the second waits for the first to
 * commit and then reads what it wrote. On SQLite the single writer already serialises them.
 */
export async function lockCustomer(trx: Transaction<DB>, customerId: number): Promise<void> {
  if (dialectOf(trx) !== 'postgres' || !customerLocksEnabled) return;
  await trx.selectFrom('customers').select('id').where('id', '=', customerId).forUpdate().execute();
}

/** Several customers' row locks, always in id order so two commands never wait on each other. */
export async function lockCustomers(trx: Transaction<DB>, customerIds: readonly number[]): Promise<void> {
  if (dialectOf(trx) !== 'postgres' || !customerLocksEnabled || customerIds.length === 0) return;
  const ids = [...new Set(customerIds)].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += 5000) {
    await trx
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 5000))
      .orderBy('id')
      .forUpdate()
      .execute();
  }
}

/** PostgreSQL's serialization failure and deadlock: the transaction did nothing and may run again. */
export function isRetryableConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in one transaction; on PostgreSQL a serialization failure or deadlock rolls it back
 * and runs it again, a bounded number of times, after a short random pause. The callback must
 * therefore do nothing outside the database that cannot be repeated.
 */
export async function writeTx<T>(db: Db, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (e) {
      if (!isRetryableConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/**
 * Runs the reads of `fn` on one snapshot of the ledger: on PostgreSQL a REPEATABLE READ, READ ONLY
 * transaction (each statement of a READ COMMITTED one would see the ledger as of its own start;
 * a read-only one at this level is never refused for a conflict), on SQLite a deferred
 * transaction, whose first read fixes what the rest see.
 */
export async function readTx<T>(db: Db, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'postgres') return db.transaction().execute(fn);
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
}
