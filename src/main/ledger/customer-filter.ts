import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { customerIdsByWords } from './lookup.repo';
import { nameWords } from './search.rules';

/**
 * The rows whose customer `text` finds the way the lookup box does: the start of the customer
 * number, or words in any order each starting a word of the legal name, the billing contact or the
 * email (case, accents and other scripts folded to ASCII: "lodz" finds "Łódź"). Blank text keeps all.
 * The words are read from the lookup index (customer_name_words), never by scanning the names.
 */
export async function rowsMatchingCustomer<T extends { customerId: number; customerNumber: string }>(
  db: Kysely<DB> | Transaction<DB>,
  rows: readonly T[],
  text: string,
): Promise<T[]> {
  const match = await customerMatch(db, text);
  if (match === null) return [...rows];
  return rows.filter((r) => match.ids.has(r.customerId) || r.customerNumber.startsWith(match.numberPrefix));
}

/** What `text` finds, as rowsMatchingCustomer keeps it: these ids, or a number starting with the prefix. Null for blank text. */
export async function customerMatch(db: Kysely<DB> | Transaction<DB>, text: string): Promise<{ ids: Set<number>; numberPrefix: string } | null> {
  const typed = text.trim();
  if (typed === '') return null;
  const [first, ...rest] = nameWords(typed);
  const ids = new Set<number>();
  if (first !== undefined) {
    for (const r of await customerIdsByWords(db, [first, ...rest]).execute()) ids.add(r.customer_id);
  }
  return { ids, numberPrefix: typed.toUpperCase() };
}
