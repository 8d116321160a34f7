import { sql, type AliasableExpression, type ExpressionBuilder } from 'kysely';
import { addDays } from '../../shared/dates';
import type { DB } from '../db/schema';
import type { Db } from '../db/types';
import type { AgingBasis } from './aging.rules';

/**
 * Aging as of a date D, straight from the posted rows:
 * - an invoice counts when it is not void and was issued on or before D; its open amount as of D
 *   is its total less the applications dated on or before D (a reversal row counts on its own
 *   date); an open amount of 0 leaves it out;
 * - a credit memo issued on or before D is unapplied by its amount less its applications dated on
 *   or before D, reported outside the buckets; so is a payment's money held on account (an
 *   overpayment kept, or money moved off an invoice), for the payments holding some today.
 *
 * The whole-ledger report is one aggregate query that does not visit every invoice. An invoice
 * can have money open on D only if it is open today (status 'open', which auditInvariants keeps
 * equal to the derivation) or if money was applied to it after D (it was open then). Both sets
 * come from indexes (the partial index of open invoices, applications by date), so a report for
 * today reads the open invoices, not the million paid ones.
 */

/** Earliest basis date of each bucket: a basis date on or after it is at most that many days old. */
export interface BucketStarts {
  current: string;
  days_1_30: string;
  days_31_60: string;
  days_61_90: string;
}

/** Age = days from the basis date to D: <= 0 current, 1-30, 31-60, 61-90, > 90 (as bucketFor). */
export function bucketStarts(asOf: string): BucketStarts {
  return {
    current: asOf,
    days_1_30: addDays(asOf, -30),
    days_31_60: addDays(asOf, -60),
    days_61_90: addDays(asOf, -90),
  };
}

export interface AgingSums {
  customerId: number;
  customerNumber: string;
  legalName: string;
  /** The legal name folded for search (lower case ASCII): what the screen sorts names by. */
  nameSearch: string;
  current: number;
  days_1_30: number;
  days_31_60: number;
  days_61_90: number;
  days_over_90: number;
  total: number;
  disputedCents: number;
  /** Set while the account is suspended by past-due follow-up (customer_collections). */
  suspendedOn: string | null;
  unappliedCreditsCents: number;
}

type InvoiceScope = ExpressionBuilder<DB & { i: DB['invoices'] }, 'i'>;

/** The open amount of invoice `i` as of `asOf`. */
function openAsOf(eb: InvoiceScope, asOf: string): AliasableExpression<number> {
  const applied = eb
    .selectFrom('applications as a')
    .select((e) => e.fn.sum<number>('a.amount_cents').as('applied'))
    .whereRef('a.invoice_id', '=', 'i.id')
    .where('a.applied_on', '<=', asOf);
  return eb('i.total_cents', '-', eb.fn.coalesce(applied, sql.lit(0)));
}

/** What remains of credit memo `cm` as of `asOf`. */
function creditLeftAsOf(eb: ExpressionBuilder<DB & { cm: DB['credit_memos'] }, 'cm'>, asOf: string): AliasableExpression<number> {
  const used = eb
    .selectFrom('applications as a')
    .select((e) => e.fn.sum<number>('a.amount_cents').as('used'))
    .whereRef('a.credit_id', '=', 'cm.id')
    .where('a.applied_on', '<=', asOf);
  return eb('cm.amount_cents', '-', eb.fn.coalesce(used, sql.lit(0)));
}

/**
 * What payment `pm` held on account as of `asOf`: its amount less its own applications and its
 * completed voids and refunds dated on or before it (the derivation the cached unapplied_cents equals today).
 */
