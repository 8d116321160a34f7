import type Database from 'better-sqlite3';
import type { AgingBasisKey, AgingCustomerRow, AgingReport } from '../src/shared/contract/aging';

/**
 * The whole aging report as ONE hand-written SQLite query run straight through better-sqlite3:
 * the yardstick the Kysely report is timed against, and an independent spelling of the same
 * rules (ages by julianday arithmetic instead of precomputed bucket dates) that tests compare
 * with it cent for cent.
 */
export const HAND_WRITTEN_AGING_SQL = `
WITH candidate AS MATERIALIZED (
  SELECT i.id, i.customer_id, i.issue_date, i.due_date, i.disputed, i.total_cents
  FROM invoices i
  WHERE i.status = 'open' AND i.issue_date <= :as_of
  UNION ALL
  -- paid now, but money arrived after the as-of date, so something was open then
  SELECT i.id, i.customer_id, i.issue_date, i.due_date, i.disputed, i.total_cents
  FROM (SELECT invoice_id FROM applications INDEXED BY applications_applied_on
        WHERE applied_on > :as_of GROUP BY invoice_id) late
  JOIN invoices i ON i.id = late.invoice_id
  WHERE +i.status = 'paid' AND i.issue_date <= :as_of
),
with_open AS MATERIALIZED (
  SELECT c.customer_id, c.disputed,
    julianday(:as_of) - julianday(CASE :basis WHEN 'invoice' THEN c.issue_date ELSE c.due_date END) AS age,
    c.total_cents - coalesce(
      (SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = c.id AND a.applied_on <= :as_of), 0) AS open_cents
  FROM candidate c
),
inv AS MATERIALIZED (
  SELECT customer_id,
    sum(CASE WHEN age <= 0 THEN open_cents ELSE 0 END) AS current,
    sum(CASE WHEN age BETWEEN 1 AND 30 THEN open_cents ELSE 0 END) AS days_1_30,
    sum(CASE WHEN age BETWEEN 31 AND 60 THEN open_cents ELSE 0 END) AS days_31_60,
    sum(CASE WHEN age BETWEEN 61 AND 90 THEN open_cents ELSE 0 END) AS days_61_90,
    sum(CASE WHEN age > 90 THEN open_cents ELSE 0 END) AS days_over_90,
    sum(open_cents) AS total,
    sum(CASE WHEN disputed = 1 THEN open_cents ELSE 0 END) AS disputed_cents
  FROM with_open
  WHERE open_cents <> 0
  GROUP BY customer_id
),
cred AS MATERIALIZED (
  SELECT customer_id, sum(left_cents) AS unapplied
  FROM (
    SELECT m.customer_id, m.amount_cents - coalesce(
      (SELECT sum(a.amount_cents) FROM applications a WHERE a.credit_id = m.id AND a.applied_on <= :as_of), 0) AS left_cents
    FROM credit_memos m
    WHERE m.issue_date <= :as_of
  )
  GROUP BY customer_id
)
SELECT cu.customer_number, cu.legal_name,
  coalesce(inv.current, 0) AS current,
  coalesce(inv.days_1_30, 0) AS days_1_30,
  coalesce(inv.days_31_60, 0) AS days_31_60,
  coalesce(inv.days_61_90, 0) AS days_61_90,
  coalesce(inv.days_over_90, 0) AS days_over_90,
  coalesce(inv.total, 0) AS total,
  coalesce(cred.unapplied, 0) AS unapplied_credits_cents,
  coalesce(inv.disputed_cents, 0) AS disputed_cents
FROM (SELECT customer_id FROM inv UNION SELECT customer_id FROM cred WHERE unapplied <> 0) k
JOIN customers cu ON cu.id = k.customer_id
LEFT JOIN inv ON inv.customer_id = k.customer_id
LEFT JOIN cred ON cred.customer_id = k.customer_id
WHERE coalesce(inv.total, 0) <> 0 OR coalesce(cred.unapplied, 0) <> 0
ORDER BY cu.customer_number
`;

/**
 * The same query for PostgreSQL, differing in dialect only: date subtraction for julianday, numbered
 * parameters, no INDEXED BY or unary-plus hints (the planner is left to choose), and an alias for
 * the subquery in FROM, which PostgreSQL 15 requires.
 */
