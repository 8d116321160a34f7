import { sql, type Kysely } from 'kysely';

/**
 * Account notes, the phone-debit authorization, and finding a payment. Frozen: later changes go in
 * new migrations.
 * - account_notes: the account's dated log (call notes, general notes, promises to pay), append-only
 *   like the audit log. A promise's state (open, kept, broken) is never stored: it is derived from
 *   the payments at read time (ledger/notes.rules.ts).
 * - payment_authorizations: the customer's spoken authorization of a bank debit taken over the phone
 *   (NACHA telephone-initiated entries): who took it, when, and the exact wording read. One per
 *   payment, written with the pending payment, never changed.
 * - payments_found_*: the Payments screen's search, newest first by business date then time, over
 *   the payments taken here (the same partial predicate as payments_taken_here_created, written as
 *   literals so SQLite can match it), one index per filter that narrows by equality or range. Each
 *   ends with kind and status so the count of the matches reads the index alone.
 */
const changed = (table: string, entityId: string, customerId: string) =>
  `CREATE TRIGGER ${table}_insert_changes AFTER INSERT ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${entityId}, ${customerId}); END`;

const TAKEN_HERE = `WHERE kind IN ('card', 'bank', 'credit_only')`;

const statements = [
  `CREATE TABLE account_notes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'general', 'promise')),
    body TEXT NOT NULL CHECK (length(body) <= 2000),
    promised_on TEXT CHECK (promised_on IS NULL OR promised_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    promised_cents INTEGER CHECK (promised_cents IS NULL OR promised_cents > 0),
    created_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((kind = 'promise') = (promised_on IS NOT NULL AND promised_cents IS NOT NULL)),
    CHECK (kind = 'promise' OR length(trim(body)) > 0)
  ) STRICT`,
  `CREATE INDEX account_notes_customer ON account_notes (customer_id, created_at, id)`,
  `CREATE TRIGGER account_notes_no_update BEFORE UPDATE ON account_notes
     BEGIN SELECT RAISE(ABORT, 'account notes are a log: add another note, never edit'); END`,
  `CREATE TRIGGER account_notes_no_delete BEFORE DELETE ON account_notes
     BEGIN SELECT RAISE(ABORT, 'account notes are a log: never deleted'); END`,
  changed('account_notes', 'NEW.id', 'NEW.customer_id'),

  `CREATE TABLE payment_authorizations (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    kind TEXT NOT NULL CHECK (kind IN ('phone_debit')),
    wording TEXT NOT NULL CHECK (length(wording) > 0),
    authorized_at TEXT NOT NULL,
    authorized_by TEXT NOT NULL
  ) STRICT`,
  `CREATE TRIGGER payment_authorizations_no_update BEFORE UPDATE ON payment_authorizations
     BEGIN SELECT RAISE(ABORT, 'a payment''s authorization is a record: never edited'); END`,
  `CREATE TRIGGER payment_authorizations_no_delete BEFORE DELETE ON payment_authorizations
     BEGIN SELECT RAISE(ABORT, 'a payment''s authorization is a record: never deleted'); END`,

  `CREATE INDEX payments_found_received ON payments (received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_amount ON payments (amount_cents, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_customer ON payments (customer_id, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
  `CREATE INDEX payments_found_clerk ON payments (created_by, received_on, created_at, id, kind, status) ${TAKEN_HERE}`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
