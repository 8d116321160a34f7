import { sql, type Kysely } from 'kysely';

/**
 * Each lookup word carries its customer's name_search and customer_number, the order the lookup
 * box lists customers in. A short word prefix ("mar", "har") matches a couple of thousand
 * customers, of whom the box shows the first 20 by name: reading the order from the customers
 * table meant one index probe per matching customer, which on PostgreSQL (about 3 µs each) took
 * 5 to 7 ms of an 11 ms lookup. With the order in the word rows the lookup reads one range of the
 * words' primary key and sorts it, and never touches the customers table.
 *
 * The two columns are written with the words (customers.repo replaceNameWords, the import, the
 * demo writer); a new legal name rewrites the words, so the copy changes with it, and a customer
 * keeps its number for life. SQLite cannot add a NOT NULL column without a default, so the table
 * is rebuilt: it is WITHOUT ROWID, its primary key holds every column, so the range read gets the
 * order without another lookup. PostgreSQL adds the columns and carries them in its primary key
 * index (../postgres/2026_12_09_0001_lookup_words_name_order.ts). Frozen.
 */
const statements = [
  `CREATE TABLE customer_name_words_new (
    word TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    name_search TEXT NOT NULL,
    customer_number TEXT NOT NULL,
    PRIMARY KEY (word, customer_id)
  ) STRICT, WITHOUT ROWID`,
  `INSERT INTO customer_name_words_new (word, customer_id, name_search, customer_number)
     SELECT w.word, w.customer_id, c.name_search, c.customer_number
     FROM customer_name_words w JOIN customers c ON c.id = w.customer_id`,
  `DROP TABLE customer_name_words`,
  `ALTER TABLE customer_name_words_new RENAME TO customer_name_words`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