function onAccountLeftAsOf(eb: ExpressionBuilder<DB & { pm: DB['payments'] }, 'pm'>, asOf: string): AliasableExpression<number> {
  const applied = eb
    .selectFrom('applications as a')
    .select((e) => e.fn.sum<number>('a.amount_cents').as('applied'))
    .whereRef('a.payment_id', '=', 'pm.id')
    .where('a.source', '=', 'payment')
    .where('a.applied_on', '<=', asOf);
  const returned = eb
    .selectFrom('payment_reversals as r')
    .select((e) => e.fn.sum<number>('r.amount_cents').as('returned'))
    .whereRef('r.payment_id', '=', 'pm.id')
    .where('r.status', '=', 'completed')
    .where(sql<string>`substr(r.created_at, 1, 10)`, '<=', asOf);
  return eb(eb('pm.amount_cents', '-', eb.fn.coalesce(applied, sql.lit(0))), '-', eb.fn.coalesce(returned, sql.lit(0)));
}

/**
 * Invoices that may have money open on `asOf`, with that amount (0 included; callers filter):
 * open ones, and paid ones that received money after `asOf`.
 */
export function invoicesOpenAsOf(db: Db, asOf: string, basis: AgingBasis, customerId?: number) {
  const basisColumn = basis === 'due' ? 'i.due_date' : 'i.issue_date';
  const columns = (eb: InvoiceScope) =>
    [
      eb.ref('i.id').as('invoice_id'),
      eb.ref('i.customer_id').as('customer_id'),
      eb.ref(basisColumn).as('basis_date'),
      eb.ref('i.disputed').as('disputed'),
      openAsOf(eb, asOf).as('open_cents'),
    ] as const;
  return (
    db
      .selectFrom('invoices as i')
      // A literal, not a parameter, so SQLite can use the partial index of open invoices.
      .where('i.status', '=', sql.lit('open'))
      .where('i.issue_date', '<=', asOf)
      .$if(customerId !== undefined, (q) => q.where('i.customer_id', '=', customerId!))
      .select(columns)
      .unionAll(
        db
          .selectFrom((qb) =>
            qb
              .selectFrom('applications as later')
              .select('later.invoice_id')
              .where('later.applied_on', '>', asOf)
              // Evaluated once: when nothing is dated after D (a report for today) the scan is skipped.
              .where(({ exists, selectFrom }) =>
                exists(selectFrom('applications as any_later').select(sql.lit(1).as('one')).where('any_later.applied_on', '>', asOf)),
              )
              .$if(customerId !== undefined, (q) => q.where('later.customer_id', '=', customerId!))
              // Grouping (not DISTINCT) hands the ids over sorted, so the invoice reads below go in page order.
              .groupBy('later.invoice_id')
              .as('l'),
          )
          .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
          // 'paid' spelled as "neither open nor void" so the join runs from the few dated rows, not the status index.
          .where('i.status', 'not in', [sql.lit<'open'>('open'), sql.lit<'void'>('void')])
          .where('i.issue_date', '<=', asOf)
          .select(columns),
      )
  );
}

/**
 * One row per customer with a non-zero total or an unapplied credit on `asOf`, by customer number;
 * or only `customerId`'s row when given.
 */
export async function agingSumsByCustomer(
  db: Db,
  asOf: string,
  basis: AgingBasis,
  customerId?: number,
): Promise<AgingSums[]> {
  return finishAgingSums(await agingSumsQuery(db, asOf, basis, customerId).execute());
}

