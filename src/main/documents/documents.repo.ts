import { sql } from 'kysely';
import type { CustomerRow, PaymentKind, PaymentStatus } from '../db/schema';
import { AGING_BUCKETS, bucketFor, emptyBuckets, type AgingBucket, type AgingBuckets } from '../ledger/aging.rules';
import { daysBetween } from '../../shared/dates';
import { invoiceLineDto } from '../ledger/invoices.rules';
import { describeMethod, mailingOrBillingAddress } from './format.rules';
import type { Db } from '../db/types';

/**
 * What each document shows, read straight from the ledger tables. Amounts are derived from the
 * applications as of the record's own moment (not today), so a reprint shows what the original showed.
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

function toDocumentCustomer(c: CustomerRow): DocumentCustomer {
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

async function staffDisplayName(db: Db, username: string): Promise<string> {
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

async function creditRemainingAtInstant(db: Db, creditId: number, at: string): Promise<number> {
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

// ---------------------------------------------------------------- payment confirmation

export interface ConfirmationInvoiceLine {
  invoiceNumber: string;
  /** From the card or bank account. */
  fromMethodCents: number;
  credits: { creditNumber: string; cents: number }[];
  totalCents: number;
}

export interface ConfirmationReversal {
  kind: 'void' | 'refund';
  status: 'pending' | 'completed' | 'failed';
  amountCents: number;
  invoiceNumber: string | null;
  reason: string;
  at: string;
  by: string;
}

export interface ConfirmationData {
  paymentId: number;
  status: PaymentStatus;
  kind: PaymentKind;
  confirmationNumber: string | null;
  methodText: string;
  /** Charged (or, when declined, attempted) on the card or bank account. */
  amountCents: number;
  /** When the payment was taken: its posting for a captured one, its submission otherwise. */
  at: string;
  customer: DocumentCustomer;
  clerk: string;
  lines: ConfirmationInvoiceLine[];
  creditsAppliedCents: number;
  creditsUsed: { creditNumber: string; appliedCents: number; remainingCents: number }[];
  creditsLeftCents: number;
  openBalanceCents: number;
  /** The instant the balances above are taken at (after the payment, or after its void). */
  balanceAt: string;
  decline: { code: string | null; message: string | null } | null;
  reversals: ConfirmationReversal[];
  voidedAt: string | null;
  /** The latest moment the document depends on; its PDF dates are set to it. */
  documentTime: string;
}

function latest(...instants: (string | null | undefined)[]): string {
  return instants.filter((s): s is string => !!s).sort().at(-1) ?? '1970-01-01T00:00:00.000Z';
}

