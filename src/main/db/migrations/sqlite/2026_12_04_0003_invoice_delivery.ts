import { sql, type Kysely } from 'kysely';

/**
 * How a customer gets the invoices the billing run makes. Frozen: later changes go in new migrations.
 * - customers.invoice_delivery: 'email', 'paper' (printed for a window envelope) or 'both'; NULL
 *   follows the office's default (the house rules' invoiceDelivery).
 * - invoice_deliveries: one row per invoice and channel, written with the invoice in the billing
 *   run's transaction, naming the outbox message or print job it made. UNIQUE (invoice_id,
 *   channel) keeps an invoice from being delivered twice by the same channel. Never edited or
 *   deleted. No change-log trigger: a row is only ever written with its invoice, whose customer's
 *   screens the invoice's own change already refreshes.
 * - outbox: an invoice's PDF may be drawn when the message is sent rather than stored with it
 *   (50,000 invoices are not drawn inside a billing run), so attachment_pdf may be NULL while the
 *   attachment is named by kind and reference. SQLite cannot alter a CHECK: the table is rebuilt
 *   (create, copy every row, drop, rename, re-index) in this migration's transaction. No other
 *   table, trigger or view refers to outbox.
 */
const statements = [
  `ALTER TABLE customers ADD COLUMN invoice_delivery TEXT CHECK (invoice_delivery IN ('email', 'paper', 'both'))`,

  `CREATE TABLE outbox_delivery (
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
    claimed_by TEXT,
    -- an attachment is named by kind, reference and file name; its bytes are stored, or drawn when sent
    CHECK ((attachment_kind IS NULL) = (attachment_ref IS NULL)),
    CHECK ((attachment_kind IS NULL) = (attachment_name IS NULL)),
    CHECK (attachment_pdf IS NULL OR attachment_kind IS NOT NULL),
    CHECK (status <> 'sent' OR sent_at IS NOT NULL),
    -- a message without a recipient can only wait, as failed, for the clerk to enter one
    CHECK (status NOT IN ('queued', 'sending', 'sent') OR length(trim(to_address)) > 0)
  ) STRICT`,
  `INSERT INTO outbox_delivery (
    id, message_id, to_address, subject, body, attachment_kind, attachment_ref, attachment_name, attachment_pdf,
    customer_id, payment_id, status, attempts, next_attempt_at, last_error, smtp_response, sent_at, cancelled_at,
    cancelled_by, created_at, created_by, updated_at, claimed_by
  )
  SELECT
    id, message_id, to_address, subject, body, attachment_kind, attachment_ref, attachment_name, attachment_pdf,
    customer_id, payment_id, status, attempts, next_attempt_at, last_error, smtp_response, sent_at, cancelled_at,
    cancelled_by, created_at, created_by, updated_at, claimed_by
  FROM outbox`,
  `DROP TABLE outbox`,
  `ALTER TABLE outbox_delivery RENAME TO outbox`,
  `CREATE INDEX outbox_due ON outbox (status, next_attempt_at)`,
  `CREATE INDEX outbox_payment ON outbox (payment_id)`,

  `CREATE TABLE invoice_deliveries (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'paper')),
    billing_run_id INTEGER REFERENCES billing_runs (id),
    outbox_id INTEGER REFERENCES outbox (id),
    print_job_id INTEGER REFERENCES print_jobs (id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((channel = 'email') = (outbox_id IS NOT NULL)),
    CHECK ((channel = 'paper') = (print_job_id IS NOT NULL)),
    UNIQUE (invoice_id, channel)
  ) STRICT`,
  `CREATE INDEX invoice_deliveries_run ON invoice_deliveries (billing_run_id)`,
  `CREATE TRIGGER invoice_deliveries_no_update BEFORE UPDATE ON invoice_deliveries
     BEGIN SELECT RAISE(ABORT, 'an invoice delivery is never edited'); END`,
  `CREATE TRIGGER invoice_deliveries_no_delete BEFORE DELETE ON invoice_deliveries
     BEGIN SELECT RAISE(ABORT, 'an invoice delivery is never deleted'); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
