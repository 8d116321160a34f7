import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneChanges } from '../../../src/main/db/change-log';
import { testEngine } from '../../helpers/engine';
import { addCustomer, addInvoice, call, cardMethod, CARDS, newKey } from '../../helpers/payments-fixtures';
import { listenTo, openSharedLedger, waitFor, type SharedLedger } from '../../helpers/shared-ledger';

/**
 * Live updates between workstations: a change made through runtime `a` reaches the subscribers of
 * runtime `b`'s change feed, on the same ledger (one PostgreSQL database, or one SQLite file).
 */

const onPostgres = testEngine === 'postgres';
/** What the issue promises: the other screens refresh within 2 seconds. */
const PROMISE_MS = 2_000;

let office: SharedLedger;
let customerId: number;
beforeEach(async () => {
  office = await openSharedLedger();
  customerId = await addCustomer(office.a.ledger.db, 'CL1042', 'Harbor Lane Dental');
  await addInvoice(office.a.ledger.db, customerId, 'INV-1', 10_000, { dueDate: '2026-09-01' });
});
afterEach(async () => {
  await office.dispose();
});

const payInFull = () => ({
  customerNumber: 'CL1042',
  invoiceNumbers: ['INV-1'],
  creditNumbers: [],
  method: cardMethod(CARDS.visa),
  confirmedAmountCents: 10_000,
  idempotencyKey: newKey(),
});

describe('the change feed', () => {
  it('tells the other workstation of a payment, naming the customer, within two seconds', async () => {
    const b = await listenTo(office.b);
    const paid = await call(office.a, 'payments.submit', payInFull());
    const answered = performance.now();
    expect(paid).toMatchObject({ status: 'approved', amountCents: 10_000 });
    const heard = await b.next((batch) => batch.customerIds.includes(customerId) && batch.entities.includes('applications'), PROMISE_MS);
    const delay = heard.at - answered;
    console.log(`[${testEngine}] a payment at workstation a reached workstation b's feed ${delay.toFixed(0)} ms after it was answered`);
    expect(delay).toBeLessThan(PROMISE_MS);
    expect(heard.batch.entities).toEqual(expect.arrayContaining(['payments', 'applications', 'invoices']));
    expect(heard.batch.lastId).toBe(office.b.core.changes.state().lastId);
  });

  it('tells it of a credit memo and of a change to the customer’s details', async () => {
    const b = await listenTo(office.b);
    await call(office.a, 'credits.create', { customerNumber: 'CL1042', amountCents: 2_500, reason: 'Missed visit' });
    await b.next((batch) => batch.entities.includes('credit_memos') && batch.customerIds.includes(customerId));
    await call(office.a, 'customers.update', { customerNumber: 'CL1042', changes: { email: 'billing@harborlane.example' } });
    await b.next((batch) => batch.entities.includes('customers') && batch.customerIds.includes(customerId));
  });

  it('tells it of an import as one change that names no customer', async () => {
    const b = await listenTo(office.b);
    const csv = ['invoice_number,customer_number,issue_date,due_date,amount', 'INV-9001,CL1042,2026-10-01,2026-10-31,125.00', 'INV-9002,CL1042,2026-10-02,2026-11-01,5'].join('\n');
    expect(await office.a.core.imports.importCsv('invoices', csv, 'admin')).toMatchObject({ ok: true, counts: { rows: 2 } });
    const heard = await b.next((batch) => batch.entities.includes('import'));
    expect(heard.batch).toMatchObject({ customerIds: [], entities: ['import'] });
    const rows = await office.a.ledger.db.selectFrom('change_log').selectAll().where('entity', '=', 'import').execute();
    expect(rows).toEqual([expect.objectContaining({ entity_id: 0, customer_id: null })]);
  });

  it('notes an import of part-paid invoices once, not once per payment and application it writes, and a payment after it as before', async () => {
    const before = await office.a.ledger.db.selectFrom('change_log').select('id').orderBy('id', 'desc').executeTakeFirst();
    const csv = [
      'invoice_number,customer_number,issue_date,due_date,amount,amount_paid',
      'INV-9001,CL1042,2026-10-01,2026-10-31,125.00,25.00',
      'INV-9002,CL1042,2026-10-02,2026-11-01,5,5',
    ].join('\n');
    expect(await office.a.core.imports.importCsv('invoices', csv, 'admin')).toMatchObject({ ok: true, counts: { rows: 2, payments: 2 } });
    const since = () => office.a.ledger.db.selectFrom('change_log').select(['entity', 'customer_id']).where('id', '>', before?.id ?? 0).orderBy('id').execute();
    expect(await since()).toEqual([{ entity: 'import', customer_id: null }]);
    // Outside an import, a payment and its application are noted row by row again.
    expect(await call(office.a, 'payments.submit', payInFull())).toMatchObject({ status: 'approved' });
    expect((await since()).map((r) => r.entity)).toEqual(expect.arrayContaining(['import', 'payments', 'applications']));
  });

  it('tells the workstation that made the change too, and reports nothing from before it started', async () => {
    await call(office.a, 'credits.create', { customerNumber: 'CL1042', amountCents: 100, reason: 'Before' });
    const a = await listenTo(office.a);
    await call(office.a, 'credits.create', { customerNumber: 'CL1042', amountCents: 200, reason: 'After' });
    await a.next((batch) => batch.entities.includes('credit_memos'));
    await new Promise((r) => setTimeout(r, 700));
    const credits = a.heard.filter((h) => h.batch.entities.includes('credit_memos'));
    expect(credits).toHaveLength(1);
  });

  it('starts only with a subscriber, so the CLI’s one-off commands open no connection', async () => {
    expect(office.a.core.changes.state()).toMatchObject({ started: false });
    if (onPostgres) expect(await listeningConnections()).toBe(0);
    await listenTo(office.b);
    expect(office.b.core.changes.state()).toMatchObject({ started: true, listening: onPostgres ? expect.any(Boolean) : null });
  });

  it('stops when its runtime closes, connection and timers', async () => {
    const c = await office.open();
    await listenTo(c);
    if (onPostgres) await waitFor(() => c.core.changes.state().listening, 2_000, 'LISTEN');
    if (onPostgres) expect(await listeningConnections()).toBe(1);
    await c.close();
    if (onPostgres) await waitFor(async () => (await listeningConnections()) === 0 || undefined, 2_000, 'the connection to end');
    expect(c.core.changes.state().listening).toBe(onPostgres ? false : null);
  });

  it('prunes changes older than two days but always keeps the newest', async () => {
    const db = office.a.ledger.db;
    await db.deleteFrom('change_log').execute();
    const old = (id: number) => ({ id, at: '2000-01-01T00:00:00.000Z', entity: 'customers', entity_id: customerId, customer_id: customerId });
    await db.insertInto('change_log').values([old(101), old(102), old(103)]).execute();
    expect(await pruneChanges(db, 48)).toBe(2);
    expect((await db.selectFrom('change_log').select('id').execute()).map((r) => r.id)).toEqual([103]);
    await db.insertInto('change_log').values({ ...old(104), at: new Date().toISOString() }).execute();
    expect(await pruneChanges(db, 48)).toBe(1);
    expect((await db.selectFrom('change_log').select('id').execute()).map((r) => r.id)).toEqual([104]);
  });
});

