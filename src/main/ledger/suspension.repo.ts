/**
 * A suspended account (follow-up's "suspend at level N") is lifted by the posting that pays it
 * current: in the same transaction as the applications that bring its past-due balance (open,
 * undisputed invoices due before the day the money is applied) to zero, with its audit row. Called
 * from insertApplications, the one way money reaches an invoice (a phone payment, money received at
 * the desk, an autopay charge, a credit applied, a re-application), so every such path lifts it here.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { invoiceOpenCentsSql } from './balances.repo';

export interface LiftCause {
  paymentId: number | null;
  creditId: number | null;
}

/** Lifts the customer's suspension when it has nothing past due on `today`; returns whether it did. Call under the customer's lock. */
export async function liftSuspensionIfPaidCurrent(trx: Tx, customerId: number, today: string, cause: LiftCause, actor: string, at: string): Promise<boolean> {
  const row = await trx
    .selectFrom('customer_collections as cc')
    .innerJoin('customers as c', 'c.id', 'cc.customer_id')
    .select(['c.customer_number', 'cc.suspended_on', 'cc.suspended_level'])
    .where('cc.customer_id', '=', customerId)
    .where('cc.suspended_on', 'is not', null)
    .executeTakeFirst();
  if (!row) return false;
  const pastDue = await trx
    .selectFrom('invoices as i')
    .select('i.id')
    .where('i.customer_id', '=', customerId)
    .where('i.status', '=', 'open')
    .where('i.disputed', '=', 0)
    .where('i.due_date', '<', today)
    .where(sql<boolean>`${invoiceOpenCentsSql} > 0`)
    .limit(1)
    .executeTakeFirst();
  if (pastDue) return false;
  await trx.updateTable('customer_collections').set({ suspended_on: null, suspended_level: null, updated_at: at, updated_by: actor }).where('customer_id', '=', customerId).execute();
  await appendAudit(trx, {
    actor,
    action: 'account.unsuspend',
    entity: 'customer',
    entityId: row.customer_number,
    customerNumber: row.customer_number,
    summary: { customerNumber: row.customer_number, reason: 'paid current', suspendedOn: row.suspended_on, suspendedLevel: row.suspended_level, paidOn: today, ...cause },
    at,
  });
  return true;
}
