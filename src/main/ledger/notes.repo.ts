import { sql } from 'kysely';
import type { AccountNoteRow } from '../db/schema';
import type { Db, Tx } from '../db/types';
import type { CheckedNote, ReceivedPayment } from './notes.rules';

/** The account's notes, newest first. */
export async function notesOf(db: Db, customerId: number): Promise<AccountNoteRow[]> {
  return db
    .selectFrom('account_notes')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function noteById(db: Db, id: number): Promise<AccountNoteRow | undefined> {
  return db.selectFrom('account_notes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertNote(
  trx: Tx,
  customerId: number,
  note: CheckedNote,
  written: { at: string; on: string; by: string },
): Promise<number> {
  const row = await trx
    .insertInto('account_notes')
    .values({
      customer_id: customerId,
      kind: note.kind,
      body: note.body,
      promised_on: note.promisedOn,
      promised_cents: note.promisedCents,
      created_on: written.on,
      created_at: written.at,
      created_by: written.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The customer's money received since `since` (captured payments of any kind, net of completed
 * refunds; a voided payment is no longer captured), as promises count it. Walks payments_customer.
 */
export async function paymentsReceivedSince(db: Db, customerId: number, since: string): Promise<ReceivedPayment[]> {
  const rows = await db
    .selectFrom('payments as p')
    .select([
      'p.created_at as createdAt',
      'p.received_on as receivedOn',
      sql<number>`p.amount_cents - coalesce((SELECT sum(r.amount_cents) FROM payment_reversals r
        WHERE r.payment_id = p.id AND r.kind = 'refund' AND r.status = 'completed'), 0)`.as('netCents'),
    ])
    .where('p.customer_id', '=', customerId)
    .where('p.created_at', '>=', since)
    .where('p.status', '=', 'captured')
    .execute();
  return rows.map((r) => ({ createdAt: r.createdAt, receivedOn: r.receivedOn, netCents: Number(r.netCents) }));
}
