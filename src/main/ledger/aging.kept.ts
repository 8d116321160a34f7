import { sql } from 'kysely';
import type { Db } from '../db/types';
import type { LedgerChangeBatch } from '../../shared/changes';

/**
 * The aging screen's rows, kept in main per as-of date and basis and brought up to date by
 * recomputing only the customers that changed since, so reopening the screen after a payment costs
 * a few customers' queries instead of the whole ledger's.
 *
 * What changed is read from the ledger itself: the change-log rows (every money or account write,
 * here or at another workstation, names its customer) and the invoices (an INSERT writes no
 * change-log row) with ids above the ones the rows were computed at. Anything that cannot be put
 * down to customers makes the whole set be computed again: a change-log row without a customer
 * (an import), more changed customers than is worth patching, or the sum of the newest ids below
 * the known maximum having moved — on PostgreSQL a transaction can take its ids early and commit
 * after a later one, which leaves the maximum unchanged. The change feed's notices (core.ts) mark
 * customers too, and one without customers clears everything.
 */

/** The ledger's position: newest ids and the sums of the newest 1,000 ids, of change_log and invoices. */
export interface LedgerPosition {
  changeMax: number;
  changeSum: string;
  invoiceMax: number;
  invoiceSum: string;
}

const RECENT = 1_000;
/** Above this many changed customers the whole set is computed again (one pass beats many small ones). */
export const MAX_PATCHED_CUSTOMERS = 300;

/** The sum of the newest RECENT ids of `table`, or of those at or below `below`: a subquery. */
const recentIdSum = (table: 'change_log' | 'invoices', below?: number) =>
  sql<number | string | null>`(SELECT sum(id) FROM (SELECT id FROM ${sql.table(table)}${below === undefined ? sql`` : sql` WHERE id <= ${below}`} ORDER BY id DESC LIMIT ${sql.lit(RECENT)}) AS recent_ids)`;

export async function ledgerPosition(db: Db): Promise<LedgerPosition> {
  const { rows } = await sql<{ c: number | string | null; cn: number | string | null; i: number | string | null; inn: number | string | null }>`
    SELECT (SELECT max(id) FROM change_log) AS c, ${recentIdSum('change_log')} AS cn,
      (SELECT max(id) FROM invoices) AS i, ${recentIdSum('invoices')} AS inn`.execute(db);
  const v = rows[0]!;
  return { changeMax: Number(v.c ?? 0), changeSum: String(v.cn ?? 0), invoiceMax: Number(v.i ?? 0), invoiceSum: String(v.inn ?? 0) };
}

const samePosition = (a: LedgerPosition, b: LedgerPosition) =>
  a.changeMax === b.changeMax && a.changeSum === b.changeSum && a.invoiceMax === b.invoiceMax && a.invoiceSum === b.invoiceSum;

/**
 * The customers changed since `from`, or null when that cannot be told (rows without a customer,
 * too many customers, or ids committed late below `from`'s maxima).
 */
async function changedSince(db: Db, from: LedgerPosition, now: LedgerPosition): Promise<Set<number> | null> {
  if (now.changeMax < from.changeMax || now.invoiceMax < from.invoiceMax) return null;
  const { rows: late } = await sql<{ cn: number | string | null; inn: number | string | null }>`
    SELECT ${recentIdSum('change_log', from.changeMax)} AS cn, ${recentIdSum('invoices', from.invoiceMax)} AS inn`.execute(db);
  if (String(late[0]!.cn ?? 0) !== from.changeSum || String(late[0]!.inn ?? 0) !== from.invoiceSum) return null;
  const limit = MAX_PATCHED_CUSTOMERS + 1;
  const changes = await db
    .selectFrom('change_log')
    .where('id', '>', from.changeMax)
    .where('id', '<=', now.changeMax)
    .select('customer_id')
    .distinct()
    .limit(limit)
    .execute();
  if (changes.some((c) => c.customer_id === null)) return null;
  const invoices = await db
    .selectFrom('invoices')
    .where('id', '>', from.invoiceMax)
    .where('id', '<=', now.invoiceMax)
    .select('customer_id')
    .distinct()
    .limit(limit)
    .execute();
  const ids = new Set<number>([...changes.map((c) => c.customer_id!), ...invoices.map((i) => i.customer_id)]);
  return ids.size > MAX_PATCHED_CUSTOMERS ? null : ids;
}

export interface KeptRows<T> {
  /**
   * The value for `key`, up to date with the ledger: kept, patched, or made anew. `background`: no
   * one waits for it (the warm-up), so a whole value is made the way that holds up no one else.
   */
  get(key: string, options?: { background?: boolean }): Promise<T>;
  /** The change feed heard of a change: its customers are patched at the next use, or everything is made anew. */
  noteChanges(batch: LedgerChangeBatch): void;
  /** Forgets every kept value. */
  clear(): void;
  /** How the values were brought up to date so far (for the benchmark and tests). */
  counts(): { made: number; patched: number; kept: number };
}

export interface KeptRowsSource<T> {
  /** The whole value for `key`; `background` as KeptRows.get's. */
  make(key: string, background: boolean): Promise<T>;
  /** `value` with `customerIds` computed again. */
  patch(key: string, value: T, customerIds: ReadonlySet<number>): Promise<T>;
}

interface Entry<T> {
  position: LedgerPosition;
  value: T;
  /** Customers the change feed named since the value was made or patched. */
  marked: Set<number>;
}

/** Keeps the values of the last few keys; one bring-up-to-date at a time per key. */
export function keptRows<T>(db: Db, source: KeptRowsSource<T>, keep = 4): KeptRows<T> {
  const entries = new Map<string, Entry<T>>();
  const busy = new Map<string, Promise<T>>();
  let generation = 0;
  const counts = { made: 0, patched: 0, kept: 0 };

  async function refresh(key: string, background: boolean): Promise<T> {
    const asked = generation;
    const now = await ledgerPosition(db);
    const known = entries.get(key);
    let value: T;
    let marked = new Set<number>();
    if (known && samePosition(known.position, now) && known.marked.size === 0) {
      counts.kept++;
      value = known.value;
      marked = known.marked;
    } else {
      const changed = known ? await changedSince(db, known.position, now) : null;
      if (known && changed) {
        // Marks arriving while the patch runs stay for the next use.
        const patchNow = new Set([...changed, ...known.marked]);
        known.marked = new Set();
        value = patchNow.size === 0 ? known.value : await source.patch(key, known.value, patchNow);
        counts.patched++;
        marked = known.marked;
      } else {
        value = await source.make(key, background);
        counts.made++;
      }
    }
    if (asked === generation) {
      entries.delete(key);
      entries.set(key, { position: now, value, marked });
      while (entries.size > keep) entries.delete(entries.keys().next().value!);
    }
    return value;
  }

  function get(key: string, options: { background?: boolean } = {}): Promise<T> {
    const going = busy.get(key);
    if (going) return going.catch(() => undefined).then(() => get(key, options));
    const run = refresh(key, options.background ?? false).finally(() => busy.delete(key));
    busy.set(key, run);
    return run;
  }

  return {
    get,
    noteChanges(batch) {
      if (batch.customerIds.length === 0) {
        generation++;
        entries.clear();
        return;
      }
      for (const e of entries.values()) for (const id of batch.customerIds) e.marked.add(id);
    },
    clear() {
      generation++;
      entries.clear();
    },
    counts: () => ({ ...counts }),
  };
}
