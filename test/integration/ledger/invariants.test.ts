import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertInvariants, auditInvariants } from '../../../src/main/ledger/invariants';
import { sql } from 'kysely';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql, type RawSql } from '../../helpers/sql';
import { customerInput, invoiceInput } from './fixtures';

/**
 * Each case breaks the ledger behind the services' back with raw SQL and expects the checker to
 * name the broken rule, so "auditInvariants is empty" in the other tests means something.
 */

let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime();
  await rt.core.customers.create(customerInput(), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen' }), 'dana');
  await rt.core.invoices.create(invoiceInput('CL1042', 5_000, { invoiceNumber: 'INV-1' }), 'dana');
  await rt.core.invoices.create(invoiceInput('AK5521', 7_000, { invoiceNumber: 'INV-2' }), 'dana');
  await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 2_000, reason: 'Goodwill' }, 'dana');
  await rt.core.credits.create({ customerNumber: 'AK5521', amountCents: 9_000, reason: 'Goodwill' }, 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

type Ids = { cl: number; ak: number; inv1: number; inv2: number; cr1: number; cr2: number };

async function ids(db: RawSql): Promise<Ids> {
  const one = async (q: string) => (await db.get<{ id: number }>(q))!.id;
  return {
    cl: await one(`SELECT id FROM customers WHERE customer_number = 'CL1042'`),
    ak: await one(`SELECT id FROM customers WHERE customer_number = 'AK5521'`),
    inv1: await one(`SELECT id FROM invoices WHERE invoice_number = 'INV-1'`),
    inv2: await one(`SELECT id FROM invoices WHERE invoice_number = 'INV-2'`),
    cr1: await one(`SELECT id FROM credit_memos WHERE credit_number = 'CR-100001'`),
    cr2: await one(`SELECT id FROM credit_memos WHERE credit_number = 'CR-100002'`),
  };
}

async function apply(db: RawSql, row: { invoice: number; customer: number; credit?: number; payment?: number; cents: number; reverses?: number }): Promise<number> {
  const inserted = await db.get<{ id: number }>(
    `INSERT INTO applications (invoice_id, customer_id, source, payment_id, credit_id, amount_cents, reverses_id, applied_on, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, '2026-11-20', 't', 't') RETURNING id`,
    row.invoice, row.customer, row.payment ? 'payment' : 'credit', row.payment ?? null, row.credit ?? null, row.cents, row.reverses ?? null,
  );
  return inserted!.id;
}

async function payment(db: RawSql, customer: number, cents: number, status = 'captured'): Promise<number> {
  const inserted = await db.get<{ id: number }>(
    `INSERT INTO payments (customer_id, kind, status, amount_cents, received_on, created_at, created_by)
     VALUES (?, 'card', ?, ?, '2026-11-20', 't', 't') RETURNING id`,
    customer, status, cents,
  );
  return inserted!.id;
}

const cases: [string, (db: RawSql, i: Ids) => Promise<unknown>, string[]][] = [
  [
    'an invoice paid beyond its total',
    async (db, i) => {
      const p = await payment(db, i.ak, 7_001);
      await apply(db, { invoice: i.inv2, customer: i.ak, payment: p, cents: 7_001 });
      await db.run(`UPDATE invoices SET status = 'paid' WHERE id = ?`, i.inv2);
    },
    ['invoice.open_within_total', 'invoice.status_matches_balance'],
  ],
  [
    'an invoice marked paid with money still open',
    (db, i) => db.run(`UPDATE invoices SET status = 'paid' WHERE id = ?`, i.inv1),
    ['invoice.status_matches_balance'],
  ],
  [
    'an invoice left open after it was paid in full',
    async (db, i) => {
      const p = await payment(db, i.cl, 5_000);
      await apply(db, { invoice: i.inv1, customer: i.cl, payment: p, cents: 5_000 });
    },
    ['invoice.status_matches_balance'],
  ],
  [
    'a void invoice with money on it',
    async (db, i) => {
      await apply(db, { invoice: i.inv1, customer: i.cl, credit: i.cr1, cents: 1_000 });
      await db.run(`UPDATE invoices SET status = 'void' WHERE id = ?`, i.inv1);
    },
    ['invoice.void_holds_no_money', 'customer.balance_reconciles'],
  ],
  [
    'lines that do not add up to the subtotal',
    (db, i) => db.run(`UPDATE invoice_lines SET unit_price_cents = 4999, amount_cents = 4999 WHERE invoice_id = ?`, i.inv1),
    ['invoice.totals_reconcile'],
  ],
  [
    'a credit used beyond its amount',
    (db, i) => apply(db, { invoice: i.inv1, customer: i.cl, credit: i.cr1, cents: 2_001 }),
    ['credit.used_within_amount'],
  ],
  [
    'a captured payment only partly applied',
    async (db, i) => {
      const p = await payment(db, i.cl, 5_000);
      await apply(db, { invoice: i.inv1, customer: i.cl, payment: p, cents: 4_000 });
    },
    ['payment.fully_accounted'],
  ],
  [
    'a declined payment with money applied',
    async (db, i) => {
      const p = await payment(db, i.cl, 5_000, 'declined');
      await apply(db, { invoice: i.inv1, customer: i.cl, payment: p, cents: 5_000 });
      await db.run(`UPDATE invoices SET status = 'paid' WHERE id = ?`, i.inv1);
    },
    ['payment.nothing_standing'],
  ],
  [
    "a credit applied to another customer's invoice",
    (db, i) => apply(db, { invoice: i.inv1, customer: i.cl, credit: i.cr2, cents: 1_000 }),
    ['application.same_customer'],
  ],
  [
    'an application filed under another customer',
    (db, i) => apply(db, { invoice: i.inv1, customer: i.ak, credit: i.cr1, cents: 1_000 }),
    ['application.same_customer', 'customer.balance_reconciles'],
  ],
  [
    'a reversal of the wrong amount',
    async (db, i) => {
      const a = await apply(db, { invoice: i.inv1, customer: i.cl, credit: i.cr1, cents: 1_000 });
      await apply(db, { invoice: i.inv1, customer: i.cl, credit: i.cr1, cents: -900, reverses: a });
    },
    ['application.reversal_matches'],
  ],
  [
    'a payment applied beyond its amount',
    async (db, i) => {
      const p = await payment(db, i.ak, 3_000);
      await apply(db, { invoice: i.inv2, customer: i.ak, payment: p, cents: 3_500 });
    },
    ['payment.applied_within_amount'],
  ],
];

describe('auditInvariants', () => {
  it('finds nothing wrong in a ledger written by the services', async () => {
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
    await expect(assertInvariants(rt.ledger.db)).resolves.toBeUndefined();
  });

  it.each(cases)('reports %s', async (_name, corrupt, checks) => {
    await rt.ledger.db.transaction().execute(async (trx) => {
      // On PostgreSQL the append-only and state triggers would refuse some of this damage; a
      // replica session skips them, as someone with the server's superuser rights could.
      if (rt.ledger.dialect === 'postgres') await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      const db = rawSql({ db: trx, dialect: rt.ledger.dialect });
      await corrupt(db, await ids(db));
    });
    const found = await auditInvariants(rt.ledger.db);
    expect([...new Set(found.map((v) => v.check))].sort()).toEqual([...checks].sort());
    for (const v of found) expect(v.message.length).toBeGreaterThan(10);
    await expect(assertInvariants(rt.ledger.db)).rejects.toThrow(/Ledger invariants broken/);
  });
});
