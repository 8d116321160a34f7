import type { PaymentMethodRow } from '../db/schema';
import type { Db, Tx } from '../db/types';
import type { NewPaymentMethod } from './paymentMethods.rules';

/** Methods on file that were not removed, the default first, then newest first. */
export async function activeMethodsOf(db: Db, customerId: number): Promise<PaymentMethodRow[]> {
  return db
    .selectFrom('payment_methods')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('removed_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function methodById(db: Db, id: number): Promise<PaymentMethodRow | undefined> {
  return db.selectFrom('payment_methods').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a method; the customer's first active one, or one asked to be, becomes the default. */
export async function insertMethod(
  db: Tx,
  m: NewPaymentMethod,
  options: { makeDefault: boolean },
  actor: string,
  at: string,
): Promise<number> {
  const others = await activeMethodsOf(db, m.customerId);
  const isDefault = options.makeDefault || !others.some((o) => o.is_default === 1);
  if (isDefault) await clearDefault(db, m.customerId);
  const row = await db
    .insertInto('payment_methods')
    .values({
      customer_id: m.customerId,
      kind: m.kind,
      gateway: m.gateway,
      token: m.token,
      brand: m.brand,
      last4: m.last4,
      exp_month: m.expMonth,
      exp_year: m.expYear,
      account_type: m.accountType,
      nickname: m.nickname,
      billing_name: m.billingName,
      billing_postal_code: m.billingPostalCode,
      billing_address: null,
      is_default: isDefault ? 1 : 0,
      removed_at: null,
      created_at: at,
      created_by: actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function clearDefault(db: Db, customerId: number): Promise<void> {
  await db.updateTable('payment_methods').set({ is_default: 0 }).where('customer_id', '=', customerId).where('is_default', '=', 1).execute();
}

export async function setDefault(db: Db, id: number): Promise<void> {
  await db.updateTable('payment_methods').set({ is_default: 1 }).where('id', '=', id).execute();
}

export async function markRemoved(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('payment_methods').set({ removed_at: at, is_default: 0 }).where('id', '=', id).execute();
}
