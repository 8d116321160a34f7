import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/schema';
import type { Db } from '../db/types';
import { caseFolded, lastChars, withoutCase } from '../db/dialect';

/**
 * The lookup box's queries. Every one is an index range or an exact index probe (prefixes as
 * `col >= p AND col < p || U+10FFFF`, which also works in PostgreSQL), and each returns at most
 * `limit` customers in name order, so merging their results and keeping the first `limit` by name
 * gives the right answer without reading every match.
 */

/** Every string that starts with `prefix` sorts at or after it and before this bound. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

export interface CustomerHit {
  id: number;
  customerNumber: string;
  nameKey: string;
}

export interface InvoiceHit extends CustomerHit {
  invoiceNumber: string;
}

type CustomerQuery = SelectQueryBuilder<DB & { c: DB['customers'] }, 'c', object>;

async function topByName(query: CustomerQuery, limit: number): Promise<CustomerHit[]> {
  return query
    .select(['c.id as id', 'c.customer_number as customerNumber', 'c.name_search as nameKey'])
    .orderBy('c.name_search')
    .orderBy('c.customer_number')
    .limit(limit)
    .execute();
}

export async function customerByExactNumber(db: Db, number: string): Promise<CustomerHit | undefined> {
  return db
    .selectFrom('customers as c')
    .select(['c.id as id', 'c.customer_number as customerNumber', 'c.name_search as nameKey'])
    .where('c.customer_number', '=', number)
    .executeTakeFirst();
}

/** Customers whose number starts with `prefix` (stored numbers are upper case). */
export function customersByNumberPrefix(db: Db, prefix: string, limit: number): Promise<CustomerHit[]> {
  return topByName(
    db
      .selectFrom('customers as c')
      .where('c.customer_number', '>=', prefix)
      .where('c.customer_number', '<', prefixEnd(prefix)),
    limit,
  );
}

/** The invoice with this number, compared without case, and its customer. */
export async function customerByInvoiceNumber(db: Db, invoiceNumber: string): Promise<InvoiceHit | undefined> {
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['c.id as id', 'c.customer_number as customerNumber', 'c.name_search as nameKey', 'i.invoice_number as invoiceNumber'])
    // Matches the invoices_number_nocase index.
    .where(withoutCase(db, 'i.invoice_number'), '=', caseFolded(db, invoiceNumber))
    .executeTakeFirst();
}

/**
 * The ids of the customers with a word (of the name, the billing contact or the email) starting
 * with each of `wordPrefixes` (normalized: lower case ASCII): one index range per word, intersected.
 */
export function customerIdsByWords(db: Db, wordPrefixes: readonly [string, ...string[]]) {
  const [first, ...rest] = wordPrefixes;
  const wordRange = (prefix: string) =>
    db
      .selectFrom('customer_name_words')
      .select('customer_id')
      .where('word', '>=', prefix)
      .where('word', '<', prefixEnd(prefix));
  let ids = wordRange(first);
  for (const prefix of rest) ids = ids.intersect(wordRange(prefix));
  return ids;
}

/**
 * Customers with a word starting with each of `wordPrefixes`, first `limit` by name. Each word row
 * carries its customer's name_search and number, so this reads only word ranges (the primary
 * key's, which holds those columns on both engines) and sorts them: a short prefix matches
 * thousands of customers, and fetching each one's name from the customers table was most of the
 * lookup's time on PostgreSQL. A customer with several words in one range is one hit (DISTINCT,
 * or the intersection's own de-duplication).
 */
export function customersByNameWords(db: Db, wordPrefixes: readonly string[], limit: number): Promise<CustomerHit[]> {
  const [first, ...rest] = wordPrefixes;
  if (first === undefined) return Promise.resolve([]);
  const wordRange = (prefix: string) =>
    db
      .selectFrom('customer_name_words')
      .select(['customer_id as id', 'customer_number as customerNumber', 'name_search as nameKey'])
      .where('word', '>=', prefix)
      .where('word', '<', prefixEnd(prefix));
  let hits = rest.length === 0 ? wordRange(first).distinct() : wordRange(first);
  for (const prefix of rest) hits = hits.intersect(wordRange(prefix));
  return hits.orderBy('nameKey').orderBy('customerNumber').limit(limit).execute();
}

