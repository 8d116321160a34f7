import type { Insertable } from 'kysely';
import type { DayCloseRow, DayClosesTable } from '../db/schema';
import type { Db, Tx } from '../db/types';
import type { LedgerCardTransaction } from './day-close.rules';

/** The day's close: the ledger's card transactions of a date, what still waits for the gateway, and the closes. */

/** Card charges received on the date (captured, or voided since) and card voids and refunds completed on it. */
export async function cardTransactionsOn(db: Db, businessDate: string): Promise<LedgerCardTransaction[]> {
  const charges = await db
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['p.gateway_transaction_id', 'p.method_brand', 'p.method_last4', 'p.amount_cents', 'p.confirmation_number', 'c.customer_number'])
    .where('p.received_on', '=', businessDate)
    .where('p.kind', '=', 'card')
    .where('p.status', 'in', ['captured', 'voided'])
    .orderBy('p.id')
    .execute();
  const reversals = await db
    .selectFrom('payment_reversals as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['r.kind', 'r.gateway_transaction_id', 'r.amount_cents', 'p.method_brand', 'p.method_last4', 'p.confirmation_number', 'c.customer_number'])
    .where('r.posted_on', '=', businessDate)
    .where('p.kind', '=', 'card')
    .where('r.status', '=', 'completed')
    .orderBy('r.id')
    .execute();
  return [
    ...charges.map((p) => ({
      kind: 'charge' as const,
      transactionId: p.gateway_transaction_id,
      brand: p.method_brand,
      last4: p.method_last4,
      amountCents: p.amount_cents,
      confirmationNumber: p.confirmation_number,
      customerNumber: p.customer_number,
    })),
    ...reversals.map((r) => ({
      kind: r.kind,
      transactionId: r.gateway_transaction_id,
      brand: r.method_brand,
      last4: r.method_last4,
      amountCents: r.amount_cents,
      confirmationNumber: r.confirmation_number,
      customerNumber: r.customer_number,
    })),
  ];
}

/** Payments and voids or refunds still waiting for the gateway's answer, on or before the date. */
export async function pendingOnOrBefore(db: Db, businessDate: string): Promise<{ payments: number; reversals: number }> {
  const p = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where('received_on', '<=', businessDate)
    .executeTakeFirstOrThrow();
  const r = await db
    .selectFrom('payment_reversals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where('posted_on', '<=', businessDate)
    .executeTakeFirstOrThrow();
  return { payments: Number(p.n), reversals: Number(r.n) };
}

export async function dayCloseOn(db: Db, businessDate: string): Promise<DayCloseRow | undefined> {
  return db.selectFrom('day_closes').selectAll().where('business_date', '=', businessDate).executeTakeFirst();
}

export async function insertDayClose(trx: Tx, row: Insertable<DayClosesTable>): Promise<number> {
  const inserted = await trx.insertInto('day_closes').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function recentDayCloses(db: Db, limit: number): Promise<DayCloseRow[]> {
  return db.selectFrom('day_closes').selectAll().orderBy('business_date', 'desc').limit(limit).execute();
}
