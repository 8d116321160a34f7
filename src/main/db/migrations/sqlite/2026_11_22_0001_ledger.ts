import { sql, type Kysely } from 'kysely';

/**
 * The ledger's first schema. Frozen: later changes go in new migrations.
 * Money is INTEGER cents; dates are ISO 'YYYY-MM-DD' text; timestamps ISO-8601 UTC text.
 * Posted money rows (applications, audit log) reject UPDATE and DELETE by trigger.
 */
const statements = [
  `CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
  ) STRICT`,

  `CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    customer_number TEXT NOT NULL UNIQUE
      CHECK (length(customer_number) BETWEEN 3 AND 12
        AND customer_number GLOB '[A-Z][A-Z][0-9]*'
        AND substr(customer_number, 3) NOT GLOB '*[^0-9]*'),
    legal_name TEXT NOT NULL CHECK (length(trim(legal_name)) > 0),
    name_search TEXT NOT NULL,
    billing_contact TEXT,
    email TEXT,
    phone TEXT,
    phone_digits TEXT,
    address_line1 TEXT, address_line2 TEXT, city TEXT, region TEXT, postal_code TEXT, country TEXT,
    mailing_line1 TEXT, mailing_line2 TEXT, mailing_city TEXT, mailing_region TEXT, mailing_postal_code TEXT, mailing_country TEXT,
    terms_days INTEGER NOT NULL DEFAULT 30 CHECK (terms_days BETWEEN 0 AND 365),
    tax_exempt INTEGER NOT NULL DEFAULT 0 CHECK (tax_exempt IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX customers_phone_digits ON customers (phone_digits)`,
  `CREATE INDEX customers_email ON customers (email COLLATE NOCASE)`,

  // One row per word of a customer's normalized name (lower case, accents removed), for prefix lookup.
  `CREATE TABLE customer_name_words (
    word TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    PRIMARY KEY (word, customer_id)
  ) STRICT, WITHOUT ROWID`,

  `CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    invoice_number TEXT NOT NULL UNIQUE CHECK (length(invoice_number) BETWEEN 1 AND 32),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    issue_date TEXT NOT NULL CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_date TEXT NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    period_start TEXT,
    period_end TEXT,
    billing_frequency TEXT CHECK (billing_frequency IN ('monthly', 'quarterly', 'semiannual', 'annual')),
    tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    subtotal_cents INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    tax_cents INTEGER NOT NULL CHECK (tax_cents >= 0),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0 AND total_cents = subtotal_cents + tax_cents),
    -- cached state; auditInvariants checks it against the applications
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'void')),
    disputed INTEGER NOT NULL DEFAULT 0 CHECK (disputed IN (0, 1)),
    dispute_reason TEXT,
    void_reason TEXT,
    voided_at TEXT,
    voided_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK (due_date >= issue_date),
    CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
  ) STRICT`,
  `CREATE INDEX invoices_customer_status ON invoices (customer_id, status, due_date)`,
  `CREATE INDEX invoices_status_due ON invoices (status, due_date)`,

  `CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    line_no INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    amount_cents INTEGER NOT NULL CHECK (amount_cents = quantity * unit_price_cents),
    taxable INTEGER NOT NULL DEFAULT 0 CHECK (taxable IN (0, 1)),
    UNIQUE (invoice_id, line_no)
  ) STRICT`,

  `CREATE TABLE credit_memos (
    id INTEGER PRIMARY KEY,
    credit_number TEXT NOT NULL UNIQUE CHECK (length(credit_number) BETWEEN 1 AND 32),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    issue_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX credit_memos_customer ON credit_memos (customer_id)`,

  `CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('card', 'bank')),
    gateway TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL CHECK (length(last4) = 4),
    exp_month INTEGER CHECK (exp_month BETWEEN 1 AND 12),
    exp_year INTEGER,
    account_type TEXT CHECK (account_type IN ('checking', 'savings')),
    nickname TEXT,
    billing_name TEXT NOT NULL,
    billing_postal_code TEXT,
    billing_address TEXT,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    removed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX payment_methods_customer ON payment_methods (customer_id)`,

  // Money received. Amounts never change after insert; status moves along
  // pending -> captured | declined | failed, captured -> voided.
  `CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CHECK (kind IN ('card', 'bank', 'credit_only', 'import', 'check', 'cash')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'captured', 'declined', 'failed', 'voided')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    idempotency_key TEXT UNIQUE,
    confirmation_number TEXT UNIQUE,
    payment_method_id INTEGER REFERENCES payment_methods (id),
    method_brand TEXT,
    method_last4 TEXT,
    gateway TEXT,
    gateway_transaction_id TEXT,
    authorization_code TEXT,
    avs_result TEXT,
    cvc_result TEXT,
    decline_code TEXT,
    decline_message TEXT,
    delivery TEXT NOT NULL DEFAULT 'none' CHECK (delivery IN ('none', 'print', 'email')),
    received_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    settled_at TEXT
  ) STRICT`,
  `CREATE INDEX payments_customer ON payments (customer_id, created_at)`,
  `CREATE INDEX payments_status ON payments (status)`,

  // The allocation a payment intends, committed with the pending payment before the gateway is called.
  `CREATE TABLE payment_allocations (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    source TEXT NOT NULL CHECK (source IN ('card', 'bank', 'credit', 'import', 'check', 'cash')),
    credit_id INTEGER REFERENCES credit_memos (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    CHECK ((source = 'credit') = (credit_id IS NOT NULL))
  ) STRICT`,
  `CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id)`,
  `CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id)`,

  // Money standing against an invoice. A reversal is a new row with a negative amount pointing at the row it reverses.
  `CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    source TEXT NOT NULL CHECK (source IN ('payment', 'credit')),
    payment_id INTEGER REFERENCES payments (id),
    credit_id INTEGER REFERENCES credit_memos (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    reverses_id INTEGER REFERENCES applications (id),
    applied_on TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((source = 'payment' AND payment_id IS NOT NULL AND credit_id IS NULL)
        OR (source = 'credit' AND credit_id IS NOT NULL)),
    CHECK ((amount_cents < 0) = (reverses_id IS NOT NULL))
  ) STRICT`,
  `CREATE INDEX applications_invoice ON applications (invoice_id, applied_on)`,
  `CREATE INDEX applications_payment ON applications (payment_id)`,
  `CREATE INDEX applications_credit ON applications (credit_id)`,
  `CREATE UNIQUE INDEX applications_reverses ON applications (reverses_id) WHERE reverses_id IS NOT NULL`,
  `CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
     BEGIN SELECT RAISE(ABORT, 'applications are posted money: reverse them, never edit'); END`,
  `CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
     BEGIN SELECT RAISE(ABORT, 'applications are posted money: reverse them, never delete'); END`,
  `CREATE TRIGGER payments_amount_fixed BEFORE UPDATE OF amount_cents, customer_id, kind, idempotency_key ON payments
     BEGIN SELECT RAISE(ABORT, 'a payment''s amount, customer, kind and key never change'); END`,
  `CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
     BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END`,
  `CREATE TRIGGER credit_memos_amount_fixed BEFORE UPDATE OF amount_cents, customer_id ON credit_memos
     BEGIN SELECT RAISE(ABORT, 'a credit memo''s amount never changes: issue another'); END`,
  `CREATE TRIGGER credit_memos_no_delete BEFORE DELETE ON credit_memos
     BEGIN SELECT RAISE(ABORT, 'credit memos are never deleted'); END`,

  // Voids and refunds of captured payments: the gateway call and its outcome; the reversal applications point here.
  `CREATE TABLE payment_reversals (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    kind TEXT NOT NULL CHECK (kind IN ('void', 'refund')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    invoice_id INTEGER REFERENCES invoices (id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    idempotency_key TEXT NOT NULL UNIQUE,
    gateway_transaction_id TEXT,
    failure_message TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    settled_at TEXT
  ) STRICT`,
  `CREATE INDEX payment_reversals_payment ON payment_reversals (payment_id)`,

  `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    summary TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)`,
  `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,

  `CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) STRICT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