/**
 * Customers whose phone digits end with `digits` (a local number typed without the area code)
 * or start with them (an area code and exchange typed first).
 */
export function customersByPhoneDigits(db: Db, digits: string, limit: number): Promise<CustomerHit[]> {
  const last4 = digits.slice(-4);
  return topByName(
    db
      .selectFrom('customers as c')
      .where((eb) =>
        eb.or([
          // The customers_phone_last4 index narrows to a handful, then the whole suffix is compared.
          eb.and([
            eb(lastChars(db, 'c.phone_digits', 4), '=', last4),
            eb(lastChars(db, 'c.phone_digits', digits.length), '=', digits),
          ]),
          eb.and([eb('c.phone_digits', '>=', digits), eb('c.phone_digits', '<', prefixEnd(digits))]),
        ]),
      ),
    limit,
  );
}

/** Customers whose email starts with `prefix`, compared without case. */
export function customersByEmailPrefix(db: Db, prefix: string, limit: number): Promise<CustomerHit[]> {
  // The same collation as the customers_email index, so the range is read from it.
  const email = withoutCase(db, 'c.email');
  const folded = caseFolded(db, prefix);
  return topByName(
    db
      .selectFrom('customers as c')
      .where(email, '>=', folded)
      .where(email, '<', prefixEnd(folded)),
    limit,
  );
}

export interface CustomerCard {
  id: number;
  customerNumber: string;
  legalName: string;
  phone: string | null;
  email: string | null;
  openCents: number;
  pastDueCents: number;
}

/**
 * The result rows: contact details and today's open and past-due amounts, for these customers only,
 * in one query (the customers joined to their open invoices' sums), one round trip to the server.
 */
export async function customerCards(db: Db, ids: readonly number[], businessDate: string): Promise<Map<number, CustomerCard>> {
  const out = new Map<number, CustomerCard>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('customers as c')
    .leftJoin(
      (qb) =>
        qb
          .selectFrom((sub) =>
            sub
              .selectFrom('invoices as i')
              // A literal, not a parameter, so SQLite can use the partial index of open invoices.
              .where('i.status', '=', sql.lit('open'))
              .where('i.customer_id', 'in', ids)
              .select((eb) => [
                'i.customer_id',
                'i.due_date',
                eb(
                  'i.total_cents',
                  '-',
                  eb.fn.coalesce(
                    eb
                      .selectFrom('applications as a')
                      .select((e) => e.fn.sum<number>('a.amount_cents').as('applied'))
                      .whereRef('a.invoice_id', '=', 'i.id'),
                    sql.lit(0),
                  ),
                ).as('open_cents'),
              ])
              .as('o'),
          )
          .groupBy('o.customer_id')
          .select((eb) => [
            'o.customer_id',
            eb.fn.sum<number>('o.open_cents').as('open_cents'),
            eb.fn
              .sum<number>(eb.case().when('o.due_date', '<', businessDate).then(eb.ref('o.open_cents')).else(sql.lit(0)).end())
              .as('past_due_cents'),
          ])
          .as('b'),
      (join) => join.onRef('b.customer_id', '=', 'c.id'),
    )
    .select(['c.id', 'c.customer_number', 'c.legal_name', 'c.phone', 'c.email', 'b.open_cents', 'b.past_due_cents'])
    .where('c.id', 'in', ids)
    .execute();
  for (const c of rows) {
    out.set(c.id, {
      id: c.id,
      customerNumber: c.customer_number,
      legalName: c.legal_name,
      phone: c.phone,
      email: c.email,
      // No open invoice: no row of sums.
      openCents: c.open_cents ?? 0,
      pastDueCents: c.past_due_cents ?? 0,
    });
  }
  return out;
}
