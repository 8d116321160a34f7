import { sql } from 'kysely';
import type { InvoiceLineRow, InvoiceRow, NewInvoiceRow } from '../db/schema';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/types';
import { dialectOf } from '../db/dialect';
import type { InvoiceApplicationRow, NewInvoiceLine } from './invoices.rules';
import type { InvoiceAuditRow } from './invoice-history.rules';

export async function findInvoiceByNumber(db: Db, invoiceNumber: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoices').selectAll().where('invoice_number', '=', invoiceNumber).executeTakeFirst();
}

/** The invoice with this number, or NOT_FOUND. */
export async function requireInvoice(db: Db, invoiceNumber: string): Promise<InvoiceRow> {
  const number = invoiceNumber.trim();
  const row = (await findInvoiceByNumber(db, number)) ?? (await findInvoiceByNumber(db, number.toUpperCase()));
  if (!row) throw new AppError('NOT_FOUND', `No invoice ${number || '(blank)'}`, { invoiceNumber: number });
  return row;
}

export async function insertInvoice(db: Db, row: NewInvoiceRow): Promise<number> {
  const inserted = await db.insertInto('invoices').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function insertInvoiceLines(db: Db, invoiceId: number, lines: readonly NewInvoiceLine[]): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insertInto('invoice_lines')
    .values(
      lines.map((l, i) => ({
        invoice_id: invoiceId,
        line_no: i + 1,
        description: l.description,
        quantity: l.quantity,
        unit_price_cents: l.unitPriceCents,
        amount_cents: l.amountCents,
        taxable: l.taxable ? 1 : 0,
      })),
    )
    .execute();
}

export async function invoiceLines(db: Db, invoiceId: number): Promise<InvoiceLineRow[]> {
  return db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', invoiceId).orderBy('line_no').execute();
}

/** Every application row of one invoice, oldest first, with what it came from and whether it was reversed. */
export async function invoiceApplications(db: Db, invoiceId: number): Promise<InvoiceApplicationRow[]> {
  return db
    .selectFrom('applications as a')
    .leftJoin('payments as p', 'p.id', 'a.payment_id')
    .leftJoin('credit_memos as c', 'c.id', 'a.credit_id')
    .select([
      'a.id',
      'a.source',
      'a.payment_id as paymentId',
      'p.confirmation_number as confirmationNumber',
      'c.credit_number as creditNumber',
      'a.write_off_id as writeOffId',
      'a.amount_cents as amountCents',
      'a.reverses_id as reversesId',
      sql<number>`CASE WHEN EXISTS (SELECT 1 FROM applications r WHERE r.reverses_id = a.id) THEN 1 ELSE 0 END`.as('reversed'),
      'a.applied_on as appliedOn',
      'a.reason',
      'a.created_at as createdAt',
      'a.created_by as createdBy',
    ])
    .where('a.invoice_id', '=', invoiceId)
    .orderBy('a.id')
    .execute();
}

/** Net money applied to an invoice (applications less reversals). */
export async function appliedCentsOn(db: Db, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select(sql<number>`coalesce(sum(amount_cents), 0)`.as('applied'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return row.applied;
}

/** Pending payments that intend to pay this invoice: the gateway may still capture them. */
export async function pendingPaymentsFor(db: Db, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('payments as p', 'p.id', 'pa.payment_id')
    .select(sql<number>`count(DISTINCT p.id)`.as('n'))
    .where('pa.invoice_id', '=', invoiceId)
    .where('p.status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Which of `numbers` exist already, queried in chunks. */
export async function existingInvoiceNumbers(db: Db, numbers: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(numbers)];
  if (dialectOf(db) === 'sqlite') {
    // One short statement for any number of them, the list one JSON parameter (an import asks 2,000 at a
    // time, twice over a file of a million): a list of 500 bound parameters costs more to build and
    // prepare than its lookups.
    const r = await sql<{ invoice_number: string }>`SELECT invoice_number FROM invoices
      WHERE invoice_number IN (SELECT value FROM json_each(${JSON.stringify(unique)}))`.execute(db);
    for (const row of r.rows) out.add(row.invoice_number);
    return out;
  }
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('invoices')
      .select('invoice_number')
      .where('invoice_number', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.invoice_number);
  }
  return out;
}

/** The audit log's successful rows about one invoice (created, voided, disputed …), oldest first. */
export async function invoiceAuditRows(db: Db, invoiceNumber: string): Promise<InvoiceAuditRow[]> {
  return db
    .selectFrom('audit_log')
    .select(['at', 'action', 'actor', 'actor_name as actorName', 'approved_by as approvedBy', 'summary'])
    .where('entity', '=', 'invoice')
    .where('entity_id', '=', invoiceNumber)
    .where('outcome', '=', 'success')
    .orderBy('id')
    .execute();
}
