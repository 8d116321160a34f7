import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the clerk's lookup box and the aging report on a large ledger, as
 * ../sqlite/2026_11_22_0002_read_indexes.ts makes them (see there for why each). Indexes only, no
 * data change. Frozen: later changes go in new migrations.
 * - SQLite's substr(phone_digits, -4) is right(phone_digits, 4) here (both give the whole value
 *   when it is shorter than four);
 * - SQLite's (invoice_number COLLATE NOCASE) is an index on lower(invoice_number).
 */
const statements = [
  `CREATE INDEX applications_applied_on ON applications (applied_on, invoice_id)`,
  `CREATE INDEX invoices_open_aging ON invoices (status, customer_id, due_date, issue_date, total_cents, disputed)
     WHERE status = 'open'`,
  `CREATE INDEX customers_phone_last4 ON customers (right(phone_digits, 4))`,
  `CREATE INDEX invoices_number_nocase ON invoices (lower(invoice_number))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
