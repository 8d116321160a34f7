import { sql, type Kysely } from 'kysely';

/**
 * Print jobs followed through the operating system's print system, as
 * ../sqlite/2026_12_01_0002_print_tracking.ts makes them (see there for what each column says).
 * SQLite rebuilds the table to change the status CHECK; PostgreSQL alters it in place, which keeps
 * every row and id and ends with the same columns, in the same order, and the same CHECKs.
 * Frozen: later changes go in new migrations.
 */
const statements = [
  `ALTER TABLE print_jobs DROP CONSTRAINT print_jobs_status_check`,
  `ALTER TABLE print_jobs
     ADD CONSTRAINT print_jobs_status_check CHECK (status IN ('queued', 'sent', 'printed', 'discarded', 'failed')),
     ADD COLUMN requested_printer text COLLATE "C" CHECK (requested_printer IS NULL OR length(requested_printer) BETWEEN 1 AND 127),
     ADD COLUMN requested_copies integer CHECK (requested_copies IS NULL OR requested_copies BETWEEN 1 AND 99),
     ADD COLUMN system text COLLATE "C" CHECK (system IS NULL OR system IN ('cups', 'windows', 'dialog', 'none')),
     ADD COLUMN system_printer text COLLATE "C",
     ADD COLUMN system_job_id text COLLATE "C",
     ADD COLUMN system_state text COLLATE "C"
       CHECK (system_state IS NULL OR system_state IN ('queued', 'printing', 'held', 'completed', 'aborted', 'cancelled', 'unknown')),
     ADD COLUMN system_reason text COLLATE "C",
     ADD COLUMN sent_at text COLLATE "C",
     ADD COLUMN system_checked_at text COLLATE "C"`,
  // a job the print system took says where it went and when
  `ALTER TABLE print_jobs ADD CONSTRAINT print_jobs_sent_check
     CHECK (status <> 'sent' OR (system IS NOT NULL AND system_printer IS NOT NULL AND system_state IS NOT NULL AND sent_at IS NOT NULL))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
