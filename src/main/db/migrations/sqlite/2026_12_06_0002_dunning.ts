import { sql, type Kysely } from 'kysely';

/**
 * Past-due follow-up (billing/dunning.*.ts) and the collections worklist. Frozen: later changes go
 * in new migrations.
 * - dunning_levels: the follow-up levels an admin sets (replaced whole when saved): from how many
 *   days past due, the action, and an optional late fee (fixed cents and/or basis points of the
 *   past-due balance, at least a minimum, billed once grace days have passed). Seeded with an email
 *   at 15 days, a letter at 30, a call at 40, no fees.
 * - dunning_policy: one row; suspend_at_level (null: never suspend).
 * - dunning_notices: one per follow-up sent; UNIQUE (customer, level, the past-due invoices it was
 *   for). Never edited or deleted.
 * - dunning_notice_invoices: a notice's invoices; PRIMARY KEY (invoice, level): an invoice is in at
 *   most one notice of each level, so no level is ever sent twice for it.
 * - dunning_late_fees: the late-fee invoice billed for a notice, once (PRIMARY KEY notice_id).
 * - customer_collections: per customer, "no follow-up", suspended (since, at which level) and the
 *   clerk the worklist assigns the account to.
 */
const changed = (table: string, entityId: string, customerId: string, when: 'INSERT' | 'UPDATE') =>
  `CREATE TRIGGER ${table}_${when.toLowerCase()}_changes AFTER ${when} ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${entityId}, ${customerId}); END`;

const neverChanged = (table: string, what: string) => [
  `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
     BEGIN SELECT RAISE(ABORT, '${what} is a record: never edited'); END`,
  `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
     BEGIN SELECT RAISE(ABORT, '${what} is a record: never deleted'); END`,
];

const statements = [
  `CREATE TABLE dunning_levels (
    level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 20),
    days_past_due INTEGER NOT NULL UNIQUE CHECK (days_past_due BETWEEN 1 AND 3650),
    action TEXT NOT NULL CHECK (action IN ('email', 'letter', 'call')),
    fee_fixed_cents INTEGER NOT NULL DEFAULT 0 CHECK (fee_fixed_cents >= 0),
    fee_percent_bp INTEGER NOT NULL DEFAULT 0 CHECK (fee_percent_bp BETWEEN 0 AND 10000),
    fee_minimum_cents INTEGER NOT NULL DEFAULT 0 CHECK (fee_minimum_cents >= 0),
    grace_days INTEGER NOT NULL DEFAULT 0 CHECK (grace_days BETWEEN 0 AND 365),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT`,
  `INSERT INTO dunning_levels (level, days_past_due, action, updated_at, updated_by) VALUES
    (1, 15, 'email', '2026-12-06T00:00:00.000Z', 'setup'),
    (2, 30, 'letter', '2026-12-06T00:00:00.000Z', 'setup'),
    (3, 40, 'call', '2026-12-06T00:00:00.000Z', 'setup')`,

  `CREATE TABLE dunning_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    suspend_at_level INTEGER CHECK (suspend_at_level BETWEEN 1 AND 20),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT`,
  `INSERT INTO dunning_policy (id, suspend_at_level, updated_at, updated_by) VALUES (1, NULL, '2026-12-06T00:00:00.000Z', 'setup')`,

  `CREATE TABLE dunning_notices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    level INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('email', 'letter', 'call')),
    invoice_key TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    past_due_cents INTEGER NOT NULL,
    outbox_id INTEGER,
    print_job_id INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (customer_id, level, invoice_key)
  ) STRICT`,
  `CREATE INDEX dunning_notices_customer ON dunning_notices (customer_id, sent_on)`,
  ...neverChanged('dunning_notices', 'a follow-up notice'),
  changed('dunning_notices', 'NEW.id', 'NEW.customer_id', 'INSERT'),

  `CREATE TABLE dunning_notice_invoices (
    notice_id INTEGER NOT NULL REFERENCES dunning_notices (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    level INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, level)
  ) STRICT`,
  `CREATE INDEX dunning_notice_invoices_notice ON dunning_notice_invoices (notice_id)`,
  ...neverChanged('dunning_notice_invoices', 'an invoice of a follow-up notice'),

  `CREATE TABLE dunning_late_fees (
    notice_id INTEGER PRIMARY KEY REFERENCES dunning_notices (id),
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices (id),
    base_cents INTEGER NOT NULL CHECK (base_cents >= 0),
    fee_cents INTEGER NOT NULL CHECK (fee_cents > 0),
    created_at TEXT NOT NULL
  ) STRICT`,
  ...neverChanged('dunning_late_fees', 'a late fee'),

  `CREATE TABLE customer_collections (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL UNIQUE REFERENCES customers (id),
    no_follow_up INTEGER NOT NULL DEFAULT 0 CHECK (no_follow_up IN (0, 1)),
    suspended_on TEXT,
    suspended_level INTEGER,
    assigned_to TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK ((suspended_on IS NULL) = (suspended_level IS NULL))
  ) STRICT`,
  `CREATE INDEX customer_collections_assigned ON customer_collections (assigned_to)`,
  changed('customer_collections', 'NEW.id', 'NEW.customer_id', 'INSERT'),
  changed('customer_collections', 'NEW.id', 'NEW.customer_id', 'UPDATE'),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
