import { sql } from 'kysely';
import type { CustomerRow } from '../db/schema';
import type { Db } from '../db/types';
import { invoiceLineDto } from '../ledger/invoices.rules';
import { mailingOrBillingAddress } from './format.rules';

// The command line finds a confirmation by its number here.
export { paymentIdByConfirmationNumber } from '../payments/payments.queries';

/**
 * What each document shows, read from the ledger: the customer, balances at an instant, and the
 * invoice. Amounts are derived from the applications as of the record's own moment (not today), so
 * a reprint shows what the original showed. Confirmations: confirmation.repo.ts; statements:
 * statement.repo.ts.
 */

export interface DocumentCustomer {
  id: number;
  number: string;
  legalName: string;
  billingContact: string | null;
  addressLines: string[];
  email: string | null;
  termsDays: number;
}

export function toDocumentCustomer(c: CustomerRow): DocumentCustomer {
  return {
    id: c.id,
    number: c.customer_number,
    legalName: c.legal_name,
    billingContact: c.billing_contact,
    addressLines: mailingOrBillingAddress(c),
    email: c.email,
    termsDays: c.terms_days,
  };
}

export async function customerById(db: Db, id: number): Promise<DocumentCustomer | undefined> {
  const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDocumentCustomer(row);
}

export async function customerByNumber(db: Db, customerNumber: string): Promise<DocumentCustomer | undefined> {
  const row = await db.selectFrom('customers').selectAll().where('customer_number', '=', customerNumber).executeTakeFirst();
  return row && toDocumentCustomer(row);
}

export async function staffDisplayName(db: Db, username: string): Promise<string> {
  const row = await db.selectFrom('staff_users').select('display_name').where('username', '=', username).executeTakeFirst();
  return row?.display_name ?? username;
}

/** A customer's open invoices total and unapplied credits as they stood at an instant (rows created up to it). */
export async function balancesAtInstant(
  db: Db,
  customerId: number,
  at: string,
): Promise<{ openCents: number; creditsLeftCents: number }> {
  const open = await db
    .selectFrom('invoices as i')
    .select(
      sql<number>`coalesce(sum(i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a
        WHERE a.invoice_id = i.id AND a.created_at <= ${at}), 0)), 0)`.as('cents'),
    )
    .where('i.customer_id', '=', customerId)
    .where('i.created_at', '<=', at)
    .where((eb) => eb.or([eb('i.status', '<>', 'void'), eb('i.voided_at', 'is', null), eb('i.voided_at', '>', at)]))
    .executeTakeFirstOrThrow();
  const credits = await db
    .selectFrom('credit_memos as c')
    .select(
      sql<number>`coalesce(sum(c.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a
        WHERE a.credit_id = c.id AND a.created_at <= ${at}), 0)), 0)`.as('cents'),
    )
    .where('c.customer_id', '=', customerId)
    .where('c.created_at', '<=', at)
    .executeTakeFirstOrThrow();
  return { openCents: open.cents, creditsLeftCents: credits.cents };
}

export async function creditRemainingAtInstant(db: Db, creditId: number, at: string): Promise<number> {
  const row = await db
    .selectFrom('credit_memos as c')
    .select(
      sql<number>`c.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a
        WHERE a.credit_id = c.id AND a.created_at <= ${at}), 0)`.as('remaining'),
    )
    .where('c.id', '=', creditId)
    .executeTakeFirstOrThrow();
  return row.remaining;
}

// ---------------------------------------------------------------- invoices

export interface InvoiceData {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  billingFrequency: string | null;
  taxRateBp: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  status: 'open' | 'paid' | 'void';
  voidReason: string | null;
  voidedAt: string | null;
  customer: DocumentCustomer;
  lines: ReturnType<typeof invoiceLineDto>[];
  createdAt: string;
}

export async function invoiceData(db: Db, invoiceNumber: string): Promise<InvoiceData | undefined> {
  const i = await db.selectFrom('invoices').selectAll().where('invoice_number', '=', invoiceNumber).executeTakeFirst();
  if (!i) return undefined;
  const customer = await customerById(db, i.customer_id);
  if (!customer) return undefined;
  const lines = await db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', i.id).orderBy('line_no').execute();
  return {
    invoiceNumber: i.invoice_number,
    issueDate: i.issue_date,
    dueDate: i.due_date,
    periodStart: i.period_start,
    periodEnd: i.period_end,
    billingFrequency: i.billing_frequency,
    taxRateBp: i.tax_rate_bp,
    subtotalCents: i.subtotal_cents,
    taxCents: i.tax_cents,
    totalCents: i.total_cents,
    status: i.status,
    voidReason: i.void_reason,
    voidedAt: i.voided_at,
    customer,
    lines: lines.map(invoiceLineDto),
    createdAt: i.created_at,
  };
}
