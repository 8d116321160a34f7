/**
 * The collections worklist's rows: past-due accounts (an open, undisputed invoice due before the
 * date), most days past due first, then the largest amount. Grouped, filtered, ordered and cut to a
 * window in the database, with the total counted the same way, so it serves 50,000 customers.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/types';
import { invoiceOpenCentsSql } from '../ledger/balances.repo';

export interface WorklistFilter {
  asOf: string;
  /** A username, or '' for the accounts nobody is assigned. */
  assignedTo?: string | undefined;
  level?: number | undefined;
  minCents?: number | undefined;
}

export interface WorklistRow {
  customer_id: number;
  customer_number: string;
  legal_name: string;
  phone: string | null;
  oldest_due: string;
  past_due_cents: number;
  invoices: number;
  level: number;
  assigned_to: string | null;
  no_follow_up: number | null;
  suspended_on: string | null;
}

function pastDueAccounts(asOf: string): RawBuilder<unknown> {
  return sql`WITH pd AS (
      SELECT i.customer_id, min(i.due_date) AS oldest_due,
             CAST(sum(${invoiceOpenCentsSql}) AS BIGINT) AS past_due_cents, CAST(count(*) AS BIGINT) AS invoices
        FROM invoices i
       WHERE i.status = 'open' AND i.disputed = 0 AND i.due_date < ${asOf}
       GROUP BY i.customer_id
    ), lv AS (
      SELECT i.customer_id, max(ni.level) AS level
        FROM dunning_notice_invoices ni JOIN invoices i ON i.id = ni.invoice_id
       WHERE i.status = 'open' AND i.disputed = 0 AND i.due_date < ${asOf}
       GROUP BY i.customer_id
    ), w AS (
      SELECT c.id AS customer_id, c.customer_number, c.legal_name, c.phone, pd.oldest_due, pd.past_due_cents, pd.invoices,
             coalesce(lv.level, 0) AS level, cc.assigned_to, cc.no_follow_up, cc.suspended_on
        FROM pd JOIN customers c ON c.id = pd.customer_id
        LEFT JOIN lv ON lv.customer_id = pd.customer_id
        LEFT JOIN customer_collections cc ON cc.customer_id = pd.customer_id
       WHERE pd.past_due_cents > 0
    )`;
}

function filterOf(f: WorklistFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (f.assignedTo !== undefined) parts.push(f.assignedTo === '' ? sql`w.assigned_to IS NULL` : sql`w.assigned_to = ${f.assignedTo}`);
  if (f.level !== undefined) parts.push(sql`w.level = ${f.level}`);
  if (f.minCents !== undefined) parts.push(sql`w.past_due_cents >= ${f.minCents}`);
  return sql.join(parts, sql` AND `);
}

export async function worklistWindow(db: Db, f: WorklistFilter, window: { limit: number; offset: number }): Promise<{ total: number; rows: WorklistRow[] }> {
  const where = filterOf(f);
  const counted = await sql<{ n: number }>`${pastDueAccounts(f.asOf)} SELECT CAST(count(*) AS BIGINT) AS n FROM w WHERE ${where}`.execute(db);
  const rows = await sql<WorklistRow>`${pastDueAccounts(f.asOf)}
    SELECT * FROM w WHERE ${where}
     ORDER BY w.oldest_due, w.past_due_cents DESC, w.customer_number
     LIMIT ${window.limit} OFFSET ${window.offset}`.execute(db);
  return {
    total: Number(counted.rows[0]?.n ?? 0),
    rows: rows.rows.map((r) => ({ ...r, customer_id: Number(r.customer_id), past_due_cents: Number(r.past_due_cents), invoices: Number(r.invoices), level: Number(r.level) })),
  };
}

/** The newest note of each account, and the promises to pay whose date has not passed. */
export async function contactsOf(db: Db, customerIds: readonly number[], asOf: string) {
  const notes = await db
    .selectFrom('account_notes')
    .select(['id', 'customer_id', 'kind', 'body', 'created_at', 'created_on', 'created_by', 'promised_on', 'promised_cents'])
    .where('customer_id', 'in', customerIds.length === 0 ? [0] : [...customerIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const latest = new Map<number, (typeof notes)[number]>();
  for (const n of notes) if (!latest.has(n.customer_id)) latest.set(n.customer_id, n);
  const promises = notes.filter((n) => n.kind === 'promise' && n.promised_on !== null && n.promised_on >= asOf);
  return { latest, promises, calls: notes.filter((n) => n.kind === 'call') };
}

/** The newest notice of each account at the level the worklist shows. */
export async function latestNoticesOf(db: Db, customerIds: readonly number[]) {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('dunning_notices')
    .select(['id', 'customer_id', 'level', 'action', 'sent_on'])
    .where('customer_id', 'in', [...customerIds])
    .orderBy('id', 'desc')
    .execute();
}
