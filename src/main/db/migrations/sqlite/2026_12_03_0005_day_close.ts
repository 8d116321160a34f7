import { sql, type Kysely } from 'kysely';

/**
 * The day's close and the payments report. Frozen: later changes go in new migrations.
 * - payment_reversals.posted_on: the business date of a void or refund (the office's date when it
 *   was asked for), so the payments report and the close count it on its own day, not on the day of
 *   the payment it reverses. Older reversals get the UTC date of their created_at.
 * - payments_received_on / payment_reversals_posted_on: the report and the close read a range of
 *   business dates in one pass of aggregation; without them every report reads the whole table.
 *   payments_received_on carries every column the aggregation reads, so it never touches the table
 *   (500,000 payments: a day's report in about 0.1 s, a whole year's in about 2 s on SQLite).
 * - day_closes: one row per closed business date (unique), append-only like posted money: who
 *   closed it, when, with whose approval, the day's totals and the differences found against the
 *   payment gateway's settlement report. No money may be posted on or before a closed date
 *   (ledger/day-close.ts assertDayOpen).
 */
const statements = [
  `ALTER TABLE payment_reversals ADD COLUMN posted_on TEXT`,
  `UPDATE payment_reversals SET posted_on = substr(created_at, 1, 10) WHERE posted_on IS NULL`,
  `CREATE INDEX payments_received_on ON payments (received_on, status, kind, method_brand, created_by, amount_cents)`,
  `CREATE INDEX payment_reversals_posted_on ON payment_reversals (posted_on)`,
  `CREATE TABLE day_closes (
    id INTEGER PRIMARY KEY,
    business_date TEXT NOT NULL UNIQUE,
    closed_at TEXT NOT NULL,
    closed_by TEXT NOT NULL,
    approved_by TEXT,
    captured_cents INTEGER NOT NULL,
    refunded_cents INTEGER NOT NULL,
    voided_cents INTEGER NOT NULL,
    net_cents INTEGER NOT NULL,
    card_net_cents INTEGER NOT NULL,
    gateway_card_net_cents INTEGER NOT NULL,
    difference_count INTEGER NOT NULL,
    totals TEXT NOT NULL,
    differences TEXT NOT NULL
  ) STRICT`,
  `CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes
     BEGIN SELECT RAISE(ABORT, 'a closed day is never reopened or edited'); END`,
  `CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes
     BEGIN SELECT RAISE(ABORT, 'a closed day is never reopened or edited'); END`,
  // Other workstations' screens refresh when a day is closed (no customer: the whole office's).
  `CREATE TRIGGER day_closes_insert_changes AFTER INSERT ON day_closes
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'day_closes', NEW.id, NULL); END`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