export const HAND_WRITTEN_AGING_SQL_POSTGRES = `
WITH candidate AS MATERIALIZED (
  SELECT i.id, i.customer_id, i.issue_date, i.due_date, i.disputed, i.total_cents
  FROM invoices i
  WHERE i.status = 'open' AND i.issue_date <= $1
  UNION ALL
  -- paid now, but money arrived after the as-of date, so something was open then
  SELECT i.id, i.customer_id, i.issue_date, i.due_date, i.disputed, i.total_cents
  FROM (SELECT invoice_id FROM applications WHERE applied_on > $1 GROUP BY invoice_id) late
  JOIN invoices i ON i.id = late.invoice_id
  WHERE i.status = 'paid' AND i.issue_date <= $1
),
with_open AS MATERIALIZED (
  SELECT c.customer_id, c.disputed,
    $1::text::date - (CASE $2 WHEN 'invoice' THEN c.issue_date ELSE c.due_date END)::date AS age,
    c.total_cents - coalesce(
      (SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = c.id AND a.applied_on <= $1), 0) AS open_cents
  FROM candidate c
),
inv AS MATERIALIZED (
  SELECT customer_id,
    sum(CASE WHEN age <= 0 THEN open_cents ELSE 0 END) AS current,
    sum(CASE WHEN age BETWEEN 1 AND 30 THEN open_cents ELSE 0 END) AS days_1_30,
    sum(CASE WHEN age BETWEEN 31 AND 60 THEN open_cents ELSE 0 END) AS days_31_60,
    sum(CASE WHEN age BETWEEN 61 AND 90 THEN open_cents ELSE 0 END) AS days_61_90,
    sum(CASE WHEN age > 90 THEN open_cents ELSE 0 END) AS days_over_90,
    sum(open_cents) AS total,
    sum(CASE WHEN disputed = 1 THEN open_cents ELSE 0 END) AS disputed_cents
  FROM with_open
  WHERE open_cents <> 0
  GROUP BY customer_id
),
cred AS MATERIALIZED (
  SELECT customer_id, sum(left_cents) AS unapplied
  FROM (
    SELECT m.customer_id, m.amount_cents - coalesce(
      (SELECT sum(a.amount_cents) FROM applications a WHERE a.credit_id = m.id AND a.applied_on <= $1), 0) AS left_cents
    FROM credit_memos m
    WHERE m.issue_date <= $1
  ) left_per_memo
  GROUP BY customer_id
)
SELECT cu.customer_number, cu.legal_name,
  coalesce(inv.current, 0) AS current,
  coalesce(inv.days_1_30, 0) AS days_1_30,
  coalesce(inv.days_31_60, 0) AS days_31_60,
  coalesce(inv.days_61_90, 0) AS days_61_90,
  coalesce(inv.days_over_90, 0) AS days_over_90,
  coalesce(inv.total, 0) AS total,
  coalesce(cred.unapplied, 0) AS unapplied_credits_cents,
  coalesce(inv.disputed_cents, 0) AS disputed_cents
FROM (SELECT customer_id FROM inv UNION SELECT customer_id FROM cred WHERE unapplied <> 0) k
JOIN customers cu ON cu.id = k.customer_id
LEFT JOIN inv ON inv.customer_id = k.customer_id
LEFT JOIN cred ON cred.customer_id = k.customer_id
WHERE coalesce(inv.total, 0) <> 0 OR coalesce(cred.unapplied, 0) <> 0
ORDER BY cu.customer_number
`;

function withTotals(asOf: string, basis: AgingBasisKey, customers: AgingCustomerRow[]): AgingReport {
  const totals = { current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: 0, unapplied_credits_cents: 0 };
  for (const c of customers) {
    totals.current += c.current;
    totals.days_1_30 += c.days_1_30;
    totals.days_31_60 += c.days_31_60;
    totals.days_61_90 += c.days_61_90;
    totals.days_over_90 += c.days_over_90;
    totals.total += c.total;
    totals.unapplied_credits_cents += c.unapplied_credits_cents;
  }
  return { asOf, basis, totals, customers };
}

export function handWrittenAgingReport(sqlite: Database.Database, asOf: string, basis: AgingBasisKey): AgingReport {
  return withTotals(asOf, basis, sqlite.prepare(HAND_WRITTEN_AGING_SQL).all({ as_of: asOf, basis }) as AgingCustomerRow[]);
}

/**
 * The PostgreSQL query through a plain `pg` client (or anything that runs a query with numbered
 * parameters the same way), whose type parsers must be the ledger's (ledgerTypes of
 * src/main/db/postgres.ts) so sums come back as numbers.
 */
export async function handWrittenAgingReportPostgres(
  client: { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> },
  asOf: string,
  basis: AgingBasisKey,
): Promise<AgingReport> {
  const result = await client.query(HAND_WRITTEN_AGING_SQL_POSTGRES, [asOf, basis]);
  return withTotals(asOf, basis, result.rows as AgingCustomerRow[]);
}
