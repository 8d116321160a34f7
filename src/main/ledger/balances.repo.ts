import { sql } from 'kysely';
import type { Db, Tx } from '../db/types';

/**
 * The derivations every balance comes from. An invoice's open amount is its total less the
 * applications standing against it (reversal rows are negative, so they restore it); a credit's
 * remaining amount is its amount less its applications. Nothing here is cached.
 */

/** An invoice's open amount, for an invoice aliased `i`: its total less the applications standing against it. */
export const invoiceOpenCentsSql = sql<number>`i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0)`;

/** A credit memo's remaining amount, for a credit aliased `c`: its amount less its applications. */
export const creditRemainingCentsSql = sql<number>`c.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.credit_id = c.id), 0)`;

export interface OpenInvoiceRow {
  invoiceId: number;
  invoiceNumber: string;
  customerId: number;
  issueDate: string;
  dueDate: string;
  totalCents: number;
  openCents: number;
  disputed: boolean;
  /** Why the customer disputes it; null when not disputed. */
  disputeReason: string | null;
  status: 'open' | 'paid' | 'void';
}

export interface CreditBalanceRow {
  creditId: number;
  creditNumber: string;
  customerId: number;
  issueDate: string;
  amountCents: number;
  remainingCents: number;
  reason: string;
}

/** Open (not void) invoices of a customer with a positive open amount, oldest due first. */
export async function openInvoicesFor(db: Db, customerId: number): Promise<OpenInvoiceRow[]> {
  const rows = await db
    .selectFrom('invoices as i')
    .select([
      'i.id as invoiceId',
      'i.invoice_number as invoiceNumber',
      'i.customer_id as customerId',
      'i.issue_date as issueDate',
      'i.due_date as dueDate',
      'i.total_cents as totalCents',
      'i.disputed',
      'i.dispute_reason as disputeReason',
      'i.status',
      invoiceOpenCentsSql.as(
        'openCents',
      ),
    ])
    .where('i.customer_id', '=', customerId)
    .where('i.status', '=', 'open')
    .orderBy('i.due_date')
    .orderBy('i.issue_date')
    .orderBy('i.invoice_number')
    .execute();
  return rows
    .map((r) => ({ ...r, disputed: r.disputed === 1, disputeReason: r.disputed === 1 ? r.disputeReason : null }))
    .filter((r) => r.openCents > 0);
}

/** One invoice's open amount, derived. */
export async function invoiceOpenCents(db: Db, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoices as i')
    .select(
      invoiceOpenCentsSql.as(
        'open',
      ),
    )
    .where('i.id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return row.open;
}

/** Credit memos of a customer with their remaining amounts (including fully used ones when `all`). */
export async function creditsFor(db: Db, customerId: number, options: { all?: boolean } = {}): Promise<CreditBalanceRow[]> {
  const rows = await db
    .selectFrom('credit_memos as c')
    .select([
      'c.id as creditId',
      'c.credit_number as creditNumber',
      'c.customer_id as customerId',
      'c.issue_date as issueDate',
      'c.amount_cents as amountCents',
      'c.reason',
      creditRemainingCentsSql.as(
        'remainingCents',
      ),
    ])
    .where('c.customer_id', '=', customerId)
    .orderBy('c.issue_date')
    .orderBy('c.credit_number')
    .execute();
  return options.all ? rows : rows.filter((r) => r.remainingCents > 0);
}

/**
 * Re-derives an invoice's cached status from its applications: 'paid' when nothing is open,
 * back to 'open' when a reversal reopens it. Void invoices stay void. Call inside the writing transaction.
 */
export async function refreshInvoiceStatus(db: Tx, invoiceId: number): Promise<void> {
  const open = await invoiceOpenCents(db, invoiceId);
  await db
    .updateTable('invoices')
    .set({ status: open === 0 ? 'paid' : 'open' })
    .where('id', '=', invoiceId)
    .where('status', '<>', 'void')
    .execute();
}
