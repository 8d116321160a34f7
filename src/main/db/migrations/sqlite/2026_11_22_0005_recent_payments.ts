import { sql, type Kysely } from 'kysely';

/**
 * The Payments screen lists the newest payments taken here (card, bank, credits) across every
 * customer: walking this index backwards reads only the few rows shown. It leaves out the prior
 * payments an import brought in, which can be most of a ledger. A query uses it only when its WHERE
 * repeats the kind list as literals (see recentPayments). Index only, no data change. Frozen: later
 * changes go in new migrations.
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
