import { sql } from 'kysely';
import type { DepositItemDto } from '../../shared/contract/received';
import type { DepositRow } from '../db/schema';
import type { Db, Tx } from '../db/types';
import { dialectOf } from '../db/dialect';
import { removeDepositItem } from '../db/removals';

/** Deposits of received checks and cash: the batches, their items, and what is still to deposit. */

export async function depositById(d: Db, id: number): Promise<DepositRow | undefined> {
  return d.selectFrom('deposits').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The batch, locked against a concurrent close or change on PostgreSQL (SQLite has one writer). */
export async function lockDeposit(trx: Tx, id: number): Promise<DepositRow | undefined> {
  const q = trx.selectFrom('deposits').selectAll().where('id', '=', id);
  return dialectOf(trx) === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
}

export async function recentDeposits(d: Db, limit: number) {
  return d
    .selectFrom('deposits as d')
    .leftJoin('deposit_items as i', 'i.deposit_id', 'd.id')
    .select(['d.id', 'd.deposit_date', 'd.status', 'd.closed_at'])
    .select((eb) => [eb.fn.count<number>('i.id').as('item_count'), eb.fn.coalesce(eb.fn.sum<number>('i.amount_cents'), sql<number>`0`).as('total_cents')])
    .groupBy(['d.id', 'd.deposit_date', 'd.status', 'd.closed_at'])
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}

export async function insertDeposit(trx: Tx, row: { deposit_date: string; created_at: string; created_by: string }): Promise<number> {
  const r = await trx.insertInto('deposits').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function closeDeposit(trx: Tx, id: number, at: string, by: string): Promise<void> {
  await trx.updateTable('deposits').set({ status: 'closed', closed_at: at, closed_by: by }).where('id', '=', id).where('status', '=', 'open').execute();
}

export async function insertDepositItem(
  trx: Tx,
  row: { deposit_id: number; payment_id: number; reversal_id: number | null; amount_cents: number; added_at: string; added_by: string },
): Promise<void> {
  await trx.insertInto('deposit_items').values(row).execute();
}

export async function deleteDepositItem(trx: Tx, depositId: number, itemId: number): Promise<boolean> {
  return (await removeDepositItem(trx, depositId, itemId)) > 0;
}

type ItemRow = {
  item_id: number | null;
  payment_id: number;
  reversal_id: number | null;
  kind: string;
  check_number: string | null;
  check_bank: string | null;
  customer_number: string;
  customer_name: string;
  confirmation_number: string | null;
  received_on: string;
  amount_cents: number;
};

function toItem(r: ItemRow): DepositItemDto {
  return {
    itemId: r.item_id === null ? null : Number(r.item_id),
    paymentId: Number(r.payment_id),
    reversalId: r.reversal_id === null ? null : Number(r.reversal_id),
    kind: r.kind === 'check' ? 'check' : 'cash',
    checkNumber: r.check_number,
    checkBank: r.check_bank,
    customerNumber: r.customer_number,
    customerName: r.customer_name,
    confirmationNumber: r.confirmation_number,
    receivedOn: r.received_on,
    amountCents: Number(r.amount_cents),
  };
}

/** A deposit's items: checks by number, then cash, then corrections. */
export async function itemsOfDeposit(d: Db, depositId: number): Promise<DepositItemDto[]> {
  const rows = await d
    .selectFrom('deposit_items as i')
    .innerJoin('payments as p', 'p.id', 'i.payment_id')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select([
      'i.id as item_id',
      'i.payment_id',
      'i.reversal_id',
      'p.received_via as kind',
      'p.check_number',
      'p.check_bank',
      'c.customer_number',
      'c.legal_name as customer_name',
      'p.confirmation_number',
      'p.received_on',
      'i.amount_cents',
    ])
    .where('i.deposit_id', '=', depositId)
    .orderBy('i.id')
    .execute();
  return rows.map((r) => toItem(r as ItemRow));
}

/**
 * What is still to go to the bank: captured checks and cash in no deposit, and corrections of
 * deposited ones (a returned check, cash paid back) in no deposit yet. With `receivedBy`, only what
 * was received by that date.
 */
export async function undepositedItems(d: Db, receivedBy?: string): Promise<DepositItemDto[]> {
  let payments = d
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select([
      sql<null>`NULL`.as('item_id'),
      'p.id as payment_id',
      sql<null>`NULL`.as('reversal_id'),
      'p.received_via as kind',
      'p.check_number',
      'p.check_bank',
      'c.customer_number',
      'c.legal_name as customer_name',
      'p.confirmation_number',
      'p.received_on',
      'p.amount_cents',
    ])
    .where('p.received_via', 'in', ['check', 'cash'])
    .where('p.status', '=', 'captured')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('deposit_items as i').select('i.id').whereRef('i.payment_id', '=', 'p.id').where('i.reversal_id', 'is', null))));
  if (receivedBy) payments = payments.where('p.received_on', '<=', receivedBy);
  const rows = (await payments.orderBy('p.received_on').orderBy('p.id').execute()) as ItemRow[];

  const corrections = await d
    .selectFrom('payment_reversals as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select([
      'r.id as reversal_id',
      'p.id as payment_id',
      'p.received_via as kind',
      'p.check_number',
      'p.check_bank',
      'c.customer_number',
      'c.legal_name as customer_name',
      'p.confirmation_number',
      'p.received_on',
      'r.amount_cents',
      'r.returned',
    ])
    .where('p.received_via', 'in', ['check', 'cash'])
    .where('r.status', '=', 'completed')
    .where((eb) => eb.or([eb('r.returned', '=', 1), eb('r.payout_method', '=', 'cash')]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('deposit_items as i').select('i.id').whereRef('i.reversal_id', '=', 'r.id'))))
    // A returned check corrects a deposit only once the check was deposited.
    .where((eb) =>
      eb.or([
        eb('r.returned', '=', 0),
        eb.exists(eb.selectFrom('deposit_items as i').select('i.id').whereRef('i.payment_id', '=', 'p.id').where('i.reversal_id', 'is', null)),
      ]),
    )
    .orderBy('r.id')
    .execute();
  for (const r of corrections) {
    rows.push({ ...r, item_id: null, amount_cents: -Number(r.amount_cents) } as ItemRow);
  }
  return rows.map(toItem);
}
