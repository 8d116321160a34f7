import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema';
import type { Db } from '../db/types';
import { dialectOf } from '../db/dialect';
import type { PaymentWithCustomer } from './payments.repo';

/**
 * Finding payments taken here (card, bank, credits, and checks, cash, wires and transfers received
 * at the desk; not the prior payments an import brought in) for the Payments screen, a page at a
 * time, newest first by business date, then time. Each filter that narrows by equality or a date
 * range has its own index (migration 2026_12_04_0001, payments_found_*), partial on kind <> 'import',
 * ordered as the page is, so the first page reads only its rows and the count reads only the
 * index entries that match, on a ledger of millions of payments as on a small one.
 */

/** The filters after the service has checked and normalized them; absent ones are left out. */
export interface PaymentSearchFilter {
  confirmationNumber?: string;
  /** As normalizeCheckNumber keeps it when a check is recorded. */
  checkNumber?: string;
  amountCents?: number;
  from?: string;
  to?: string;
  customerId?: number;
  clerk?: string;
  status?: 'pending' | 'captured' | 'declined' | 'failed' | 'voided';
}

type PaymentScope = ExpressionBuilder<DB & { p: DB['payments'] }, 'p'>;
type FilterCondition = (eb: PaymentScope, f: PaymentSearchFilter, dialect: 'sqlite' | 'postgres') => Expression<SqlBool> | null;

/** One entry per filter: a new filter is one more entry here and one more field in the contract. */
const CONDITIONS: readonly FilterCondition[] = [
  (eb, f) => (f.confirmationNumber === undefined ? null : eb('p.confirmation_number', '=', f.confirmationNumber)),
  (eb, f) => (f.checkNumber === undefined ? null : eb('p.check_number', '=', f.checkNumber)),
  (eb, f) => (f.amountCents === undefined ? null : eb('p.amount_cents', '=', f.amountCents)),
  (eb, f) => (f.from === undefined ? null : eb('p.received_on', '>=', f.from)),
  (eb, f) => (f.to === undefined ? null : eb('p.received_on', '<=', f.to)),
  (eb, f) => (f.customerId === undefined ? null : eb('p.customer_id', '=', f.customerId)),
  (eb, f) => (f.clerk === undefined ? null : eb('p.created_by', '=', f.clerk)),
  // "+" keeps SQLite off the status index (almost every payment is captured); see recentPayments.
  (eb, f, dialect) =>
    f.status === undefined ? null : eb(dialect === 'sqlite' ? sql<string>`+p.status` : eb.ref('p.status'), '=', f.status),
];

function matching(db: Db, f: PaymentSearchFilter) {
  const dialect = dialectOf(db);
  return db
    .selectFrom('payments as p')
    // Literal, not bound: SQLite uses a partial index only for a WHERE it can match as written.
    .where(sql<boolean>`p.kind <> 'import'`)
    .where((eb) => eb.and(CONDITIONS.map((c) => c(eb, f, dialect)).filter((c): c is Expression<SqlBool> => c !== null)));
}

/** The query of one page (exported with countQuery so a test can read their plans). */
export function pageQuery(db: Db, f: PaymentSearchFilter, page: { limit: number; offset: number }) {
  return matching(db, f)
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .selectAll('p')
    .select(['c.customer_number as customerNumber', 'c.legal_name as customerName'])
    .orderBy('p.received_on', 'desc')
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(page.limit)
    .offset(page.offset);
}

export function countQuery(db: Db, f: PaymentSearchFilter) {
  return matching(db, f).select((eb) => eb.fn.countAll<number>().as('n'));
}

/** One page of the payments that match, newest first, with whose they are. */
export async function searchPayments(db: Db, f: PaymentSearchFilter, page: { limit: number; offset: number }): Promise<PaymentWithCustomer[]> {
  return pageQuery(db, f, page).execute();
}

/** How many payments match, over every page. */
export async function countPayments(db: Db, f: PaymentSearchFilter): Promise<number> {
  return Number((await countQuery(db, f).executeTakeFirstOrThrow()).n);
}
