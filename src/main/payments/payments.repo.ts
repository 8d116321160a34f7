import { sql, type Insertable, type Updateable } from 'kysely';
import { busyLedgerError } from '../db/write-failure';
import { invoiceOpenCentsSql } from '../ledger/balances.repo';
import type { PaymentAllocationsTable, PaymentReversalRow, PaymentReversalsTable, PaymentRow, PaymentsTable } from '../db/schema';
import type { Db, Tx } from '../db/types';
import type { Hold, StandingApplication } from './payments.rules';
import { dialectOf, lockCustomer } from '../db/dialect';

/**
 * Takes SQLite's write lock as the transaction's first statement. A transaction that reads first
 * and writes later fails at once (SQLITE_BUSY) if another process wrote in between; one that
 * writes first waits its turn, so the reads after it see the latest committed state. When another
 * process (an import) holds the lock longer than SQLite's busy timeout, this fails with BUSY,
 * saying how long the import expects to take; nothing has been charged or changed at that point.
 */
export async function takeWriteLock(trx: Tx): Promise<void> {
  // PostgreSQL has no single writer: there the money command takes its customer's row lock instead (lockCustomer).
  if (dialectOf(trx) === 'postgres') return;
  try {
    await sql`INSERT INTO counters (name, value) VALUES ('payments.writes', 1)
              ON CONFLICT (name) DO UPDATE SET value = value + 1`.execute(trx);
  } catch (e) {
    throw (await busyLedgerError(trx, e)) ?? e;
  }
}

/** The row lock of the customer whose payment this is (see lockCustomer). */
export async function lockCustomerOfPayment(trx: Tx, paymentId: number): Promise<void> {
  const p = await trx.selectFrom('payments').select('customer_id').where('id', '=', paymentId).executeTakeFirst();
  if (p) await lockCustomer(trx, p.customer_id);
}

