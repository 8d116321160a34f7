import { sql, type Kysely } from 'kysely';

/**
 * Billing disputes (ledger/disputes.service.ts). Frozen: later changes go in new migrations.
 * - disputes: one per dispute a clerk opens for a customer, with the customer's words; resolved by
 *   a supervisor in the customer's favour (a credit memo, credit_id, for all or part of what the
 *   invoices owed) or against (the invoices return to normal follow-up), with a reason. While open
 *   its invoices carry invoices.disputed (Pay All, aging and statements read that flag).
 * - dispute_invoices: the invoices of a dispute; an invoice is in at most one open dispute (the
 *   service checks it under the customer's lock). Never edited or deleted.
 */
const changed = (table: string, entityId: string, customerId: string, when: 'INSERT' | 'UPDATE') =>
  `CREATE TRIGGER ${table}_${when.toLowerCase()}_changes AFTER ${when} ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${entityId}, ${customerId}); END`;

const statements = [
  `CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0 AND length(reason) <= 2000),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('customer', 'against')),
    resolution_reason TEXT,
    credit_id INTEGER REFERENCES credit_memos (id),
    resolved_at TEXT,
    resolved_by TEXT,
    CHECK ((status = 'open') = (outcome IS NULL)),
    CHECK (status = 'open' OR (resolution_reason IS NOT NULL AND resolved_at IS NOT NULL AND resolved_by IS NOT NULL)),
    CHECK (credit_id IS NULL OR outcome = 'customer')
  ) STRICT`,
  `CREATE INDEX disputes_customer ON disputes (customer_id, status)`,
  `CREATE TRIGGER disputes_no_delete BEFORE DELETE ON disputes
     BEGIN SELECT RAISE(ABORT, 'a dispute is a record: never deleted'); END`,
  `CREATE TRIGGER disputes_resolved_frozen BEFORE UPDATE ON disputes WHEN OLD.status = 'resolved'
     BEGIN SELECT RAISE(ABORT, 'a resolved dispute is never changed'); END`,
  changed('disputes', 'NEW.id', 'NEW.customer_id', 'INSERT'),
  changed('disputes', 'NEW.id', 'NEW.customer_id', 'UPDATE'),

  `CREATE TABLE dispute_invoices (
    dispute_id INTEGER NOT NULL REFERENCES disputes (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    PRIMARY KEY (dispute_id, invoice_id)
  ) STRICT`,
  `CREATE INDEX dispute_invoices_invoice ON dispute_invoices (invoice_id)`,
  `CREATE TRIGGER dispute_invoices_no_update BEFORE UPDATE ON dispute_invoices
     BEGIN SELECT RAISE(ABORT, 'a dispute''s invoices are never edited'); END`,
  `CREATE TRIGGER dispute_invoices_no_delete BEFORE DELETE ON dispute_invoices
     BEGIN SELECT RAISE(ABORT, 'a dispute''s invoices are never deleted'); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
