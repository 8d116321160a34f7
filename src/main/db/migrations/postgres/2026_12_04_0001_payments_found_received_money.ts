import { sql, type Kysely } from 'kysely';

/**
 * The payments taken here include received checks and cash, and a payment is found by its check
 * number, as ../sqlite/2026_12_04_0001_payments_found_received_money.ts explains: the same indexes
 * rebuilt under the same names over kind <> 'import', and payments_found_check. Index only.
 * Frozen: later changes go in new migrations.
 */
const TAKEN_HERE = `WHERE kind <> 'import'`;

const statements = [
  `DROP INDEX payments_taken_here_created`,
  `DROP INDEX payments_found_received`,
  `DROP INDEX payments_found_amount`,
  `DROP INDEX payments_found_customer`,
  `DROP INDEX payments_found_clerk`,
  `CREATE INDEX payments_taken_here_created ON payments (created_at, id) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_received ON payments (received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_amount ON payments (amount_cents, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_customer ON payments (customer_id, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_clerk ON payments (created_by, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_check ON payments (check_number, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
