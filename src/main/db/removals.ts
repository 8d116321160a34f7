/**
 * Every row a workstation removes, and the only place in the app that deletes: none is money or
 * history. On PostgreSQL the workstations' role has no DELETE right at all; each removal is a
 * function the ledger's owner made (migrations/postgres/2026_12_07_0002_owner_removals.ts) that
 * does that one thing and that `server prepare` lets the role call. A SQLite file has no roles, so
 * the same rows are deleted directly, in the caller's transaction either way.
 */
import { sql } from 'kysely';
import { dialectOf } from './dialect';
import type { Db, Tx } from './types';

async function ownerFunction(db: Db, call: ReturnType<typeof sql<number>>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT ${call} AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** A customer's lookup words, before the words of a changed name, contact or email are written. */
export async function clearNameWords(trx: Tx, customerId: number): Promise<number> {
  if (dialectOf(trx) === 'postgres') return ownerFunction(trx, sql<number>`ar_desk_clear_name_words(${customerId}::bigint)`);
  const r = await trx.deleteFrom('customer_name_words').where('customer_id', '=', customerId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Live-update rows older than `keepHours`; the newest row always stays, so SQLite (whose ids are max + 1) never hands an id out twice. */
export async function pruneChangeRows(db: Db, keepHours: number): Promise<number> {
  if (dialectOf(db) === 'postgres') return ownerFunction(db, sql<number>`ar_desk_prune_changes(${keepHours}::integer)`);
  const r = await db
    .deleteFrom('change_log')
    .where('at', '<', sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`-${keepHours} hours`})`)
    .where('id', '<', (eb) => eb.selectFrom('change_log').select((e) => e.fn.max('id').as('m')))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The follow-up levels, before an administrator's new set is written whole (notices keep their level's number and action). */
export async function clearDunningLevels(trx: Tx): Promise<number> {
  if (dialectOf(trx) === 'postgres') return ownerFunction(trx, sql<number>`ar_desk_clear_dunning_levels()`);
  const r = await trx.deleteFrom('dunning_levels').executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** An item taken out of a deposit batch; the batch's trigger refuses it once the batch is closed. */
export async function removeDepositItem(trx: Tx, depositId: number, itemId: number): Promise<number> {
  if (dialectOf(trx) === 'postgres') return ownerFunction(trx, sql<number>`ar_desk_remove_deposit_item(${depositId}::bigint, ${itemId}::bigint)`);
  const r = await trx.deleteFrom('deposit_items').where('id', '=', itemId).where('deposit_id', '=', depositId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * An import's busy announcement (a `counters` row), once the import is over. SQLite takes the row
 * away, leaving the file as it was before the import; PostgreSQL's workstations delete nothing, so
 * there its time goes back to 0, long past, which reads as no import under way.
 */
export async function endImportAnnouncement(db: Db, name: string): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`UPDATE counters SET value = 0 WHERE name = ${name}`.execute(db);
  else await db.deleteFrom('counters').where('name', '=', name).execute();
}