/** The query of agingSumsByCustomer, unrun: compiled, it can be run on another connection (aging.service's warm-up). */
export function agingSumsQuery(db: Db, asOf: string, basis: AgingBasis, customerId?: number) {
  const starts = bucketStarts(asOf);
  return db
    // Materialized so each invoice's open amount is computed once, not once per bucket column.
    .with(
      (cte) => cte('open_invoices').materialized(),
      () => invoicesOpenAsOf(db, asOf, basis, customerId),
    )
    .with(
      (cte) => cte('credit_left').materialized(),
      (qb) =>
        qb
          .selectFrom('credit_memos as cm')
          .where('cm.issue_date', '<=', asOf)
          .$if(customerId !== undefined, (q) => q.where('cm.customer_id', '=', customerId!))
          .select((eb) => ['cm.customer_id as customer_id', creditLeftAsOf(eb, asOf).as('left_cents')]),
    )
    .with(
      (cte) => cte('on_account_left').materialized(),
      (qb) =>
        qb
          .selectFrom('payments as pm')
          // Only payments holding money on account today: the partial index payments_on_account (a literal
          // 0, so SQLite matches the index's WHERE). Status and date are read through coalesce, so SQLite's
          // planner, which has no statistics, does not prefer the status or date index over a million rows.
          .where('pm.unapplied_cents', '>', sql.lit(0))
          .where((eb) => eb.fn.coalesce('pm.status', sql.lit('')), '=', 'captured')
          .where((eb) => eb.fn.coalesce('pm.received_on', sql.lit('')), '<=', asOf)
          .$if(customerId !== undefined, (q) => q.where('pm.customer_id', '=', customerId!))
          .select((eb) => ['pm.customer_id as customer_id', onAccountLeftAsOf(eb, asOf).as('left_cents')]),
    )
    .with('amounts', (qb) =>
      // One row per open invoice with its amount in its bucket's column, then one per credit left.
      qb
        .selectFrom('open_invoices')
        .where('open_cents', '<>', 0)
        .select((eb) => {
          const d = eb.ref('basis_date');
          const open = eb.ref('open_cents');
          const zero = sql.lit(0);
          return [
            'customer_id',
            eb.case().when(d, '>=', starts.current).then(open).else(zero).end().as('current'),
            eb.case().when(eb.and([eb(d, '<', starts.current), eb(d, '>=', starts.days_1_30)])).then(open).else(zero).end().as('days_1_30'),
            eb.case().when(eb.and([eb(d, '<', starts.days_1_30), eb(d, '>=', starts.days_31_60)])).then(open).else(zero).end().as('days_31_60'),
            eb.case().when(eb.and([eb(d, '<', starts.days_31_60), eb(d, '>=', starts.days_61_90)])).then(open).else(zero).end().as('days_61_90'),
            eb.case().when(d, '<', starts.days_61_90).then(open).else(zero).end().as('days_over_90'),
            eb.case().when('disputed', '=', 1).then(open).else(zero).end().as('disputed_cents'),
            zero.as('left_cents'),
          ];
        })
        .unionAll(
          qb
            .selectFrom('credit_left')
            .where('left_cents', '<>', 0)
            .select([
              'customer_id',
              sql.lit(0).as('current'),
              sql.lit(0).as('days_1_30'),
              sql.lit(0).as('days_31_60'),
              sql.lit(0).as('days_61_90'),
              sql.lit(0).as('days_over_90'),
              sql.lit(0).as('disputed_cents'),
              'left_cents',
            ]),
        )
        .unionAll(
          qb
            .selectFrom('on_account_left')
            .where('left_cents', '<>', 0)
            .select([
              'customer_id',
              sql.lit(0).as('current'),
              sql.lit(0).as('days_1_30'),
              sql.lit(0).as('days_31_60'),
              sql.lit(0).as('days_61_90'),
              sql.lit(0).as('days_over_90'),
              sql.lit(0).as('disputed_cents'),
              'left_cents',
            ]),
        ),
    )
    .with('per_customer', (qb) =>
      qb
        .selectFrom('amounts as m')
        .groupBy('m.customer_id')
        .select((eb) => [
          'm.customer_id',
          eb.fn.sum<number>('m.current').as('current'),
          eb.fn.sum<number>('m.days_1_30').as('days_1_30'),
          eb.fn.sum<number>('m.days_31_60').as('days_31_60'),
          eb.fn.sum<number>('m.days_61_90').as('days_61_90'),
          eb.fn.sum<number>('m.days_over_90').as('days_over_90'),
          eb.fn.sum<number>('m.disputed_cents').as('disputed_cents'),
          eb.fn.sum<number>('m.left_cents').as('left_cents'),
        ]),
    )
    .selectFrom('per_customer as p')
    .innerJoin('customers as cu', 'cu.id', 'p.customer_id')
    .leftJoin('customer_collections as cc', 'cc.customer_id', 'cu.id')
    .select([
      'cc.suspended_on as suspendedOn',
      'cu.id as customerId',
      'cu.customer_number as customerNumber',
      'cu.legal_name as legalName',
      'cu.name_search as nameSearch',
      'p.current',
      'p.days_1_30',
      'p.days_31_60',
      'p.days_61_90',
      'p.days_over_90',
      'p.disputed_cents as disputedCents',
      'p.left_cents as unappliedCreditsCents',
    ]);
}

