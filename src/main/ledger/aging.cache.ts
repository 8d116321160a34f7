import { sql } from 'kysely';
import type { Db } from '../db/types';

/**
 * The aging screen's rows, computed once per as-of date, basis and ledger version and kept in main,
 * so sorting, filtering and scrolling a 32,000-customer report cuts a kept array instead of asking
 * the database again.
 *
 * The version is read on every use (a few index reads): the newest change-log id and invoice id, and
 * the sum of the last 1,000 ids of each. Invoices are read apart because an invoice's INSERT writes no
 * change-log row (imports and the billing run write thousands at once). The sums catch, on
 * PostgreSQL, a transaction that took its ids early and committed after a later one, which leaves
 * the newest id unchanged. (A LIMIT, not a range of ids: PostgreSQL's planner cannot size a range
 * below max(id) and would start parallel workers for it.) Whatever the version misses, the change
 * feed's observer (core.ts) still clears the cache when the feed hears of it.
 */
export async function ledgerVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ c: number | null; cn: number | string | null; i: number | null; inn: number | string | null }>`
    SELECT (SELECT max(id) FROM change_log) AS c,
      (SELECT sum(id) FROM (SELECT id FROM change_log ORDER BY id DESC LIMIT 1000) AS recent_changes) AS cn,
      (SELECT max(id) FROM invoices) AS i,
      (SELECT sum(id) FROM (SELECT id FROM invoices ORDER BY id DESC LIMIT 1000) AS recent_invoices) AS inn`.execute(db);
  const v = rows[0]!;
  return `${String(v.c ?? 0)}.${String(v.cn ?? 0)}.${String(v.i ?? 0)}.${String(v.inn ?? 0)}`;
}

export interface VersionedCache<T> {
  /** The value for `key` at the ledger's current version: kept, or made (once, however many ask at the same time). */
  get(key: string, make: () => Promise<T>): Promise<T>;
  /** Forgets every kept value (the change feed heard of a change). */
  clear(): void;
}

/** Keeps the values of the last few keys, each with the ledger version it was made at. */
export function versionedCache<T>(db: Db, keep = 4): VersionedCache<T> {
  const entries = new Map<string, { version: string; value: Promise<T> }>();
  let generation = 0;
  return {
    async get(key, make) {
      const asked = generation;
      const version = await ledgerVersion(db);
      const known = entries.get(key);
      if (known && known.version === version) {
        // Most recently used last, so the oldest key is the one dropped.
        entries.delete(key);
        entries.set(key, known);
        return known.value;
      }
      const value = make();
      if (asked === generation) {
        entries.delete(key);
        entries.set(key, { version, value });
        while (entries.size > keep) entries.delete(entries.keys().next().value!);
        // A failure is not kept: the next call tries again.
        value.catch(() => {
          if (entries.get(key)?.value === value) entries.delete(key);
        });
      }
      return value;
    },
    clear() {
      generation++;
      entries.clear();
    },
  };
}