/** The listening connections on this test's database (pg_stat_activity). */
async function listeningConnections(): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'ar-desk-changes'`.execute(office.a.ledger.db);
  return r.rows[0]!.n;
}

/** Ends the listening connection the way a server restart or an administrator would. */
async function killListener(): Promise<number> {
  const r = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'ar-desk-changes' AND query LIKE 'LISTEN%'`.execute(office.a.ledger.db);
  for (const { pid } of r.rows) await sql`SELECT pg_terminate_backend(${pid})`.execute(office.a.ledger.db);
  return r.rows.length;
}

describe.runIf(onPostgres)('the change feed on PostgreSQL', () => {
  it('reconnects after its listening connection is killed and catches up with what changed meanwhile', async () => {
    // A long first pause, so the change is made while nobody listens; no safety poll in the way.
    const b = await office.open({ changes: { safetyPollMs: 60_000, listener: { firstRetryMs: 1_500 } } });
    const feed = await listenTo(b);
    await waitFor(() => b.core.changes.state().listening, 2_000, 'LISTEN');
    expect(await killListener()).toBe(1);
    await waitFor(() => !b.core.changes.state().listening, 2_000, 'the connection to drop');

    const paid = await call(office.a, 'payments.submit', payInFull());
    expect(paid.status).toBe('approved');
    // Committed and announced with nobody listening at b.
    expect(b.core.changes.state()).toMatchObject({ listening: false, reconnects: 0 });
    expect(feed.heard).toEqual([]);

    const heard = await feed.next((batch) => batch.customerIds.includes(customerId), 6_000);
    expect(heard.batch.entities).toEqual(expect.arrayContaining(['payments', 'applications']));
    expect(b.core.changes.state()).toMatchObject({ listening: true, reconnects: 1 });
    expect(b.log.lines.some((l) => l.includes('lost their database connection'))).toBe(true);

    // And it listens again: the next change arrives at once.
    const before = performance.now();
    await call(office.a, 'customers.update', { customerNumber: 'CL1042', changes: { phone: '(503) 555-0100' } });
    const again = await feed.next((batch) => batch.entities.includes('customers'), PROMISE_MS);
    console.log(`[postgres] after the reconnect, a change reached the feed in ${(again.at - before).toFixed(0)} ms`);
  });

  it('reports a change whose transaction commits after a later one (ids are handed out before commit)', async () => {
    const other = await addCustomer(office.a.ledger.db, 'TO0007', 'Town of Oakridge');
    const feed = await listenTo(office.b);
    let written!: () => void;
    let release!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const held = new Promise<void>((r) => (release = r));
    const slow = office.a.ledger.db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ phone: '(503) 555-0111' }).where('id', '=', customerId).execute();
      written();
      await held;
    });
    await wrote;
    await office.a.ledger.db.updateTable('customers').set({ phone: '(503) 555-0122' }).where('id', '=', other).execute();
    await feed.next((batch) => batch.customerIds.includes(other));
    expect(office.b.core.changes.state().gaps).toBe(1);
    release();
    await slow;
    await feed.next((batch) => batch.customerIds.includes(customerId), PROMISE_MS);
    expect(office.b.core.changes.state().gaps).toBe(0);
  });
});
