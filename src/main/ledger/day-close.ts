import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import { dialectOf } from '../db/dialect';
import type { Db, Tx } from '../db/types';

/**
 * The closed-day guard of every money post.
 *
 * Once a business date is closed (Reports → Close the day, `reports.closeDay`), nothing that moves
 * money may be posted with a business date on or before it: no payment, refund, void, reversal,
 * credit application or write-off. Every money post calls `assertDayOpen(trx, businessDate)` inside
 * its own write transaction, after its customer lock and before it writes, with the business date
 * the post carries (a payment's received_on, a reversal's posted_on, an application's applied_on,
 * a check's received date, a write-off's written_on, a credit's issue date). A new money post must
 * call it too. Invoices (a run's, a late fee, one made by hand) and an invoice's void are charges,
 * not money received or given back, and are not held by the close.
 *
 * On PostgreSQL the check takes a shared transaction-level advisory lock that closing a day takes
 * exclusively (`holdDayCloseLock`): a close waits for the posts already past their check to commit
 * (and then sees them), and a post that starts meanwhile waits for the close and is refused. On
 * SQLite the single writer already puts them one after the other.
 */

/** The advisory lock key shared by every money post (shared) and the day's close (exclusive). */
const DAY_CLOSE_LOCK_KEY = 720_311_005;

/** The latest closed business date on or after `businessDate`, or null when that date is open. */
export async function closedDayCovering(db: Db, businessDate: string): Promise<string | null> {
  const row = await db
    .selectFrom('day_closes')
    .select('business_date')
    .where('business_date', '>=', businessDate)
    .orderBy('business_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.business_date ?? null;
}

/**
 * The error a post gets when its business date is closed; the message names the date. When the date
 * came from a form's field (a check's date received), `field` names it so the form shows it there.
 */
export function dayClosedError(businessDate: string, closedThrough: string, field?: string): AppError {
  const why = closedThrough === businessDate ? `${businessDate} is closed` : `the day ${closedThrough} is closed, and with it every day before it`;
  const details = { businessDate, closedThrough, ...(field ? { fields: { [field]: `the day ${businessDate} is closed; record it on an open day` } } : {}) };
  return new AppError('DAY_CLOSED', `Nothing can be posted with the business date ${businessDate}: ${why}.`, details);
}

/**
 * Throws DAY_CLOSED when `businessDate` is on or before a closed day. Call it inside the money
 * post's write transaction (see above), so the refusal rolls back everything the post did.
 */
export async function assertDayOpen(trx: Tx, businessDate: string, field?: string): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock_shared(${DAY_CLOSE_LOCK_KEY})`.execute(trx);
  const closedThrough = await closedDayCovering(trx, businessDate);
  if (closedThrough !== null) throw dayClosedError(businessDate, closedThrough, field);
}

/** Closing a day holds this until it commits: no money post runs its check meanwhile (PostgreSQL). */
export async function holdDayCloseLock(trx: Tx): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${DAY_CLOSE_LOCK_KEY})`.execute(trx);
}
