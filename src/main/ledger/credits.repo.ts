import type { CreditMemoRow } from '../db/schema';
import { AppError } from '../../shared/errors';
import type { Db } from '../db/types';
import { creditRemainingCentsSql } from './balances.repo';

export async function findCreditByNumber(db: Db, creditNumber: string): Promise<CreditMemoRow | undefined> {
  return db.selectFrom('credit_memos').selectAll().where('credit_number', '=', creditNumber).executeTakeFirst();
}

/** The credit with this number, or NOT_FOUND. */
export async function requireCredit(db: Db, creditNumber: string): Promise<CreditMemoRow> {
  const number = creditNumber.trim();
  const row = (await findCreditByNumber(db, number)) ?? (await findCreditByNumber(db, number.toUpperCase()));
  if (!row) throw new AppError('NOT_FOUND', `No credit ${number || '(blank)'}`, { creditNumber: number });
  return row;
}

export interface NewCredit {
  creditNumber: string;
  customerId: number;
  issueDate: string;
  amountCents: number;
  reason: string;
}

export async function insertCredit(db: Db, credit: NewCredit, actor: string, at: string): Promise<number> {
  const row = await db
    .insertInto('credit_memos')
    .values({
      credit_number: credit.creditNumber,
      customer_id: credit.customerId,
      issue_date: credit.issueDate,
      amount_cents: credit.amountCents,
      reason: credit.reason,
      created_at: at,
      created_by: actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Credit numbers by credit id, for the ids given. */
export async function creditNumbersByIds(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await db.selectFrom('credit_memos').select(['id', 'credit_number']).where('id', 'in', ids).execute();
  return new Map(rows.map((c) => [c.id, c.credit_number]));
}

/** The credit's amount less its net applications. */
export async function creditRemainingCents(db: Db, creditId: number): Promise<number> {
  const row = await db
    .selectFrom('credit_memos as c')
    .select(
      creditRemainingCentsSql.as(
        'remaining',
      ),
    )
    .where('c.id', '=', creditId)
    .executeTakeFirstOrThrow();
  return row.remaining;
}

/** Which of `numbers` exist already, queried in chunks. */
export async function existingCreditNumbers(db: Db, numbers: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('credit_memos')
      .select('credit_number')
      .where('credit_number', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.credit_number);
  }
  return out;
}
