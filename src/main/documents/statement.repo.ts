import { sql } from 'kysely';
import { addDays, daysBetween } from '../../shared/dates';
import type { Db } from '../db/types';
import { AGING_BUCKETS, bucketFor, emptyBuckets, type AgingBucket, type AgingBuckets } from '../ledger/aging.rules';
import { toDocumentCustomer, type DocumentCustomer } from './documents.repo';

/** What statements show: each customer's open invoices and credits as of a date, aged as the aging report ages them. */

export interface StatementInvoice {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  totalCents: number;
  openCents: number;
  daysPastDue: number;
  bucket: AgingBucket;
  disputed: boolean;
}

export interface StatementCredit {
  creditNumber: string;
  issueDate: string;
  remainingCents: number;
  reason: string;
}

/** A balance the office wrote off (not a payment, not a credit), in the 30 days up to the statement's date. */
export interface StatementWriteOff {
  invoiceNumber: string;
  writtenOn: string;
  amountCents: number;
  reason: string;
}

export interface StatementData {
  asOf: string;
  customer: DocumentCustomer;
  invoices: StatementInvoice[];
  credits: StatementCredit[];
  writeOffs: StatementWriteOff[];
  buckets: AgingBuckets;
  openInvoicesCents: number;
  creditsCents: number;
  /** Open invoices less unapplied credits. */
  balanceDueCents: number;
  pastDueCents: number;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Open invoices as of the end of `asOf`, counted as the aging report counts them: not void, issued
 * by then, less the applications dated up to then. Only invoices open today or paid by money dated
 * after `asOf` can be open on that day, so the paid history is not visited.
 */
async function openInvoicesAsOf(db: Db, asOf: string, customerIds?: number[]) {
  const run = (ids?: number[]) => {
    let q = db
      .selectFrom('invoices as i')
      .select([
        'i.id',
        'i.customer_id as customerId',
        'i.invoice_number as invoiceNumber',
        'i.issue_date as issueDate',
        'i.due_date as dueDate',
        'i.total_cents as totalCents',
        'i.disputed',
        sql<number>`i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a
          WHERE a.invoice_id = i.id AND a.applied_on <= ${asOf}), 0)`.as('openCents'),
      ])
      .where('i.issue_date', '<=', asOf)
      .where((eb) =>
        eb.or([
          eb('i.status', '=', 'open'),
          eb.and([
            eb('i.status', '=', 'paid'),
            eb('i.id', 'in', eb.selectFrom('applications').select('invoice_id').where('applied_on', '>', asOf)),
          ]),
        ]),
      );
    if (ids) q = q.where('i.customer_id', 'in', ids);
    return q.orderBy('i.due_date').orderBy('i.issue_date').orderBy('i.invoice_number').execute();
  };
  const rows = customerIds ? (await Promise.all(chunks(customerIds).map(run))).flat() : await run();
  return rows.filter((r) => r.openCents > 0);
}

async function creditsAsOf(db: Db, asOf: string, customerIds: number[]) {
  const run = (ids: number[]) =>
    db
      .selectFrom('credit_memos as c')
      .select([
        'c.customer_id as customerId',
        'c.credit_number as creditNumber',
        'c.issue_date as issueDate',
        'c.reason',
        sql<number>`c.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a
          WHERE a.credit_id = c.id AND a.applied_on <= ${asOf}), 0)`.as('remainingCents'),
      ])
      .where('c.issue_date', '<=', asOf)
      .where('c.customer_id', 'in', ids)
      .orderBy('c.issue_date')
      .orderBy('c.credit_number')
      .execute();
  const rows = (await Promise.all(chunks(customerIds).map(run))).flat();
  return rows.filter((r) => r.remainingCents > 0);
}

export interface StatementSelection {
  asOf: string;
  /** Only these customers (a single statement); otherwise every customer with a balance. */
  customerIds?: number[];
  /** Of these customers only, those with a balance (one round of a batch). */
  within?: number[];
  pastDueOnly?: boolean;
}

/**
 * Statements as of a date. Without `customerIds`: one per customer with open invoices (or with a
 * past-due amount when `pastDueOnly`), ordered by customer number. With them: those customers,
 * even with nothing open.
 */
export async function statementsAsOf(db: Db, sel: StatementSelection): Promise<StatementData[]> {
  const invoices = await openInvoicesAsOf(db, sel.asOf, sel.customerIds ?? sel.within);
  const byCustomer = new Map<number, StatementInvoice[]>();
  for (const r of invoices) {
    const list = byCustomer.get(r.customerId) ?? [];
    list.push({
      invoiceNumber: r.invoiceNumber,
      issueDate: r.issueDate,
      dueDate: r.dueDate,
      totalCents: r.totalCents,
      openCents: r.openCents,
      daysPastDue: Math.max(0, daysBetween(r.dueDate, sel.asOf)),
      bucket: bucketFor(sel.asOf, r.dueDate),
      disputed: r.disputed === 1,
    });
    byCustomer.set(r.customerId, list);
  }
  const ids = sel.customerIds ?? [...byCustomer.keys()];
  if (ids.length === 0) return [];
  const credits = await creditsAsOf(db, sel.asOf, ids);
  const creditsByCustomer = new Map<number, StatementCredit[]>();
  for (const c of credits) {
    const list = creditsByCustomer.get(c.customerId) ?? [];
    list.push({ creditNumber: c.creditNumber, issueDate: c.issueDate, remainingCents: c.remainingCents, reason: c.reason });
    creditsByCustomer.set(c.customerId, list);
  }
  const writeOffsByCustomer = new Map<number, StatementWriteOff[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('write_offs as w')
      .innerJoin('invoices as i', 'i.id', 'w.invoice_id')
      .select(['w.customer_id as customerId', 'i.invoice_number as invoiceNumber', 'w.written_on as writtenOn', 'w.amount_cents as amountCents', 'w.reason'])
      .where('w.customer_id', 'in', part)
      .where('w.written_on', '<=', sel.asOf)
      .where('w.written_on', '>', addDays(sel.asOf, -30))
      .orderBy('w.id')
      .execute();
    for (const { customerId, ...w } of rows) writeOffsByCustomer.set(customerId, [...(writeOffsByCustomer.get(customerId) ?? []), w]);
  }
  const customerRows = (
    await Promise.all(chunks(ids).map((part) => db.selectFrom('customers').selectAll().where('id', 'in', part).execute()))
  ).flat();

  const statements: StatementData[] = [];
  for (const c of customerRows) {
    const inv = byCustomer.get(c.id) ?? [];
    const cr = creditsByCustomer.get(c.id) ?? [];
    const buckets = emptyBuckets();
    for (const i of inv) buckets[i.bucket] += i.openCents;
    const openInvoicesCents = inv.reduce((s, i) => s + i.openCents, 0);
    const creditsCents = cr.reduce((s, x) => s + x.remainingCents, 0);
    const pastDueCents = AGING_BUCKETS.filter((b) => b !== 'current').reduce((s, b) => s + buckets[b], 0);
    if (!sel.customerIds && (openInvoicesCents <= 0 || (sel.pastDueOnly && pastDueCents <= 0))) continue;
    statements.push({
      asOf: sel.asOf,
      customer: toDocumentCustomer(c),
      invoices: inv,
      credits: cr,
      writeOffs: writeOffsByCustomer.get(c.id) ?? [],
      buckets,
      openInvoicesCents,
      creditsCents,
      balanceDueCents: openInvoicesCents - creditsCents,
      pastDueCents,
    });
  }
  return statements.sort((a, b) => (a.customer.number < b.customer.number ? -1 : a.customer.number > b.customer.number ? 1 : 0));
}

/** Every customer's id, in customer-number order: a batch reads them a round at a time. */
export async function customerIdsByNumber(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('customers').select('id').orderBy('customer_number').execute();
  return rows.map((r) => r.id);
}
