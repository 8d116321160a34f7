import { AppError } from '../../shared/errors';
import { normalizeCustomerNumber } from '../../shared/validation';
import type { CustomerRow, NewCustomerNameWordRow } from '../db/schema';
import type { Db, Tx } from '../db/types';
import { clearNameWords } from '../db/removals';
import type { CustomerColumns } from './customers.rules';

export async function findCustomerByNumber(db: Db, customerNumber: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('customer_number', '=', customerNumber).executeTakeFirst();
}

/** The customer with this number, or NOT_FOUND. The number is matched as clerks type it (any case). */
export async function requireCustomer(db: Db, customerNumber: string): Promise<CustomerRow> {
  const number = normalizeCustomerNumber(customerNumber);
  const row = await findCustomerByNumber(db, number);
  if (!row) throw new AppError('NOT_FOUND', `No customer ${number || '(blank)'}`, { customerNumber: number });
  return row;
}

export async function findCustomerById(db: Db, id: number): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCustomer(db: Db, columns: CustomerColumns, at: string): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values({ ...columns, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCustomer(db: Db, id: number, columns: CustomerColumns, at: string): Promise<void> {
  const { customer_number: _immutable, ...rest } = columns;
  await db.updateTable('customers').set({ ...rest, updated_at: at }).where('id', '=', id).execute();
}

/** Replaces the lookup words of one customer (customerNameWordRows). */
export async function replaceNameWords(db: Tx, customerId: number, rows: readonly NewCustomerNameWordRow[]): Promise<void> {
  await clearNameWords(db, customerId);
  if (rows.length > 0) await db.insertInto('customer_name_words').values([...rows]).execute();
}

export interface CustomerKey {
  id: number;
  customerNumber: string;
  termsDays: number;
  taxExempt: boolean;
}

/** The customers among `numbers` that exist, by number; queried in chunks so any list size works. */
export async function customersByNumbers(db: Db, numbers: readonly string[]): Promise<Map<string, CustomerKey>> {
  const out = new Map<string, CustomerKey>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'customer_number', 'terms_days', 'tax_exempt'])
      .where('customer_number', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      out.set(r.customer_number, {
        id: r.id,
        customerNumber: r.customer_number,
        termsDays: r.terms_days,
        taxExempt: r.tax_exempt === 1,
      });
    }
  }
  return out;
}
