import { sql } from 'kysely';
import type { Db } from '../db/types';
import type { PaymentsReportWriteOff } from '../../shared/contract/reports';
import type { PaymentsReportGroup, PaymentsReportLineRow } from './report.rules';

/**
 * The payments report's reads. Money taken is a payment captured (still captured, or voided later)
 * on its received_on; a void or refund counts on its own business date (posted_on) once the gateway
 * completed it. Credit-only payments moved no money and are left out, with their reversals.
 */

/**
 * The method a payment is reported under: a wire or a bank transfer is stored as kind bank (its money
 * reaches the same account as a bank debit) but is a way of paying of its own, told by received_via.
 */
const methodKind = sql`CASE WHEN p.received_via IN ('wire', 'transfer') THEN p.received_via ELSE p.kind END`;
const cardBrand = sql`CASE WHEN p.kind = 'card' THEN p.method_brand END`;

/**
 * Counts and sums by event, method and clerk for business dates from..to inclusive, in one pass of
 * SQL aggregation over the range's rows (payments_received_on, payment_reversals_posted_on); the
 * report's totals by method and by clerk are rolled up from these few groups.
 */
export async function paymentsReportGroups(db: Db, from: string, to: string): Promise<PaymentsReportGroup[]> {
  const r = await sql<PaymentsReportGroup>`
    SELECT 'payment' AS event, ${methodKind} AS kind, ${cardBrand} AS brand, p.created_by AS clerk,
           CAST(count(*) AS BIGINT) AS count, CAST(sum(p.amount_cents) AS BIGINT) AS cents
      FROM payments p
     WHERE p.received_on >= ${from} AND p.received_on <= ${to}
       AND p.status IN ('captured', 'voided') AND p.kind <> 'credit_only'
     GROUP BY ${methodKind}, ${cardBrand}, p.created_by
    UNION ALL
    SELECT r.kind AS event, ${methodKind} AS kind, ${cardBrand} AS brand, r.created_by AS clerk,
           CAST(count(*) AS BIGINT) AS count, CAST(sum(r.amount_cents) AS BIGINT) AS cents
      FROM payment_reversals r
      JOIN payments p ON p.id = r.payment_id
     WHERE r.posted_on >= ${from} AND r.posted_on <= ${to}
       AND r.status = 'completed' AND p.kind <> 'credit_only'
     GROUP BY r.kind, ${methodKind}, ${cardBrand}, r.created_by`.execute(db);
  return r.rows.map((g) => ({ ...g, count: Number(g.count), cents: Number(g.cents) }));
}

/** The range's payments and completed voids and refunds, by business date and time; `limit` lines at most when given. */
export async function paymentsReportLines(db: Db, from: string, to: string, limit?: number): Promise<PaymentsReportLineRow[]> {
  const r = await sql<PaymentsReportLineRow & { at: string }>`
    SELECT * FROM (
      SELECT p.received_on AS business_date, 'payment' AS event, p.id AS payment_id, CAST(NULL AS BIGINT) AS reversal_id,
             p.confirmation_number AS confirmation_number, c.customer_number AS customer_number, c.legal_name AS legal_name,
             ${methodKind} AS kind, p.method_brand AS brand, p.method_last4 AS last4, p.created_by AS clerk,
             p.amount_cents AS amount_cents, p.status AS note, p.created_at AS at
        FROM payments p JOIN customers c ON c.id = p.customer_id
       WHERE p.received_on >= ${from} AND p.received_on <= ${to}
         AND p.status IN ('captured', 'voided') AND p.kind <> 'credit_only'
      UNION ALL
      SELECT r.posted_on, r.kind, p.id, r.id, p.confirmation_number, c.customer_number, c.legal_name,
             ${methodKind}, p.method_brand, p.method_last4, r.created_by, -r.amount_cents, r.reason, r.created_at
        FROM payment_reversals r JOIN payments p ON p.id = r.payment_id JOIN customers c ON c.id = p.customer_id
       WHERE r.posted_on >= ${from} AND r.posted_on <= ${to}
         AND r.status = 'completed' AND p.kind <> 'credit_only'
    ) lines
    ORDER BY business_date, at, payment_id, COALESCE(reversal_id, 0)
    ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`.execute(db);
  return r.rows.map(({ at: _at, ...line }) => ({
    ...line,
    payment_id: Number(line.payment_id),
    reversal_id: line.reversal_id === null ? null : Number(line.reversal_id),
    amount_cents: Number(line.amount_cents),
  }));
}

/** The write-offs of business dates from..to, by date and time: balances let go, not money (write_offs_customer has no date; a range holds few). */
export async function writeOffsReportLines(db: Db, from: string, to: string): Promise<PaymentsReportWriteOff[]> {
  const rows = await db
    .selectFrom('write_offs as w')
    .innerJoin('invoices as i', 'i.id', 'w.invoice_id')
    .innerJoin('customers as c', 'c.id', 'w.customer_id')
    .select(['w.written_on', 'i.invoice_number', 'c.customer_number', 'c.legal_name', 'w.created_by', 'w.approved_by', 'w.amount_cents', 'w.reason'])
    .where('w.written_on', '>=', from)
    .where('w.written_on', '<=', to)
    .orderBy('w.written_on')
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({
    writtenOn: r.written_on,
    invoiceNumber: r.invoice_number,
    customerNumber: r.customer_number,
    customerName: r.legal_name,
    clerk: r.created_by,
    approvedBy: r.approved_by,
    amountCents: Number(r.amount_cents),
    reason: r.reason,
  }));
}

/** The display names of the clerks named in a report (created_by holds the username). */
export async function staffNamesOf(db: Db, usernames: readonly string[]): Promise<Map<string, string>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.selectFrom('staff_users').select(['username', 'display_name']).where('username', 'in', [...usernames]).execute();
  return new Map(rows.map((r) => [r.username, r.display_name]));
}
