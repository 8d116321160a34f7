import { sql, type Kysely } from 'kysely';

/**
 * Corrections of posted money. Frozen: later changes go in new migrations.
 * - write_offs: a supervisor's write-off of a small remaining invoice balance (who, approved by,
 *   why). Not a payment and not a credit memo: it moves no money, so nothing can be refunded or
 *   re-applied from it. Append-only like the other posted money.
 * - applications gain the source 'write_off' (write_off_id), so the write-off takes the invoice's
 *   balance down through the same rows every balance, aging and statement is derived from. SQLite
 *   cannot change a CHECK, so the table is rebuilt with its rows, indexes and triggers as they were.
 */
const statements = [
  `CREATE TABLE write_offs (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    written_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    approved_by TEXT
  ) STRICT`,
  `CREATE INDEX write_offs_invoice ON write_offs (invoice_id)`,
  `CREATE INDEX write_offs_customer ON write_offs (customer_id)`,
  `CREATE TRIGGER write_offs_no_update BEFORE UPDATE ON write_offs
     BEGIN SELECT RAISE(ABORT, 'write-offs are posted: reverse them, never edit'); END`,
  `CREATE TRIGGER write_offs_no_delete BEFORE DELETE ON write_offs
     BEGIN SELECT RAISE(ABORT, 'write-offs are posted: reverse them, never delete'); END`,
  `CREATE TRIGGER write_offs_insert_changes AFTER INSERT ON write_offs
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'write_offs', NEW.id, NEW.customer_id); END`,

  `CREATE TABLE applications_next (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    source TEXT NOT NULL CHECK (source IN ('payment', 'credit', 'write_off')),
    payment_id INTEGER REFERENCES payments (id),
    credit_id INTEGER REFERENCES credit_memos (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    reverses_id INTEGER REFERENCES applications (id),
    applied_on TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    write_off_id INTEGER REFERENCES write_offs (id),
    CHECK ((amount_cents < 0) = (reverses_id IS NOT NULL)),
    CHECK ((source = 'payment' AND payment_id IS NOT NULL AND credit_id IS NULL AND write_off_id IS NULL)
        OR (source = 'credit' AND credit_id IS NOT NULL AND write_off_id IS NULL)
        OR (source = 'write_off' AND write_off_id IS NOT NULL AND payment_id IS NULL AND credit_id IS NULL))
  ) STRICT`,
  `INSERT INTO applications_next (id, invoice_id, customer_id, source, payment_id, credit_id, amount_cents, reverses_id,
       applied_on, reason, created_at, created_by)
     SELECT id, invoice_id, customer_id, source, payment_id, credit_id, amount_cents, reverses_id,
       applied_on, reason, created_at, created_by FROM applications ORDER BY id`,
  `DROP TRIGGER applications_no_update`,
  `DROP TRIGGER applications_no_delete`,
  `DROP TRIGGER applications_insert_changes`,
  `DROP TABLE applications`,
  `ALTER TABLE applications_next RENAME TO applications`,
  `CREATE INDEX applications_invoice ON applications (invoice_id, applied_on)`,
  `CREATE INDEX applications_payment ON applications (payment_id)`,
  `CREATE INDEX applications_credit ON applications (credit_id)`,
  `CREATE INDEX applications_write_off ON applications (write_off_id)`,
  `CREATE UNIQUE INDEX applications_reverses ON applications (reverses_id) WHERE reverses_id IS NOT NULL`,
  `CREATE INDEX applications_applied_on ON applications (applied_on, invoice_id)`,
  `CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
     BEGIN SELECT RAISE(ABORT, 'applications are posted money: reverse them, never edit'); END`,
  `CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
     BEGIN SELECT RAISE(ABORT, 'applications are posted money: reverse them, never delete'); END`,
  `CREATE TRIGGER applications_insert_changes AFTER INSERT ON applications
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'applications', NEW.id, NEW.customer_id); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
