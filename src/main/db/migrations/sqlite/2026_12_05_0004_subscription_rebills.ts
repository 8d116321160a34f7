import { sql, type Kysely } from 'kysely';

/**
 * The part of a billed period billed again at a new price (billing/subscriptions.change.ts, a
 * change made now). Frozen: later changes go in new migrations.
 * - subscription_rebills: one row per change made now, written with its invoice in the same
 *   transaction: the period it falls in, the days it bills again (from the change to the period's
 *   end) and their amount at the new price. A later cancellation credits those days by this row,
 *   not by the period's first billing, which the change already credited. At most one per period
 *   (a subscription takes one change at a time). Never edited or deleted.
 */
const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

const statements = [
  `CREATE TABLE subscription_rebills (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    period_start TEXT NOT NULL CHECK (period_start ${DATE}),
    from_date TEXT NOT NULL CHECK (from_date ${DATE}),
    to_date TEXT NOT NULL CHECK (to_date ${DATE}),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    created_at TEXT NOT NULL,
    CHECK (from_date >= period_start),
    CHECK (to_date >= from_date),
    UNIQUE (subscription_id, period_start)
  ) STRICT`,
  `CREATE INDEX subscription_rebills_invoice ON subscription_rebills (invoice_id)`,
  `CREATE TRIGGER subscription_rebills_no_update BEFORE UPDATE ON subscription_rebills
     BEGIN SELECT RAISE(ABORT, 'a period billed again is never edited'); END`,
  `CREATE TRIGGER subscription_rebills_no_delete BEFORE DELETE ON subscription_rebills
     BEGIN SELECT RAISE(ABORT, 'a period billed again is never deleted'); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
