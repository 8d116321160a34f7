import { sql, type Kysely } from 'kysely';

/**
 * The Payments screen's index of the newest payments taken here, as
 * ../sqlite/2026_11_22_0005_recent_payments.ts makes it (see there for why it is partial). Index
 * only, no data change. Frozen: later changes go in new migrations.
 */
const statements = [
  `CREATE INDEX payments_taken_here_created ON payments (created_at, id) WHERE kind IN ('card', 'bank', 'credit_only')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
