import { sql } from 'kysely';
import { CHANGES_CHANNEL } from './migrations/postgres/2026_12_01_0005_office_ledger';
import { dialectOf } from './dialect';
import { pruneChangeRows } from './removals';
import type { Db, Tx } from './types';

/**
 * The change log (migration 2026_12_01_0005_office_ledger): one row per change to an account's
 * money or details, written by triggers, read by every workstation's change feed
 * (ledger/changes.ts) to refresh its open screens. It is not a money table: old rows are pruned.
 */

export { CHANGES_CHANNEL };

export interface ChangeRow {
  id: number;
  entity: string;
  entityId: number;
  customerId: number | null;
}

/** The time the triggers write, in the engine's own words, so `at` compares as one kind of text. */
const nowText = (db: Db) =>
  dialectOf(db) === 'postgres'
    ? sql<string>`to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * Notes a change the triggers do not see (an import's many invoice INSERTs have none, nor, paused, its
 * payments' and applications'), inside the writing transaction; on PostgreSQL it is announced like
 * the triggers' rows, at commit.
 */
export async function noteChange(trx: Tx, change: { entity: string; entityId: number; customerId: number | null }): Promise<void> {
  const row = await trx
    .insertInto('change_log')
    .values({ at: nowText(trx), entity: change.entity, entity_id: change.entityId, customer_id: change.customerId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (dialectOf(trx) === 'postgres') await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${String(row.id)})`.execute(trx);
}

const IMPORT_WRITING = 'import.writing';

/**
 * Marks the writing transaction as an import (migration 2026_12_08_0001_import_row_changes): until
 * resumeRowChanges, or the transaction's end, the payments and applications it inserts add no change
 * row each; the import notes one change for its whole file instead. SQLite: the `import.writing`
 * counter at 1, written inside the transaction, so no other connection sees it. PostgreSQL: a
 * setting local to the transaction.
 */
export async function pauseRowChanges(trx: Tx): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT set_config('ar_desk.importing', 'on', true)`.execute(trx);
  else await sql`INSERT INTO counters (name, value) VALUES (${IMPORT_WRITING}, 1) ON CONFLICT (name) DO UPDATE SET value = 1`.execute(trx);
}

/** Ends pauseRowChanges inside the same transaction: later INSERTs are noted row by row again. */
export async function resumeRowChanges(trx: Tx): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT set_config('ar_desk.importing', 'off', true)`.execute(trx);
  else await sql`UPDATE counters SET value = 0 WHERE name = ${IMPORT_WRITING}`.execute(trx);
}

/** The newest change's id, 0 for an empty log. */
export async function latestChangeId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('change_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The ids among the newest `count` changes, oldest first: where a feed that starts looks for ids still to come. */
export async function recentChangeIds(db: Db, count: number): Promise<number[]> {
  const rows = await db.selectFrom('change_log').select('id').orderBy('id', 'desc').limit(count).execute();
  return rows.map((r) => Number(r.id)).reverse();
}

const columns = ['id', 'entity', 'entity_id as entityId', 'customer_id as customerId'] as const;

/** Changes after `afterId`, oldest first, at most `limit` (a range on the primary key). */
export async function changesAfter(db: Db, afterId: number, limit: number): Promise<ChangeRow[]> {
  return db.selectFrom('change_log').select(columns).where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/** The changes with these ids that exist by now. */
export async function changesWithIds(db: Db, ids: readonly number[]): Promise<ChangeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('change_log').select(columns).where('id', 'in', [...ids]).orderBy('id').execute();
}

/** Deletes changes older than `keepHours`, keeping the newest (db/removals.ts). Returns how many went. */
export async function pruneChanges(db: Db, keepHours: number): Promise<number> {
  return pruneChangeRows(db, keepHours);
}
