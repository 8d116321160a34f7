import type { Db } from '../db/types';

/**
 * What other modules read of payments (documents draws confirmations from these). Payments owns
 * its tables: other modules read them through this module, never by querying them themselves.
 */

export { paymentById } from './payments.repo';
export { phoneDebitAuthorizationOf } from './phone-debit';

/** A payment's allocations with their invoices and credits, in the order a confirmation lists them. */
export async function allocationsForConfirmation(db: Db, paymentId: number) {
  return db
    .selectFrom('payment_allocations as pa')
    .innerJoin('invoices as i', 'i.id', 'pa.invoice_id')
    .leftJoin('credit_memos as c', 'c.id', 'pa.credit_id')
    .select(['pa.id', 'pa.invoice_id', 'pa.source', 'pa.credit_id', 'pa.amount_cents', 'i.invoice_number', 'i.due_date', 'c.credit_number'])
    .where('pa.payment_id', '=', paymentId)
    .orderBy('i.due_date')
    .orderBy('i.invoice_number')
    .orderBy('pa.id')
    .execute();
}

/**
 * The applications a payment posted: its own rows, and the rows of the credits it used on its
 * invoices (posted from its submission on, by it or with no payment), with their reversals.
 */
export async function applicationsPostedBy(
  db: Db,
  payment: { id: number; createdAt: string; creditIds: readonly number[]; invoiceIds: readonly number[] },
) {
  const { id: paymentId, creditIds, invoiceIds } = payment;
  return db
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
                eb('created_at', '>=', payment.createdAt),
                eb.or([eb('payment_id', 'is', null), eb('payment_id', '=', paymentId)]),
              ]),
            ]
          : []),
      ]),
    )
    .execute();
}

/** A payment's voids and refunds, oldest first, with the invoice a refund was for. */
export async function reversalsForConfirmation(db: Db, paymentId: number) {
  return db
    .selectFrom('payment_reversals as r')
    .leftJoin('invoices as i', 'i.id', 'r.invoice_id')
    .select(['r.kind', 'r.status', 'r.amount_cents', 'i.invoice_number', 'r.reason', 'r.created_at', 'r.settled_at', 'r.created_by'])
    .where('r.payment_id', '=', paymentId)
    .orderBy('r.id')
    .execute();
}

export async function paymentIdByConfirmationNumber(db: Db, confirmationNumber: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('payments')
    .select('id')
    .where('confirmation_number', '=', confirmationNumber.trim().toUpperCase())
    .executeTakeFirst();
  return row?.id;
}
