import { sql, type Kysely } from 'kysely';
import { emailWords, normalize, words } from '../sqlite/2026_12_01_0003_search_ascii';

/**
 * Lookup by transliterated words, and by the billing contact and the email too: re-derives every
 * customer's name_search and customer_name_words rows exactly as
 * ../sqlite/2026_12_01_0003_search_ascii.ts does, with its frozen word rules (imported from it, so
 * both engines write the same words). Data only, no schema change. Frozen.
 *
 * Every statement is a round trip to the server here, so customers are read a page at a time (by
 * id) and their changed names and their words are written a batch per statement.
 */

interface CustomerText {
  /** int8: a string or a number, depending on the pool's type parser; only passed back as a parameter. */
  id: string | number;
  legal_name: string;
  name_search: string;
  billing_contact: string | null;
  email: string | null;
}

const CUSTOMERS_PER_PAGE = 1000;
const WORD_ROWS_PER_INSERT = 500;

async function insertWords(db: Kysely<unknown>, rows: [string, string | number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += WORD_ROWS_PER_INSERT) {
    const values = sql.join(rows.slice(i, i + WORD_ROWS_PER_INSERT).map(([word, id]) => sql`(${word}, ${id})`));
    await sql`INSERT INTO customer_name_words (word, customer_id) VALUES ${values}`.execute(db);
  }
}

async function updateNames(db: Kysely<unknown>, names: [string | number, string][]): Promise<void> {
  if (names.length === 0) return;
  const values = sql.join(names.map(([id, nameSearch]) => sql`(${id}::bigint, ${nameSearch}::text)`));
  await sql`UPDATE customers AS c SET name_search = v.name_search
            FROM (VALUES ${values}) AS v (id, name_search) WHERE c.id = v.id`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM customer_name_words`.execute(db);
  let after: string | number = 0;
  for (;;) {
    const customers: CustomerText[] = (
      await sql<CustomerText>`SELECT id, legal_name, name_search, billing_contact, email FROM customers
                              WHERE id > ${after} ORDER BY id LIMIT ${CUSTOMERS_PER_PAGE}`.execute(db)
    ).rows;
    if (customers.length === 0) break;
    const names: [string | number, string][] = [];
    const rows: [string, string | number][] = [];
    for (const c of customers) {
      const nameSearch = normalize(c.legal_name);
      if (nameSearch !== c.name_search) names.push([c.id, nameSearch]);
      const all = new Set([...words(c.legal_name), ...words(c.billing_contact ?? ''), ...emailWords(c.email ?? '')]);
      for (const word of all) rows.push([word, c.id]);
    }
    await updateNames(db, names);
    await insertWords(db, rows);
    after = customers[customers.length - 1]!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
