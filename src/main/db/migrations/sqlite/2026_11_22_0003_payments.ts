import { sql, type Kysely } from 'kysely';

/**
 * What the phone-payment workflow needs beyond the first schema. Frozen: later changes go in new migrations.
 * - unapplied_cents: money charged beyond what the selected invoices needed, held on account when
 *   the house rules keep overpayments; only a refund draws it down. A captured payment's money is
 *   its standing 'payment' applications + unapplied_cents + its completed refunds.
 * - receipt_email: where the confirmation goes when delivery is 'email'.
 */
const statements = [
  `ALTER TABLE payments ADD COLUMN unapplied_cents INTEGER NOT NULL DEFAULT 0 CHECK (unapplied_cents >= 0)`,
  `ALTER TABLE payments ADD COLUMN receipt_email TEXT`,
  `CREATE INDEX payment_reversals_status ON payment_reversals (status)`,
  `CREATE INDEX payment_methods_active ON payment_methods (customer_id, removed_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
