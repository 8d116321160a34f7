import { sql, type Kysely } from 'kysely';

/**
 * The payments holding money on account (an overpayment kept, money moved off an invoice), by
 * customer: a partial index of the few payments whose cached unapplied_cents is above zero, so the
 * aging report's unapplied column reads them instead of scanning every payment (a million in an
 * office's ledger). Same name and shape in both engines. Frozen: later changes go in new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`CREATE INDEX payments_on_account ON payments (customer_id, received_on) WHERE unapplied_cents > 0`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
