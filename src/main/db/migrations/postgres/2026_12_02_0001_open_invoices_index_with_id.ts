import { sql, type Kysely } from 'kysely';

/**
 * The partial index of open invoices (invoices_open_aging of 0002) carries the invoice id too, as
 * ../sqlite/2026_12_02_0001_open_invoices_index_with_id.ts explains. In SQLite every index entry
 * already holds the row's id, so the index covers what the aging report, the lookup balances and
 * the account screen read of an open invoice, and they never touch the table. A PostgreSQL index
 * holds no id: the aging report read the index, then ~20,000 table pages for the ids of the open
 * invoices (of a million) and for their columns. With the id included it is an index-only scan.
 * The index is rebuilt under its own name, so both engines keep the same index names.
 * Frozen: later changes go in new migrations.
 */
const statements = [
  `CREATE INDEX invoices_open_aging_with_id ON invoices (status, customer_id, due_date, issue_date, total_cents, disputed)
     INCLUDE (id) WHERE status = 'open'`,
  `DROP INDEX invoices_open_aging`,
  `ALTER INDEX invoices_open_aging_with_id RENAME TO invoices_open_aging`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