/** The rows agingSumsQuery answers. */
export type AgingSumsRow = Omit<AgingSums, 'total'>;

/** agingSumsQuery's rows made the report's: totals added, customers owing nothing and holding nothing left out, by customer number. */
export function finishAgingSums(rows: readonly AgingSumsRow[]): AgingSums[] {
  return (
    rows
      .map((r) => ({ ...r, total: r.current + r.days_1_30 + r.days_31_60 + r.days_61_90 + r.days_over_90 }))
      .filter((r) => r.total !== 0 || r.unappliedCreditsCents !== 0)
      // By customer number, compared as the ledger's binary collation does (customer numbers are ASCII);
      // sorted here, as walking the customer-number index in SQL costs a random read per customer.
      .sort((x, y) => (x.customerNumber < y.customerNumber ? -1 : x.customerNumber > y.customerNumber ? 1 : 0))
  );
}

export interface CustomerOpenInvoice {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  totalCents: number;
  openCents: number;
  disputed: boolean;
  disputeReason: string | null;
}

/** One customer's invoices with money open on `asOf`, oldest due first (due, issue, number). */
export async function customerInvoicesOpenAsOf(db: Db, customerId: number, asOf: string): Promise<CustomerOpenInvoice[]> {
  const rows = await db
    .selectFrom('invoices as i')
    .where('i.customer_id', '=', customerId)
    .where('i.status', '<>', 'void')
    .where('i.issue_date', '<=', asOf)
    .select((eb) => [
      'i.invoice_number as invoiceNumber',
      'i.issue_date as issueDate',
      'i.due_date as dueDate',
      'i.total_cents as totalCents',
      'i.disputed',
      'i.dispute_reason as disputeReason',
      openAsOf(eb, asOf).as('openCents'),
    ])
    .orderBy('i.due_date')
    .orderBy('i.issue_date')
    .orderBy('i.invoice_number')
    .execute();
  return rows
    .filter((r) => r.openCents !== 0)
    .map(({ disputed, disputeReason, ...r }) => ({ ...r, disputed: disputed === 1, disputeReason: disputed === 1 ? disputeReason : null }));
}

export interface CustomerCreditLeft {
  creditNumber: string;
  issueDate: string;
  amountCents: number;
  remainingCents: number;
}

/** One customer's credit memos with something left on `asOf`, oldest first. */
export async function customerCreditsLeftAsOf(db: Db, customerId: number, asOf: string): Promise<CustomerCreditLeft[]> {
  const rows = await db
    .selectFrom('credit_memos as cm')
    .where('cm.customer_id', '=', customerId)
    .where('cm.issue_date', '<=', asOf)
    .select((eb) => [
      'cm.credit_number as creditNumber',
      'cm.issue_date as issueDate',
      'cm.amount_cents as amountCents',
      creditLeftAsOf(eb, asOf).as('remainingCents'),
    ])
    .orderBy('cm.issue_date')
    .orderBy('cm.credit_number')
    .execute();
  return rows.filter((r) => r.remainingCents !== 0);
}
