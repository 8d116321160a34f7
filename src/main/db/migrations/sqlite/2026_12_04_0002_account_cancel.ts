import { sql, type Kysely } from 'kysely';

/**
 * Cancelling an account (billing/account-cancel.ts). Frozen: later changes go in new migrations.
 * - customers.cancelled_on / cancel_mode / cancel_reason / cancelled_at / cancelled_by: when the
 *   account's service stops (the first day not used, or the day after its last term), how, why,
 *   and who cancelled it when. The account keeps its history and can still pay what it owes.
 * - billing_runs.progress_done / progress_total: the invoices a run has written of those it
 *   planned, after each batch, so the Billing run screen of any workstation can show its progress.
 */
const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

const statements = [
  `ALTER TABLE customers ADD COLUMN cancelled_on TEXT CHECK (cancelled_on ${DATE})`,
  `ALTER TABLE customers ADD COLUMN cancel_mode TEXT CHECK (cancel_mode IN ('end_of_term', 'immediate'))`,
  `ALTER TABLE customers ADD COLUMN cancel_reason TEXT`,
  `ALTER TABLE customers ADD COLUMN cancelled_at TEXT`,
  `ALTER TABLE customers ADD COLUMN cancelled_by TEXT`,
  `ALTER TABLE billing_runs ADD COLUMN progress_done INTEGER NOT NULL DEFAULT 0 CHECK (progress_done >= 0)`,
  `ALTER TABLE billing_runs ADD COLUMN progress_total INTEGER NOT NULL DEFAULT 0 CHECK (progress_total >= 0)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
