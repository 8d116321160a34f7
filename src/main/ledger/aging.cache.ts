import { sql } from 'kysely';
import type { Db } from '../db/types';

/**
 * The aging screen's rows, computed once per as-of date, basis and ledger version and kept in main,
 * so sorting, filtering and scrolling a 32,000-customer report cuts a kept array instead of asking
 * the database again.
 *
 * The version is read on every use (a few index reads): the newest change-log id and invoice id, and
 * how many rows sit among the last 1,000 ids of each. Invoices are counted apart because an invoice's
 * INSERT writes no change-log row (imports and the billing run write thousands at once). The counts
 * catch, on PostgreSQL, a transaction that took its ids early and committed after a later one, which
 * leaves the newest id unchanged. Whatever the version misses, the change feed's observer (core.ts)
 * still clears the cache when the feed hears of it.
 */
export async function ledgerVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ c: number | null; cn: number; i: number | null; inn: number }>`
    SELECT (SELECT max(id) FROM change_log) AS c,
      (SELECT count(*) FROM change_log WHERE id > (SELECT coalesce(max(id), 0) FROM change_log) - 1000) AS cn,
      (SELECT max(id) FROM invoices) AS i,
      (SELECT count(*) FROM invoices WHERE id > (SELECT coalesce(max(id), 0) FROM invoices) - 1000) AS inn`.execute(db);
  const v = rows[0]!;
  return `${Number(v.c ?? 0)}.${Number(v.cn)}.${Number(v.i ?? 0)}.${Number(v.inn)}`;
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