/** The row lock of the customer whose payment a void or refund reverses. */
export async function lockCustomerOfReversal(trx: Tx, reversalId: number): Promise<void> {
  const r = await trx
    .selectFrom('payment_reversals as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .select('p.customer_id')
    .where('r.id', '=', reversalId)
    .executeTakeFirst();
  if (r) await lockCustomer(trx, r.customer_id);
}

export async function insertPayment(trx: Tx, row: Insertable<PaymentsTable>): Promise<number> {
  const inserted = await trx.insertInto('payments').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** What a payment sets aside, per invoice: its credit parts and its charge, applied when it is captured. */
export async function insertAllocations(
  trx: Tx,
  paymentId: number,
  rows: readonly Omit<Insertable<PaymentAllocationsTable>, 'payment_id'>[],
): Promise<void> {
  for (const r of rows) await trx.insertInto('payment_allocations').values({ payment_id: paymentId, ...r }).execute();
}

export async function paymentById(db: Db, id: number): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function paymentByKey(db: Db, key: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function paymentByConfirmation(db: Db, confirmation: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('confirmation_number', '=', confirmation).executeTakeFirst();
}

export async function paymentsOfCustomer(db: Db, customerId: number): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export type PaymentWithCustomer = PaymentRow & { customerNumber: string; customerName: string };

/** Payments taken here (card, bank, credits, received checks, cash and wires; not imported prior payments), newest first across customers, with whose they are. */
export async function recentPayments(
  db: Db,
  filter: { limit: number; status?: PaymentRow['status'] | undefined },
): Promise<PaymentWithCustomer[]> {
  let q = db
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .selectAll('p')
    .select(['c.customer_number as customerNumber', 'c.legal_name as customerName'])
    // Literal, not bound: SQLite uses the partial index payments_taken_here_created only for a WHERE it can match as written.
    .where(sql<boolean>`p.kind <> 'import'`);
  // "+" keeps SQLite off the status index: almost every payment is captured, so walking the newest first and stopping is faster.
  // (PostgreSQL has no unary plus for text, and its planner weighs the index by its statistics.)
  if (filter.status) q = q.where(dialectOf(db) === 'sqlite' ? sql<string>`+p.status` : sql.ref('p.status'), '=', filter.status);
  return q.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(filter.limit).execute();
}

export async function pendingPaymentIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('payments').select('id').where('status', '=', 'pending').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * Settles a pending payment or reversal: writes `changes` only while its status is still
 * 'pending'. False when it was settled already (by another request or process); the row is then
 * left as it is, so an outcome is recorded once.
 */
export async function settleIfPending(trx: Tx, table: 'payments', id: number, changes: Updateable<PaymentsTable>): Promise<boolean>;
export async function settleIfPending(
  trx: Tx,
  table: 'payment_reversals',
  id: number,
  changes: Updateable<PaymentReversalsTable>,
): Promise<boolean>;
export async function settleIfPending(
  trx: Tx,
  table: 'payments' | 'payment_reversals',
  id: number,
  changes: Updateable<PaymentsTable> | Updateable<PaymentReversalsTable>,
): Promise<boolean> {
  const changed = await trx.updateTable(table).set(changes).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/**
 * Settles a payment that was failed with `declineCode` as if it were still pending: only while
 * its status is 'failed' with that code, so a payment settled otherwise is left as it is.
 */
export async function settleIfFailedWith(trx: Tx, id: number, declineCode: string, changes: Updateable<PaymentsTable>): Promise<boolean> {
  const changed = await trx
    .updateTable('payments')
    .set({ ...changes, decline_code: null, decline_message: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .where('decline_code', '=', declineCode)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

export async function markVoided(trx: Tx, paymentId: number): Promise<void> {
  await trx.updateTable('payments').set({ status: 'voided' }).where('id', '=', paymentId).execute();
}

export async function setConfirmationNumber(trx: Tx, paymentId: number, confirmation: string): Promise<void> {
  await trx.updateTable('payments').set({ confirmation_number: confirmation }).where('id', '=', paymentId).execute();
}

/** The part of a captured payment's money held on account (an overpayment, or a shortfall at capture). */
export async function setUnappliedCents(trx: Tx, paymentId: number, cents: number): Promise<void> {
  await trx.updateTable('payments').set({ unapplied_cents: cents }).where('id', '=', paymentId).execute();
}

/** What pending payments of a customer have claimed, by invoice and by credit. */
export async function pendingHolds(db: Db, customerId: number): Promise<Hold[]> {
  const rows = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('payments as p', 'p.id', 'pa.payment_id')
    .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
    .leftJoin('credit_memos as c', 'c.id', 'pa.credit_id')
    .select(['i.invoice_number as invoiceNumber', 'c.credit_number as creditNumber', 'pa.amount_cents as amountCents'])
    .where('p.status', '=', 'pending')
    .where('p.customer_id', '=', customerId)
    .execute();
  return rows.map((r) => ({ invoiceNumber: r.invoiceNumber, creditNumber: r.creditNumber ?? null, amountCents: r.amountCents }));
}

export interface AllocationRecord {
  id: number;
  invoiceId: number;
  invoiceNumber: string;
  source: 'card' | 'bank' | 'credit' | 'import' | 'check' | 'cash';
  creditId: number | null;
  creditNumber: string | null;
  amountCents: number;
}

export async function allocationsOf(db: Db, paymentId: number): Promise<AllocationRecord[]> {
  const rows = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
    .leftJoin('credit_memos as c', 'c.id', 'pa.credit_id')
    .select([
      'pa.id',
      'pa.invoice_id as invoiceId',
      'i.invoice_number as invoiceNumber',
      'pa.source',
      'pa.credit_id as creditId',
      'c.credit_number as creditNumber',
      'pa.amount_cents as amountCents',
    ])
    .where('pa.payment_id', '=', paymentId)
    .orderBy('pa.id')
    .execute();
  return rows.map((r) => ({ ...r, creditNumber: r.creditNumber ?? null }));
}

export interface AppliedRecord {
  invoiceNumber: string;
  source: 'payment' | 'credit';
  creditNumber: string | null;
  amountCents: number;
}

/**
 * Money of these payments standing on invoices, net of reversals, by invoice and source.
 * `postedAtCapture` keeps only the rows posted when the payment was captured (reason NULL),
 * which is what the payment applied at first.
 */
export async function appliedOf(db: Db, paymentIds: readonly number[], postedAtCapture = false): Promise<Map<number, AppliedRecord[]>> {
  const out = new Map<number, AppliedRecord[]>();
  for (let i = 0; i < paymentIds.length; i += 500) {
    let q = db
      .selectFrom('applications as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .leftJoin('credit_memos as c', 'c.id', 'a.credit_id')
      .select([
        'a.payment_id as paymentId',
        'i.invoice_number as invoiceNumber',
        'a.source',
        'c.credit_number as creditNumber',
        sql<number>`sum(a.amount_cents)`.as('amountCents'),
        sql<number>`min(a.id)`.as('firstId'),
      ])
      .where('a.payment_id', 'in', paymentIds.slice(i, i + 500));
    if (postedAtCapture) q = q.where('a.amount_cents', '>', 0).where('a.reason', 'is', null);
    const rows = await q
      // Grouped by the joined rows' keys, so their other columns may be selected (PostgreSQL requires it).
      .groupBy(['a.payment_id', 'i.id', 'a.source', 'c.id'])
      .having(sql<number>`sum(a.amount_cents)`, '>', 0)
      .orderBy('firstId')
      // A payment's rows are never write-offs (those have no payment_id).
      .$narrowType<{ source: 'payment' | 'credit' }>()
      .execute();
    for (const r of rows) {
      const list = out.get(r.paymentId!) ?? [];
      list.push({ invoiceNumber: r.invoiceNumber, source: r.source, creditNumber: r.creditNumber ?? null, amountCents: r.amountCents });
      out.set(r.paymentId!, list);
    }
  }
  return out;
}

/** The payment's applications that no reversal points at, with their invoices' dates. */
export async function standingApplicationsOf(db: Db, paymentId: number): Promise<StandingApplication[]> {
  return db
    .selectFrom('applications as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select([
      'a.id',
      'a.invoice_id as invoiceId',
      'i.invoice_number as invoiceNumber',
      'i.due_date as dueDate',
      'i.issue_date as issueDate',
      'a.source',
      'a.credit_id as creditId',
      'a.amount_cents as amountCents',
    ])
    .where('a.payment_id', '=', paymentId)
    .where('a.amount_cents', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('applications as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id'))))
    .orderBy('a.id')
    .$narrowType<{ source: 'payment' | 'credit' }>()
    .execute();
}

export async function invoiceState(db: Db, invoiceId: number): Promise<{ status: string; openCents: number }> {
  return db
    .selectFrom('invoices as i')
    .select([
      'i.status',
      invoiceOpenCentsSql.as(
        'openCents',
      ),
    ])
    .where('i.id', '=', invoiceId)
    .executeTakeFirstOrThrow();
}

export async function reversalsOf(db: Db, paymentId: number): Promise<(PaymentReversalRow & { invoiceNumber: string | null })[]> {
  const rows = await db
    .selectFrom('payment_reversals as r')
    .leftJoin('invoices as i', 'i.id', 'r.invoice_id')
    .selectAll('r')
    .select('i.invoice_number as invoiceNumber')
    .where('r.payment_id', '=', paymentId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ ...r, invoiceNumber: r.invoiceNumber ?? null }));
}

export async function insertReversal(trx: Tx, row: Insertable<PaymentReversalsTable>): Promise<number> {
  const inserted = await trx.insertInto('payment_reversals').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function reversalById(db: Db, id: number): Promise<PaymentReversalRow | undefined> {
  return db.selectFrom('payment_reversals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function pendingReversalIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('payment_reversals').select('id').where('status', '=', 'pending').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Completed refunds, by payment: money already returned to the card or bank account. */
export async function refundedCentsOf(db: Db, paymentIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < paymentIds.length; i += 500) {
    const rows = await db
      .selectFrom('payment_reversals')
      .select(['payment_id', sql<number>`sum(amount_cents)`.as('cents')])
      .where('payment_id', 'in', paymentIds.slice(i, i + 500))
      .where('kind', '=', 'refund')
      .where('status', '=', 'completed')
      .groupBy('payment_id')
      .execute();
    for (const r of rows) out.set(r.payment_id, r.cents);
  }
  return out;
}

export async function confirmationTaken(db: Db, confirmation: string): Promise<boolean> {
  return !!(await db.selectFrom('payments').select('id').where('confirmation_number', '=', confirmation).executeTakeFirst());
}

/**
 * The payment that paid this (now paid) invoice of the customer: the one behind the last money put
 * on it, with its confirmation number; none when that was a credit applied on its own.
 */
export async function lastPaymentOnInvoice(
  db: Db,
  customerId: number,
  invoiceNumber: string,
): Promise<{ paymentId: number; confirmationNumber: string } | undefined> {
  const row = await db
    .selectFrom('applications as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .leftJoin('payments as p', 'p.id', 'a.payment_id')
    .select(['p.id as paymentId', 'p.status as status', 'p.confirmation_number as confirmationNumber'])
    .where('i.customer_id', '=', customerId)
    .where('i.invoice_number', '=', invoiceNumber)
    .where('i.status', '=', 'paid')
    .where('a.amount_cents', '>', 0)
    .orderBy('a.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.paymentId || row.status !== 'captured' || !row.confirmationNumber) return undefined;
  return { paymentId: row.paymentId, confirmationNumber: row.confirmationNumber };
}
