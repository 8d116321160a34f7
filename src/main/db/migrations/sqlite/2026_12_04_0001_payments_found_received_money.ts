import { sql, type Kysely } from 'kysely';

/**
 * The Payments screen finds and lists received checks and cash too, and finds a payment by its
 * check number. The partial indexes of the payments taken here (payments_taken_here_created of
 * 2026_11_22_0005, payments_found_* of 2026_12_03_0004) covered only card, bank and credit-only
 * payments, so a check or cash payment recorded at the desk (2026_12_03_0002) was in neither the
 * recent list nor the search. They are rebuilt under the same names over every payment but the prior
 * ones an import brought in (kind <> 'import', written as a literal in the queries so SQLite can
 * match it), and payments_found_check is added for the check number. Index only, no data change.
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