export async function confirmationData(db: Db, paymentId: number): Promise<ConfirmationData | undefined> {
  const p = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p) return undefined;
  const customer = await customerById(db, p.customer_id);
  if (!customer) return undefined;

  const allocations = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
    .leftJoin('credit_memos as c', 'c.id', 'pa.credit_id')
    .select(['pa.id', 'pa.invoice_id', 'pa.source', 'pa.credit_id', 'pa.amount_cents', 'i.invoice_number', 'i.due_date', 'c.credit_number'])
    .where('pa.payment_id', '=', paymentId)
    .orderBy('i.due_date')
    .orderBy('i.invoice_number')
    .orderBy('pa.id')
    .execute();

  const lines: ConfirmationInvoiceLine[] = [];
  const byInvoice = new Map<number, ConfirmationInvoiceLine>();
  const usedByCredit = new Map<number, { creditNumber: string; appliedCents: number }>();
  for (const a of allocations) {
    let line = byInvoice.get(a.invoice_id);
    if (!line) {
      line = { invoiceNumber: a.invoice_number, fromMethodCents: 0, credits: [], totalCents: 0 };
      byInvoice.set(a.invoice_id, line);
      lines.push(line);
    }
    if (a.source === 'credit' && a.credit_id !== null) {
      const creditNumber = a.credit_number ?? String(a.credit_id);
      line.credits.push({ creditNumber, cents: a.amount_cents });
      const used = usedByCredit.get(a.credit_id) ?? { creditNumber, appliedCents: 0 };
      used.appliedCents += a.amount_cents;
      usedByCredit.set(a.credit_id, used);
    } else {
      line.fromMethodCents += a.amount_cents;
    }
    line.totalCents += a.amount_cents;
  }

  // The applications this payment posted: its own rows, and the rows of the credits it used on its invoices.
  const creditIds = [...usedByCredit.keys()];
  const invoiceIds = [...byInvoice.keys()];
  const posted = await db
    .selectFrom('applications')
    .select(['id', 'created_at', 'reverses_id'])
    .where((eb) =>
      eb.or([
        eb('payment_id', '=', paymentId),
        ...(creditIds.length > 0 && invoiceIds.length > 0
          ? [
              eb.and([
                eb('credit_id', 'in', creditIds),
                eb('invoice_id', 'in', invoiceIds),
                eb('created_at', '>=', p.created_at),
                eb.or([eb('payment_id', 'is', null), eb('payment_id', '=', paymentId)]),
              ]),
            ]
          : []),
      ]),
    )
    .execute();
  const postedIds = new Set(posted.filter((r) => r.reverses_id === null).map((r) => r.id));
  const postedAt = latest(...posted.filter((r) => r.reverses_id === null).map((r) => r.created_at));
  const reversedAt = latest(...posted.filter((r) => r.reverses_id !== null && postedIds.has(r.reverses_id)).map((r) => r.created_at));

  const reversalRows = await db
    .selectFrom('payment_reversals as r')
    .leftJoin('invoices as i', 'i.id', 'r.invoice_id')
    .select(['r.kind', 'r.status', 'r.amount_cents', 'i.invoice_number', 'r.reason', 'r.created_at', 'r.settled_at', 'r.created_by'])
    .where('r.payment_id', '=', paymentId)
    .orderBy('r.id')
    .execute();
  const reversals: ConfirmationReversal[] = [];
  for (const r of reversalRows) {
    reversals.push({
      kind: r.kind,
      status: r.status,
      amountCents: r.amount_cents,
      invoiceNumber: r.invoice_number,
      reason: r.reason,
      at: r.settled_at ?? r.created_at,
      by: await staffDisplayName(db, r.created_by),
    });
  }
  const voidRow = reversals.find((r) => r.kind === 'void' && r.status === 'completed');

  const hasPosted = posted.some((r) => r.reverses_id === null);
  const at = p.status === 'captured' || p.status === 'voided' ? (hasPosted ? postedAt : (p.settled_at ?? p.created_at)) : p.created_at;
  const voidedAt = p.status === 'voided' ? (posted.some((r) => r.reverses_id !== null) ? reversedAt : (voidRow?.at ?? at)) : null;
  const balanceAt = voidedAt ?? at;
  const balances = await balancesAtInstant(db, customer.id, balanceAt);
  const creditsUsed: ConfirmationData['creditsUsed'] = [];
  for (const [creditId, used] of usedByCredit) {
    creditsUsed.push({ ...used, remainingCents: await creditRemainingAtInstant(db, creditId, balanceAt) });
  }

  return {
    paymentId: p.id,
    status: p.status,
    kind: p.kind,
    confirmationNumber: p.confirmation_number,
    methodText: describeMethod(p),
    amountCents: p.amount_cents,
    at,
    customer,
    clerk: await staffDisplayName(db, p.created_by),
    lines,
    creditsAppliedCents: [...usedByCredit.values()].reduce((s, u) => s + u.appliedCents, 0),
    creditsUsed,
    creditsLeftCents: balances.creditsLeftCents,
    openBalanceCents: balances.openCents,
    balanceAt,
    decline:
      p.status === 'declined' || p.status === 'failed' ? { code: p.decline_code, message: p.decline_message } : null,
    reversals,
    voidedAt,
    documentTime: latest(at, voidedAt, ...reversals.map((r) => r.at)),
  };
}

export async function paymentIdByConfirmationNumber(db: Db, confirmationNumber: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('payments')
    .select('id')
    .where('confirmation_number', '=', confirmationNumber.trim().toUpperCase())
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------- statements

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

export interface StatementData {
  asOf: string;
  customer: DocumentCustomer;
  invoices: StatementInvoice[];
  credits: StatementCredit[];
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
  pastDueOnly?: boolean;
}

/**
 * Statements as of a date. Without `customerIds`: one per customer with open invoices (or with a
 * past-due amount when `pastDueOnly`), ordered by customer number. With them: those customers,
 * even with nothing open.
 */
export async function statementsAsOf(db: Db, sel: StatementSelection): Promise<StatementData[]> {
  const invoices = await openInvoicesAsOf(db, sel.asOf, sel.customerIds);
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
      buckets,
      openInvoicesCents,
      creditsCents,
      balanceDueCents: openInvoicesCents - creditsCents,
      pastDueCents,
    });
  }
  return statements.sort((a, b) => (a.customer.number < b.customer.number ? -1 : a.customer.number > b.customer.number ? 1 : 0));
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
