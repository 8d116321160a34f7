import { sql, type Kysely } from 'kysely';

/**
 * What several workstations sharing one ledger need. Frozen: later changes go in new migrations.
 * - change_log: one row per change to an account's money or details, written by triggers, so every
 *   workstation's open screens refresh when another one moves money (SQLite: polled; PostgreSQL:
 *   the same rows plus NOTIFY). Not posted money: old rows are pruned.
 * - claims: a workstation that settles a pending payment or reversal with the gateway (recovery)
 *   first claims it for a short lease, so two workstations never ask and settle it at once.
 * - print_jobs.workstation: a print job belongs to the workstation whose printer prints it.
 * - outbox.claimed_by: which workstation is sending a message ('sending'), for the message's record.
 */
const changed = (table: string, event: 'INSERT' | 'UPDATE', entityId: string, customerId: string) =>
  `CREATE TRIGGER ${table}_${event.toLowerCase()}_changes AFTER ${event} ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${entityId}, ${customerId}); END`;

const statements = [
  `CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    customer_id INTEGER
  ) STRICT`,
  `CREATE INDEX change_log_at ON change_log (at)`,
  changed('customers', 'INSERT', 'NEW.id', 'NEW.id'),
  changed('customers', 'UPDATE', 'NEW.id', 'NEW.id'),
  // Invoices arrive in bulk by import (which notes itself once); a change of state is what a screen shows.
  changed('invoices', 'UPDATE', 'NEW.id', 'NEW.customer_id'),
  changed('credit_memos', 'INSERT', 'NEW.id', 'NEW.customer_id'),
  changed('payments', 'INSERT', 'NEW.id', 'NEW.customer_id'),
  changed('payments', 'UPDATE', 'NEW.id', 'NEW.customer_id'),
  changed('applications', 'INSERT', 'NEW.id', 'NEW.customer_id'),
  changed('payment_methods', 'INSERT', 'NEW.id', 'NEW.customer_id'),
  changed('payment_methods', 'UPDATE', 'NEW.id', 'NEW.customer_id'),
  changed('payment_reversals', 'INSERT', 'NEW.id', '(SELECT customer_id FROM payments WHERE id = NEW.payment_id)'),
  changed('payment_reversals', 'UPDATE', 'NEW.id', '(SELECT customer_id FROM payments WHERE id = NEW.payment_id)'),

  `ALTER TABLE payments ADD COLUMN claimed_by TEXT`,
  `ALTER TABLE payments ADD COLUMN claimed_until TEXT`,
  `ALTER TABLE payment_reversals ADD COLUMN claimed_by TEXT`,
  `ALTER TABLE payment_reversals ADD COLUMN claimed_until TEXT`,
  `ALTER TABLE print_jobs ADD COLUMN workstation TEXT`,
  `CREATE INDEX print_jobs_workstation ON print_jobs (workstation, status)`,
  `ALTER TABLE outbox ADD COLUMN claimed_by TEXT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
