import { sql, type Kysely } from 'kysely';

/**
 * Money received outside the card gateway (checks, cash, wires, bank transfers) and the deposits
 * that take the checks and cash to the bank. Frozen: later changes go in new migrations.
 * - payments: how the money came (received_via) and what identifies it: the check's number and
 *   bank, the wire's or transfer's reference. A card or gateway bank payment leaves them null.
 * - payment_reversals: how a refund of such a payment was paid out (our check, with its number,
 *   or cash), and whether the reversal is a check the bank returned (bounced).
 * - deposits, deposit_items: a batch of received checks and cash, open while it is built and frozen
 *   once closed (triggers refuse any change to a closed batch or its items); a correction is a
 *   reversal put in a new batch as a negative item.
 */
const DEPOSIT_CLOSED = 'a closed deposit never changes: correct it with a reversal in a new deposit';

const changed = (table: string, event: 'INSERT' | 'UPDATE' | 'DELETE', row: 'NEW' | 'OLD') =>
  `CREATE TRIGGER ${table}_${event.toLowerCase()}_changes AFTER ${event} ON ${table}
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', ${row}.id, NULL); END`;

/** A closed batch's items never change: refused for the batch the row is in (and, on UPDATE, the one it would move to). */
const closedItem = (event: 'INSERT' | 'UPDATE' | 'DELETE') => {
  const rows = event === 'INSERT' ? ['NEW'] : event === 'DELETE' ? ['OLD'] : ['OLD', 'NEW'];
  const closed = rows.map((r) => `(SELECT status FROM deposits WHERE id = ${r}.deposit_id) = 'closed'`).join(' OR ');
  return `CREATE TRIGGER deposit_items_closed_${event.toLowerCase()} BEFORE ${event} ON deposit_items
     BEGIN SELECT RAISE(ABORT, '${DEPOSIT_CLOSED}') WHERE ${closed}; END`;
};

const statements = [
  `ALTER TABLE payments ADD COLUMN received_via TEXT CHECK (received_via IN ('check', 'cash', 'wire', 'transfer'))`,
  `ALTER TABLE payments ADD COLUMN check_number TEXT`,
  `ALTER TABLE payments ADD COLUMN check_bank TEXT`,
  `ALTER TABLE payments ADD COLUMN reference TEXT`,
  `CREATE INDEX payments_check_number ON payments (customer_id, check_number)`,

  `ALTER TABLE payment_reversals ADD COLUMN payout_method TEXT CHECK (payout_method IN ('check', 'cash'))`,
  `ALTER TABLE payment_reversals ADD COLUMN payout_check_number TEXT`,
  `ALTER TABLE payment_reversals ADD COLUMN returned INTEGER NOT NULL DEFAULT 0 CHECK (returned IN (0, 1))`,

  `CREATE TABLE deposits (
    id INTEGER PRIMARY KEY,
    deposit_date TEXT NOT NULL CHECK (deposit_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
  ) STRICT`,
  `CREATE INDEX deposits_status ON deposits (status, deposit_date)`,
  `CREATE TABLE deposit_items (
    id INTEGER PRIMARY KEY,
    deposit_id INTEGER NOT NULL REFERENCES deposits (id),
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    reversal_id INTEGER REFERENCES payment_reversals (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX deposit_items_deposit ON deposit_items (deposit_id)`,
  // A payment goes to the bank once; a reversal of it (a returned check, cash paid back) once more, as a correction.
  `CREATE UNIQUE INDEX deposit_items_payment ON deposit_items (payment_id) WHERE reversal_id IS NULL`,
  `CREATE UNIQUE INDEX deposit_items_reversal ON deposit_items (reversal_id) WHERE reversal_id IS NOT NULL`,

  closedItem('INSERT'),
  closedItem('UPDATE'),
  closedItem('DELETE'),
  `CREATE TRIGGER deposits_closed_fixed BEFORE UPDATE ON deposits WHEN OLD.status = 'closed'
     BEGIN SELECT RAISE(ABORT, '${DEPOSIT_CLOSED}'); END`,
  `CREATE TRIGGER deposits_no_delete BEFORE DELETE ON deposits
     BEGIN SELECT RAISE(ABORT, 'deposits are never deleted'); END`,

  changed('deposits', 'INSERT', 'NEW'),
  changed('deposits', 'UPDATE', 'NEW'),
  changed('deposit_items', 'INSERT', 'NEW'),
  changed('deposit_items', 'DELETE', 'OLD'),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
