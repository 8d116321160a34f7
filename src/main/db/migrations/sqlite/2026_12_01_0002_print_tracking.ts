import { sql, type Kysely } from 'kysely';

/**
 * Print jobs followed through the operating system's print system. A job stays 'queued' in AR Desk
 * only while the print system refuses it; once the system took it, it is 'sent' with the printer
 * and the system's job id ("sent to printer X as job N"), and is followed to 'printed' (completed)
 * or 'failed' (aborted, cancelled). What the system last said is kept in system_state and
 * system_reason ("held": paper jam). A job may name its own printer and copies (the CLI's
 * --printer, --copies); else the workstation's settings decide when it is printed.
 *
 * The new status 'sent' changes the status CHECK, which SQLite cannot alter in place: the table
 * is rebuilt (create, copy every row, drop, rename, re-index) inside this migration's transaction.
 * No other table, trigger or view refers to print_jobs. Frozen: later changes go in new migrations.
 */
const statements = [
  `CREATE TABLE print_jobs_tracking (
    id INTEGER PRIMARY KEY,
    document_kind TEXT NOT NULL CHECK (document_kind IN ('confirmation', 'statement', 'statements', 'invoice')),
    document_ref TEXT NOT NULL CHECK (json_valid(document_ref)),
    title TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    payment_id INTEGER REFERENCES payments (id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'printed', 'discarded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    last_attempt_at TEXT,
    printed_at TEXT,
    discarded_at TEXT,
    discarded_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    requested_printer TEXT CHECK (requested_printer IS NULL OR length(requested_printer) BETWEEN 1 AND 127),
    requested_copies INTEGER CHECK (requested_copies IS NULL OR requested_copies BETWEEN 1 AND 99),
    system TEXT CHECK (system IS NULL OR system IN ('cups', 'windows', 'dialog', 'none')),
    system_printer TEXT,
    system_job_id TEXT,
    system_state TEXT CHECK (system_state IS NULL OR system_state IN ('queued', 'printing', 'held', 'completed', 'aborted', 'cancelled', 'unknown')),
    system_reason TEXT,
    sent_at TEXT,
    system_checked_at TEXT,
    -- a job the print system took says where it went and when
    CHECK (status <> 'sent' OR (system IS NOT NULL AND system_printer IS NOT NULL AND system_state IS NOT NULL AND sent_at IS NOT NULL))
  ) STRICT`,
  `INSERT INTO print_jobs_tracking (
    id, document_kind, document_ref, title, customer_id, payment_id, status, attempts, last_error, last_attempt_at,
    printed_at, discarded_at, discarded_by, created_at, created_by, updated_at
  )
  SELECT
    id, document_kind, document_ref, title, customer_id, payment_id, status, attempts, last_error, last_attempt_at,
    printed_at, discarded_at, discarded_by, created_at, created_by, updated_at
  FROM print_jobs`,
  `DROP TABLE print_jobs`,
  `ALTER TABLE print_jobs_tracking RENAME TO print_jobs`,
  `CREATE INDEX print_jobs_status ON print_jobs (status, id)`,
  `CREATE INDEX print_jobs_payment ON print_jobs (payment_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
