import { sql } from 'kysely';
import type { ApplicationRow, PaymentRow } from '../db/schema';
import type { Db, Tx } from '../db/types';

/**
 * Rows of the corrections: money held on account (payments.unapplied_cents, the cached part of a
 * captured payment not standing on an invoice, which auditInvariants checks equals the amount less
 * its applications and refunds), write-offs, and the account's correction history.
 */

/** The payment with this id, or undefined. */
export async function paymentRow(db: Db, paymentId: number): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
}

/** Whether a void or refund of the payment is still waiting for the gateway. */
export async function hasPendingReversal(db: Db, paymentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('payment_reversals')
    .select('id')
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets the cached money on account of a payment; the caller keeps it equal to the derivation in the same transaction. */
export async function setOnAccountCents(trx: Tx, paymentId: number, cents: number): Promise<void> {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`money on account must be 0 or more cents, got ${cents}`);
  await trx.updateTable('payments').set({ unapplied_cents: cents }).where('id', '=', paymentId).execute();
}

export interface OnAccountRow {
  paymentId: number;
  confirmationNumber: string | null;
  receivedOn: string;
  kind: PaymentRow['kind'];
  methodBrand: string | null;
  methodLast4: string | null;
  amountCents: number;
  onAccountCents: number;
}

/** A customer's captured payments with money held on account, oldest first. */
export async function onAccountFor(db: Db, customerId: number): Promise<OnAccountRow[]> {
  return db
    .selectFrom('payments')
    .select([
      'id as paymentId',
      'confirmation_number as confirmationNumber',
      'received_on as receivedOn',
      'kind',
      'method_brand as methodBrand',
      'method_last4 as methodLast4',
      'amount_cents as amountCents',
      'unapplied_cents as onAccountCents',
    ])
    .where('customer_id', '=', customerId)
    .where('status', '=', 'captured')
    .where('unapplied_cents', '>', 0)
    .orderBy('received_on')
    .orderBy('id')
    .execute();
}

/** Positive rows of this payment's own money (or this credit) on the invoice that no reversal points at, oldest first. */
export async function standingOn(
  db: Db,
  invoiceId: number,
  source: { paymentId: number } | { creditId: number },
): Promise<ApplicationRow[]> {
  let q = db
    .selectFrom('applications as a')
    .selectAll('a')
    .where('a.invoice_id', '=', invoiceId)
    .where('a.amount_cents', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('applications as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id'))));
  q = 'paymentId' in source
    ? q.where('a.payment_id', '=', source.paymentId).where('a.source', '=', 'payment')
    : q.where('a.credit_id', '=', source.creditId);
  return q.orderBy('a.id').execute();
}

export interface NewWriteOff {
  invoiceId: number;
  customerId: number;
  amountCents: number;
  reason: string;
  writtenOn: string;
  approvedBy: string | null;
}

/** The write-off row and the application that takes the invoice's balance down by it. */
export async function insertWriteOff(trx: Tx, w: NewWriteOff, actor: string, at: string): Promise<number> {
  const { id } = await trx
    .insertInto('write_offs')
    .values({
      invoice_id: w.invoiceId,
      customer_id: w.customerId,
      amount_cents: w.amountCents,
      reason: w.reason,
      written_on: w.writtenOn,
      created_at: at,
      created_by: actor,
      approved_by: w.approvedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('applications')
    .values({
      invoice_id: w.invoiceId,
      customer_id: w.customerId,
      source: 'write_off',
      payment_id: null,
      credit_id: null,
      write_off_id: id,
      amount_cents: w.amountCents,
      reverses_id: null,
      applied_on: w.writtenOn,
      reason: w.reason,
      created_at: at,
      created_by: actor,
    })
    .execute();
  return id;
}

export interface CorrectionHistoryRow {
  id: number;
  source: 'payment' | 'credit' | 'write_off';
  invoiceNumber: string;
  confirmationNumber: string | null;
  paymentId: number | null;
  creditNumber: string | null;
  amountCents: number;
  reversesId: number | null;
  appliedOn: string;
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

/**
 * The application rows of a customer that a person posted with a reason (reversals, re-applications,
 * money applied from on account, write-offs), newest first. Rows posted by a payment's capture carry no reason.
 */
export async function correctionHistory(db: Db, customerId: number, limit = 200): Promise<CorrectionHistoryRow[]> {
  return db
    .selectFrom('applications as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .leftJoin('payments as p', 'p.id', 'a.payment_id')
    .leftJoin('credit_memos as c', 'c.id', 'a.credit_id')
    .select([
      'a.id',
      'a.source',
      'i.invoice_number as invoiceNumber',
      'p.confirmation_number as confirmationNumber',
      'a.payment_id as paymentId',
      'c.credit_number as creditNumber',
      'a.amount_cents as amountCents',
      'a.reverses_id as reversesId',
      'a.applied_on as appliedOn',
      'a.reason',
      'a.created_by as createdBy',
      'a.created_at as createdAt',
    ])
    .where('a.customer_id', '=', customerId)
    .where(sql<boolean>`a.reason IS NOT NULL`)
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}
