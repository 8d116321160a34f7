import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the clerk's lookup box and the aging report on a large ledger. Indexes only, no
 * data change. Frozen: later changes go in new migrations.
 * - applications by date: the aging report as of a past date finds the invoices that had money
 *   open then (an application dated after it) without visiting every paid invoice.
 * - open invoices only (a partial index, small since most invoices are paid), carrying what the
 *   aging report, the lookup balances and the account screen read, so they never touch the table.
 * - the last four digits of the phone: "555-0142" finds "(503) 555-0142" (a suffix match) by index.
 * - invoice numbers without case: "inv-100234" finds INV-100234 by index.
 */
const statements = [
  `CREATE INDEX applications_applied_on ON applications (applied_on, invoice_id)`,
  `CREATE INDEX invoices_open_aging ON invoices (status, customer_id, due_date, issue_date, total_cents, disputed)
     WHERE status = 'open'`,
  `CREATE INDEX customers_phone_last4 ON customers (substr(phone_digits, -4))`,
  `CREATE INDEX invoices_number_nocase ON invoices (invoice_number COLLATE NOCASE)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
