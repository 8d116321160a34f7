/** Queries of past-due follow-up: the levels in force, the customers to follow up, and what each one owes and was sent. */
import { sql } from 'kysely';
import type { Db, Tx } from '../db/types';
import { asInteger } from '../db/dialect';
import { invoiceOpenCentsSql } from '../ledger/balances.repo';
import type { FollowUpLevel, PastDueInvoice, UnbilledNotice } from './dunning.rules';

export interface FollowUpSettings {
  levels: FollowUpLevel[];
  suspendAtLevel: number | null;
  updatedAt: string;
  updatedBy: string;
}

export async function loadFollowUpSettings(db: Db): Promise<FollowUpSettings> {
  const rows = await db.selectFrom('dunning_levels').selectAll().orderBy('level').execute();
  const policy = await db.selectFrom('dunning_policy').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const latest = rows.reduce((m, r) => (r.updated_at > m.at ? { at: r.updated_at, by: r.updated_by } : m), { at: policy.updated_at, by: policy.updated_by });
  return {
    levels: rows.map((r) => ({
      level: r.level,
      daysPastDue: r.days_past_due,
      action: r.action,
      feeFixedCents: Number(r.fee_fixed_cents),
      feePercentBp: r.fee_percent_bp,
      feeMinimumCents: Number(r.fee_minimum_cents),
      graceDays: r.grace_days,
    })),
    suspendAtLevel: policy.suspend_at_level,
    updatedAt: latest.at,
    updatedBy: latest.by,
  };
}

/**
 * The customers the run looks at, in id order: active accounts not marked "no follow-up" with an
 * open, undisputed invoice due before the as-of date; and every suspended account (to lift it).
 */
export async function followUpCandidates(db: Db, asOf: string): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    SELECT DISTINCT i.customer_id AS id FROM invoices i
      JOIN customers c ON c.id = i.customer_id
      LEFT JOIN customer_collections cc ON cc.customer_id = i.customer_id
     WHERE i.status = 'open' AND i.disputed = 0 AND i.due_date < ${asOf}
       AND c.status = 'active' AND coalesce(cc.no_follow_up, 0) = 0
    UNION
    SELECT customer_id AS id FROM customer_collections WHERE suspended_on IS NOT NULL
    ORDER BY id`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

export interface CustomerFollowUpRow {
  customerId: number;
  customerNumber: string;
  legalName: string;
  email: string;
  termsDays: number;
  followedUp: boolean;
  suspended: boolean;
  /** The level it was suspended at; null when not suspended. */
  suspendedLevel: number | null;
  pastDue: PastDueInvoice[];
  sentLevel: number;
  unbilled: UnbilledNotice[];
}

/** The follow-up facts of these customers, read inside the run's transaction after their locks. */
export async function followUpFacts(trx: Tx, customerIds: readonly number[], asOf: string): Promise<CustomerFollowUpRow[]> {
  if (customerIds.length === 0) return [];
  const customers = await trx
    .selectFrom('customers as c')
    .leftJoin('customer_collections as cc', 'cc.customer_id', 'c.id')
    .select(['c.id', 'c.customer_number', 'c.legal_name', 'c.email', 'c.terms_days', 'c.status', 'cc.no_follow_up', 'cc.suspended_on', 'cc.suspended_level'])
    .where('c.id', 'in', [...customerIds])
    .orderBy('c.id')
    .execute();
  const invoices = await trx
    .selectFrom('invoices as i')
    .select([
      'i.id', 'i.customer_id', 'i.invoice_number', 'i.due_date',
      asInteger(invoiceOpenCentsSql).as('open_cents'),
      sql<number>`CASE WHEN EXISTS (SELECT 1 FROM dunning_late_fees f WHERE f.invoice_id = i.id) THEN 1 ELSE 0 END`.as('late_fee'),
    ])
    .where('i.customer_id', 'in', [...customerIds])
    .where('i.status', '=', 'open')
    .where('i.disputed', '=', 0)
    .where('i.due_date', '<', asOf)
    .orderBy('i.due_date')
    .orderBy('i.id')
    .execute();
  const ids = invoices.map((i) => i.id);
  const sent = ids.length === 0 ? [] : await trx
    .selectFrom('dunning_notice_invoices as ni')
    .innerJoin('dunning_notices as n', 'n.id', 'ni.notice_id')
    .leftJoin('dunning_late_fees as f', 'f.notice_id', 'n.id')
    .select(['n.id', 'n.customer_id', 'n.level', 'n.reached_on', 'f.invoice_id as fee_invoice_id'])
    .where('ni.invoice_id', 'in', ids)
    .distinct()
    .execute();
  return customers.map((c) => {
    const mine = sent.filter((s) => s.customer_id === c.id);
    return {
      customerId: c.id,
      customerNumber: c.customer_number,
      legalName: c.legal_name,
      email: (c.email ?? '').trim(),
      termsDays: c.terms_days,
      followedUp: c.status === 'active' && (c.no_follow_up ?? 0) === 0,
      suspended: c.suspended_on !== null && c.suspended_on !== undefined,
      suspendedLevel: c.suspended_level ?? null,
      pastDue: invoices
        .filter((i) => i.customer_id === c.id)
        .map((i) => ({ id: i.id, invoiceNumber: i.invoice_number, dueDate: i.due_date, openCents: Number(i.open_cents), lateFee: Number(i.late_fee) === 1 }))
        .filter((i) => i.openCents > 0),
      sentLevel: mine.reduce((m, s) => Math.max(m, s.level), 0),
      unbilled: mine.filter((s) => s.fee_invoice_id === null).map((s) => ({ noticeId: s.id, level: s.level, reachedOn: s.reached_on })),
    };
  });
}

/** Sets an account's collections columns, making its row the first time. */
export async function upsertCollections(
  trx: Tx,
  customerId: number,
  values: { suspended_on?: string | null; suspended_level?: number | null; no_follow_up?: number; assigned_to?: string | null; updated_at: string; updated_by: string },
): Promise<void> {
  const changed = await trx.updateTable('customer_collections').set(values).where('customer_id', '=', customerId).executeTakeFirst();
  if (Number(changed.numUpdatedRows) > 0) return;
  await trx.insertInto('customer_collections').values({ customer_id: customerId, ...values }).execute();
}
