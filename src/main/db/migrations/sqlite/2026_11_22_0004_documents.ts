import { sql, type Kysely } from 'kysely';

/**
 * The print queue and the email outbox. Both live in the ledger so a restart, a crash or a
 * printer that is off loses nothing. Frozen: later changes go in new migrations.
 */
const statements = [
  // A document is named by its kind and a canonical JSON reference, and rebuilt from the ledger when printed.
  `CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY,
    document_kind TEXT NOT NULL CHECK (document_kind IN ('confirmation', 'statement', 'statements', 'invoice')),
    document_ref TEXT NOT NULL CHECK (json_valid(document_ref)),
    title TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    payment_id INTEGER REFERENCES payments (id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'printed', 'discarded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    last_attempt_at TEXT,
    printed_at TEXT,
    discarded_at TEXT,
    discarded_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX print_jobs_status ON print_jobs (status, id)`,
  `CREATE INDEX print_jobs_payment ON print_jobs (payment_id)`,

  // The attachment is kept as the exact bytes queued, so what is sent is what the clerk saw queued.
  // message_id is the Message-ID header, fixed when queued: a resend after a crash carries the same one.
  `CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attachment_kind TEXT CHECK (attachment_kind IN ('confirmation', 'statement', 'statements', 'invoice')),
    attachment_ref TEXT CHECK (attachment_ref IS NULL OR json_valid(attachment_ref)),
    attachment_name TEXT,
    attachment_pdf BLOB,
    customer_id INTEGER REFERENCES customers (id),
    payment_id INTEGER REFERENCES payments (id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    smtp_response TEXT,
    sent_at TEXT,
    cancelled_at TEXT,
    cancelled_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((attachment_kind IS NULL) = (attachment_pdf IS NULL)),
    CHECK ((attachment_pdf IS NULL) = (attachment_name IS NULL)),
    CHECK (status <> 'sent' OR sent_at IS NOT NULL),
    -- a message without a recipient can only wait, as failed, for the clerk to enter one
    CHECK (status NOT IN ('queued', 'sending', 'sent') OR length(trim(to_address)) > 0)
  ) STRICT`,
  `CREATE INDEX outbox_due ON outbox (status, next_attempt_at)`,
  `CREATE INDEX outbox_payment ON outbox (payment_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
