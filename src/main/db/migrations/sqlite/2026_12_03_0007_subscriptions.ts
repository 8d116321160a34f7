import { sql, type Kysely } from 'kysely';

/**
 * Recurring billing in advance (src/main/billing). Frozen: later changes go in new migrations.
 * - subscriptions: a customer's service billed every period from its anchor; status and who
 *   changed it. A subscription the billing run will not catch up on its own (too many missed
 *   periods) is held for review (held_reason) until someone looks at it.
 * - subscription_lines: what a period bills, versioned by the date from which it applies; a price
 *   change is a new version, so what an earlier period billed stays readable. Never edited.
 * - subscription_periods: one row per billed period, written with its invoice in the same
 *   transaction. UNIQUE (subscription_id, period_start) is the exactly-once key of the billing
 *   run: a repeated, interrupted or concurrent run cannot bill a period twice. Never edited.
 * - billing_runs: each run, who ran it where, and what it made; one running at a time (lease).
 */
const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
const PERIODS = `('monthly', 'quarterly', 'semiannual', 'annual')`;

const statements = [
  `CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    period TEXT NOT NULL CHECK (period IN ${PERIODS}),
    start_date TEXT NOT NULL CHECK (start_date ${DATE}),
    end_date TEXT CHECK (end_date ${DATE}),
    anchor_day INTEGER NOT NULL CHECK (anchor_day BETWEEN 1 AND 31),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'ended')),
    held_reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    cancelled_at TEXT,
    cancelled_by TEXT,
    cancel_reason TEXT,
    cancel_mode TEXT CHECK (cancel_mode IN ('end_of_term', 'immediate')),
    CHECK (end_date IS NULL OR end_date >= start_date)
  ) STRICT`,
  `CREATE INDEX subscriptions_customer ON subscriptions (customer_id)`,
  `CREATE INDEX subscriptions_status ON subscriptions (status)`,

  `CREATE TABLE subscription_lines (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    effective_from TEXT NOT NULL CHECK (effective_from ${DATE}),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    taxable INTEGER NOT NULL DEFAULT 0 CHECK (taxable IN (0, 1)),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (subscription_id, effective_from, line_no)
  ) STRICT`,
  `CREATE TRIGGER subscription_lines_no_update BEFORE UPDATE ON subscription_lines
     BEGIN SELECT RAISE(ABORT, 'subscription lines are never edited: add a new version'); END`,
  `CREATE TRIGGER subscription_lines_no_delete BEFORE DELETE ON subscription_lines
     BEGIN SELECT RAISE(ABORT, 'subscription lines are never deleted'); END`,

  `CREATE TABLE subscription_periods (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    period_start TEXT NOT NULL CHECK (period_start ${DATE}),
    period_end TEXT NOT NULL CHECK (period_end ${DATE}),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    created_at TEXT NOT NULL,
    CHECK (period_end >= period_start),
    UNIQUE (subscription_id, period_start)
  ) STRICT`,
  `CREATE INDEX subscription_periods_invoice ON subscription_periods (invoice_id)`,
  `CREATE TRIGGER subscription_periods_no_update BEFORE UPDATE ON subscription_periods
     BEGIN SELECT RAISE(ABORT, 'a billed period is never edited'); END`,
  `CREATE TRIGGER subscription_periods_no_delete BEFORE DELETE ON subscription_periods
     BEGIN SELECT RAISE(ABORT, 'a billed period is never deleted'); END`,

  `CREATE TABLE billing_runs (
    id INTEGER PRIMARY KEY,
    as_of TEXT NOT NULL CHECK (as_of ${DATE}),
    status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed')),
    started_at TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    finished_at TEXT,
    actor TEXT NOT NULL,
    workstation TEXT,
    invoices_created INTEGER NOT NULL DEFAULT 0,
    periods_billed INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0,
    total_cents INTEGER NOT NULL DEFAULT 0,
    message TEXT
  ) STRICT`,
  `CREATE INDEX billing_runs_as_of ON billing_runs (as_of)`,
  `CREATE INDEX billing_runs_status ON billing_runs (status)`,

  // The account screen shows a customer's subscriptions: refresh it when they change.
  `CREATE TRIGGER subscriptions_insert_changes AFTER INSERT ON subscriptions
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'subscriptions', NEW.id, NEW.customer_id); END`,
  `CREATE TRIGGER subscriptions_update_changes AFTER UPDATE ON subscriptions
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'subscriptions', NEW.id, NEW.customer_id); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
