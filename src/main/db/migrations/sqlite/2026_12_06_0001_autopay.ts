import { sql, type Kysely } from 'kysely';

/**
 * Autopay (billing/autopay.*.ts). Frozen: later changes go in new migrations.
 * - autopay_settings: one row per customer that ever had autopay set: on or off, the method it
 *   charges (NULL: the customer's default method on file), and the consent: who recorded it, when,
 *   and how ('supervisor': a supervisor turned it on; 'customer_consent': a clerk recorded the
 *   customer's consent). Changed in place; every change is audited.
 * - autopay_attempts: one row per charge the daily run tries. UNIQUE idempotency_key (derived from
 *   customer, invoices, date and attempt number: the same key as the payment's) and UNIQUE
 *   (customer_id, attempt_date): one payment per customer per day, however often the run repeats.
 *   Its outcome moves from pending once, to what the gateway (or recovery) said; never deleted.
 * - autopay_attempt_invoices: the invoices an attempt charged and the cents of each. Never edited.
 * - payment_method_expiry_notices: "your card expires next month" sent for a method, once (UNIQUE payment_method_id).
 */
const changed = (table: string, entityId: string, customerId: string, when: 'INSERT' | 'UPDATE') =>
  `CREATE TRIGGER ${table}_${when.toLowerCase()}_changes AFTER ${when} ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${entityId}, ${customerId}); END`;

const statements = [
  `CREATE TABLE autopay_settings (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL UNIQUE REFERENCES customers (id),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    payment_method_id INTEGER REFERENCES payment_methods (id),
    consent_via TEXT CHECK (consent_via IN ('supervisor', 'customer_consent', 'import')),
    consent_by TEXT,
    consent_at TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (enabled = 0 OR (consent_via IS NOT NULL AND consent_by IS NOT NULL AND consent_at IS NOT NULL))
  ) STRICT`,
  changed('autopay_settings', 'NEW.id', 'NEW.customer_id', 'INSERT'),
  changed('autopay_settings', 'NEW.id', 'NEW.customer_id', 'UPDATE'),
  `CREATE TRIGGER autopay_settings_no_delete BEFORE DELETE ON autopay_settings
     BEGIN SELECT RAISE(ABORT, 'autopay is turned off, never deleted'); END`,

  `CREATE TABLE autopay_attempts (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    attempt_date TEXT NOT NULL,
    attempt_number INTEGER NOT NULL CHECK (attempt_number >= 1),
    idempotency_key TEXT NOT NULL UNIQUE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    payment_method_id INTEGER NOT NULL REFERENCES payment_methods (id),
    outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'approved', 'declined', 'hard_declined', 'unknown', 'not_charged')),
    decline_code TEXT,
    decline_message TEXT,
    payment_id INTEGER REFERENCES payments (id),
    first_declined_on TEXT,
    next_retry_date TEXT,
    notice_outbox_id INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (customer_id, attempt_date)
  ) STRICT`,
  `CREATE INDEX autopay_attempts_customer ON autopay_attempts (customer_id, id)`,
  `CREATE INDEX autopay_attempts_open ON autopay_attempts (outcome) WHERE outcome IN ('pending', 'unknown')`,
  changed('autopay_attempts', 'NEW.id', 'NEW.customer_id', 'INSERT'),
  changed('autopay_attempts', 'NEW.id', 'NEW.customer_id', 'UPDATE'),
  `CREATE TRIGGER autopay_attempts_no_delete BEFORE DELETE ON autopay_attempts
     BEGIN SELECT RAISE(ABORT, 'an autopay attempt is a record: never deleted'); END`,
  `CREATE TRIGGER autopay_attempts_settled_frozen BEFORE UPDATE ON autopay_attempts
     WHEN OLD.outcome IN ('approved', 'declined', 'hard_declined', 'not_charged')
     BEGIN SELECT RAISE(ABORT, 'a settled autopay attempt is never changed'); END`,

  `CREATE TABLE autopay_attempt_invoices (
    attempt_id INTEGER NOT NULL REFERENCES autopay_attempts (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (attempt_id, invoice_id)
  ) STRICT`,
  `CREATE INDEX autopay_attempt_invoices_invoice ON autopay_attempt_invoices (invoice_id)`,
  `CREATE TRIGGER autopay_attempt_invoices_no_update BEFORE UPDATE ON autopay_attempt_invoices
     BEGIN SELECT RAISE(ABORT, 'an autopay attempt''s invoices are never edited'); END`,
  `CREATE TRIGGER autopay_attempt_invoices_no_delete BEFORE DELETE ON autopay_attempt_invoices
     BEGIN SELECT RAISE(ABORT, 'an autopay attempt''s invoices are never deleted'); END`,

  `CREATE TABLE payment_method_expiry_notices (
    id INTEGER PRIMARY KEY,
    payment_method_id INTEGER NOT NULL UNIQUE REFERENCES payment_methods (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    sent_on TEXT NOT NULL,
    outbox_id INTEGER,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE TRIGGER payment_method_expiry_notices_no_update BEFORE UPDATE ON payment_method_expiry_notices
     BEGIN SELECT RAISE(ABORT, 'an expiry notice is a record: never edited'); END`,
  `CREATE TRIGGER payment_method_expiry_notices_no_delete BEFORE DELETE ON payment_method_expiry_notices
     BEGIN SELECT RAISE(ABORT, 'an expiry notice is a record: never deleted'); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
