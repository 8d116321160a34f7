import { sql, type Kysely } from 'kysely';

/**
 * Each lookup word carries its customer's name_search and customer_number, the order the lookup
 * box lists customers in, as ../sqlite/2026_12_09_0001_lookup_words_name_order.ts explains. Here
 * the columns are added, filled from the customers, and carried in the primary key's index
 * (INCLUDE), so a word prefix is an index-only scan that yields the customers and their order,
 * with no probe of the customers table per match. Frozen: later changes go in new migrations.
 */
const statements = [
  `ALTER TABLE customer_name_words ADD COLUMN name_search text COLLATE "C", ADD COLUMN customer_number text COLLATE "C"`,
  `UPDATE customer_name_words AS w SET name_search = c.name_search, customer_number = c.customer_number
     FROM customers AS c WHERE c.id = w.customer_id`,
  `ALTER TABLE customer_name_words ALTER COLUMN name_search SET NOT NULL, ALTER COLUMN customer_number SET NOT NULL`,
  `ALTER TABLE customer_name_words DROP CONSTRAINT customer_name_words_pkey,
     ADD CONSTRAINT customer_name_words_pkey PRIMARY KEY (word, customer_id) INCLUDE (name_search, customer_number)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
