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
 *
 * The database reads each open invoice once with what was applied to it (invoicesOpenAsOf), the
 * credits and the money on account; the sums per customer and bucket are made here, in one pass
 * over those rows, which costs less than grouping them in SQL (a report for today stays within a
 * few per cent of the bare read of the open invoices).
 */
export async function agingSumsByCustomer(
  db: Db,
  asOf: string,
  basis: AgingBasis,
  customerId?: number,
): Promise<AgingSums[]> {
  const starts = bucketStarts(asOf);
  const invoices = await invoicesOpenAsOf(db, asOf, basis, customerId).execute();
  const credits = await db
    .selectFrom('credit_memos as cm')
    .where('cm.issue_date', '<=', asOf)
    .$if(customerId !== undefined, (q) => q.where('cm.customer_id', '=', customerId!))
    .select((eb) => ['cm.customer_id as customer_id', creditLeftAsOf(eb, asOf).as('left_cents')])
    .execute();
  const onAccount = await db
    .selectFrom('payments as pm')
    // Only payments holding money on account today: the partial index payments_on_account (a literal
    // 0, so SQLite matches the index's WHERE). Status and date are read through coalesce, so SQLite's
    // planner, which has no statistics, does not prefer the status or date index over a million rows.
    .where('pm.unapplied_cents', '>', sql.lit(0))
    .where((eb) => eb.fn.coalesce('pm.status', sql.lit('')), '=', 'captured')
    .where((eb) => eb.fn.coalesce('pm.received_on', sql.lit('')), '<=', asOf)
    .$if(customerId !== undefined, (q) => q.where('pm.customer_id', '=', customerId!))
    .select((eb) => ['pm.customer_id as customer_id', onAccountLeftAsOf(eb, asOf).as('left_cents')])
    .execute();

  const sums = new Map<number, Omit<AgingSums, 'customerId' | 'customerNumber' | 'legalName' | 'nameSearch' | 'total'>>();
  const of = (id: number) => {
    let s = sums.get(id);
    if (!s) sums.set(id, (s = { current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, disputedCents: 0, unappliedCreditsCents: 0 }));
    return s;
  };
  for (const inv of invoices) {
    const open = Number(inv.open_cents);
    if (open === 0) continue;
    const s = of(inv.customer_id);
    const d = inv.basis_date;
    // The same boundaries as bucketFor: on or after the start of a bucket is at most that old.
    if (d >= starts.current) s.current += open;
    else if (d >= starts.days_1_30) s.days_1_30 += open;
    else if (d >= starts.days_31_60) s.days_31_60 += open;
    else if (d >= starts.days_61_90) s.days_61_90 += open;
    else s.days_over_90 += open;
    if (inv.disputed === 1) s.disputedCents += open;
  }
  for (const left of [...credits, ...onAccount]) {
    const cents = Number(left.left_cents);
    if (cents !== 0) of(left.customer_id).unappliedCreditsCents += cents;
  }

  // Read in table order and sorted here: walking the customer-number index costs a random read per customer.
  const customers = await db
    .selectFrom('customers as cu')
    .$if(customerId !== undefined, (q) => q.where('cu.id', '=', customerId!))
    .select(['cu.id', 'cu.customer_number', 'cu.legal_name', 'cu.name_search'])
    .execute();
  const rows: AgingSums[] = [];
  for (const cu of customers) {
    const s = sums.get(cu.id);
    if (!s) continue;
    const total = s.current + s.days_1_30 + s.days_31_60 + s.days_61_90 + s.days_over_90;
    if (total === 0 && s.unappliedCreditsCents === 0) continue;
    rows.push({ customerId: cu.id, customerNumber: cu.customer_number, legalName: cu.legal_name, nameSearch: cu.name_search, ...s, total });
  }
  // By customer number, compared as the ledger's binary collation does (customer numbers are ASCII).
  return rows.sort((a, b) => (a.customerNumber < b.customerNumber ? -1 : a.customerNumber > b.customerNumber ? 1 : 0));
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
