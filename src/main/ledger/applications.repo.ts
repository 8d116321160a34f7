import { AppError, validationError } from '../../shared/errors';
import type { ApplicationRow } from '../db/schema';
import type { Db, Tx } from '../db/types';
import { refreshInvoiceStatus } from './balances.repo';
import { liftSuspensionIfPaidCurrent } from './suspension.repo';
import type { PostingTime } from './posting';

/**
 * Applications are posted money: rows are only ever added. Money is taken off an invoice by a
 * reversal row (the negated amount, reverses_id pointing at the original), never by an edit.
 */

export interface NewApplication {
  invoiceId: number;
  customerId: number;
  source: 'payment' | 'credit';
  paymentId: number | null;
  creditId: number | null;
  /** Positive: reversals go through reverseApplications. */
  amountCents: number;
  appliedOn: string;
  reason?: string | null;
}

/**
 * Inserts positive applications and returns their ids in the order given. Does not refresh
 * invoice statuses nor audit them: the calling use case does both in the same transaction. Lifts
 * (and audits) the suspension of an account the money pays current (suspension.repo.ts).
 */
export async function insertApplications(
  db: Tx,
  rows: readonly NewApplication[],
  actor: string,
  at: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (const r of rows) {
    if (!Number.isInteger(r.amountCents) || r.amountCents <= 0) {
      throw new Error(`an application must be a positive number of cents, got ${r.amountCents}`);
    }
    const inserted = await db
      .insertInto('applications')
      .values({
        invoice_id: r.invoiceId,
        customer_id: r.customerId,
        source: r.source,
        payment_id: r.paymentId,
        credit_id: r.creditId,
        amount_cents: r.amountCents,
        reverses_id: null,
        applied_on: r.appliedOn,
        reason: r.reason ?? null,
        created_at: at,
        created_by: actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(inserted.id);
  }
  // Money that pays a suspended account current lifts the suspension in this same transaction.
  const last = new Map(rows.map((r) => [r.customerId, r]));
  for (const r of last.values()) await liftSuspensionIfPaidCurrent(db, r.customerId, r.appliedOn, { paymentId: r.paymentId, creditId: r.creditId }, actor, at);
  return ids;
}

/** Positive application rows that no reversal row points at: the money that stands. */
export async function standingApplications(
  db: Db,
  where: { invoiceId?: number; creditId?: number; paymentId?: number },
): Promise<ApplicationRow[]> {
  let q = db
    .selectFrom('applications as a')
    .selectAll('a')
    .where('a.amount_cents', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('applications as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id'))));
  if (where.invoiceId !== undefined) q = q.where('a.invoice_id', '=', where.invoiceId);
  if (where.creditId !== undefined) q = q.where('a.credit_id', '=', where.creditId);
  if (where.paymentId !== undefined) q = q.where('a.payment_id', '=', where.paymentId);
  return q.orderBy('a.id').execute();
}

export interface ReversalRow {
  /** Id of the new (negative) row. */
  id: number;
  reversesId: number;
  invoiceId: number;
  source: 'payment' | 'credit';
  paymentId: number | null;
  creditId: number | null;
  /** Negative. */
  amountCents: number;
}

/**
 * Reverses whole application rows: for each id a new row with the negated amount, the same
 * invoice, customer, source, payment and credit, reverses_id set, applied_on the business date.
 * Then re-derives the status of every invoice touched (a paid invoice reopens; a void one stays void).
 * Refuses (nothing written by this call) an unknown id (NOT_FOUND), a reversal row or a row
 * already reversed (CONFLICT), and a blank reason (VALIDATION). Call inside the use case's
 * transaction; the caller appends the audit row.
 */
export async function reverseApplications(
  trx: Tx,
  applicationIds: readonly number[],
  reason: string,
  actor: string,
  now: PostingTime,
): Promise<ReversalRow[]> {
  const why = reason.trim();
  if (why.length === 0) throw validationError('reason', 'is required to reverse an application');
  const ids = [...new Set(applicationIds)];
  if (ids.length !== applicationIds.length) throw new AppError('CONFLICT', 'An application is listed twice for reversal');
  const rows: ApplicationRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(...(await trx.selectFrom('applications').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const reversed = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const hits = await trx
      .selectFrom('applications')
      .select('reverses_id')
      .where('reverses_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const h of hits) if (h.reverses_id !== null) reversed.add(h.reverses_id);
  }
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) throw new AppError('NOT_FOUND', `No application ${id}`, { applicationId: id });
    if (row.amount_cents < 0) throw new AppError('CONFLICT', `Application ${id} is itself a reversal`, { applicationId: id });
    if (reversed.has(id)) throw new AppError('CONFLICT', `Application ${id} has already been reversed`, { applicationId: id });
    if (row.source === 'write_off') throw new AppError('CONFLICT', `Application ${id} is a write-off, which moves no money to take back`, { applicationId: id });
  }
  const out: ReversalRow[] = [];
  for (const id of ids) {
    const row = byId.get(id)! as ApplicationRow & { source: 'payment' | 'credit' };
    const inserted = await trx
      .insertInto('applications')
      .values({
        invoice_id: row.invoice_id,
        customer_id: row.customer_id,
        source: row.source,
        payment_id: row.payment_id,
        credit_id: row.credit_id,
        amount_cents: -row.amount_cents,
        reverses_id: row.id,
        applied_on: now.businessDate,
        reason: why,
        created_at: now.at,
        created_by: actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    out.push({
      id: inserted.id,
      reversesId: row.id,
      invoiceId: row.invoice_id,
      source: row.source,
      paymentId: row.payment_id,
      creditId: row.credit_id,
      amountCents: -row.amount_cents,
    });
  }
  for (const invoiceId of new Set(out.map((r) => r.invoiceId))) await refreshInvoiceStatus(trx, invoiceId);
  return out;
}
