import { sql, type Kysely } from 'kysely';

/**
 * What the phone-payment workflow needs beyond the first schema, as
 * ../sqlite/2026_11_22_0003_payments.ts adds it. Frozen: later changes go in new migrations.
 * - unapplied_cents: money charged beyond what the selected invoices needed, held on account when
 *   the house rules keep overpayments; only a refund draws it down.
 * - receipt_email: where the confirmation goes when delivery is 'email'.
 */
const statements = [
  `ALTER TABLE payments
     ADD COLUMN unapplied_cents bigint NOT NULL DEFAULT 0 CHECK (unapplied_cents >= 0),
     ADD COLUMN receipt_email text COLLATE "C"`,
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
