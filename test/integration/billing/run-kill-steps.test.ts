/**
 * The billing run as the command line runs it, killed (SIGKILL) in its autopay step and, apart, in
 * its follow-up step, then run again for the same date: every due invoice charged exactly once
 * (each gateway charge one captured payment), one notice, one email and one late fee per invoice
 * and level, and the ledger's invariants hold. A trigger holds the run at a chosen write for a few
 * seconds so the kill lands there whatever the machine's speed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestGateway, type TestGateway } from '../../../src/main/payments/test-gateway';
import { testEngine } from '../../helpers/engine';
import { addCustomer, addInvoice, call, cardMethod } from '../../helpers/payments-fixtures';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { expectHealthy } from '../ledger/fixtures';

const root = path.resolve(import.meta.dirname, '../../..');
const AS_OF = '2026-11-30';

let rt: TestRuntime;
/** The gateway's records where the runtime's and the command's default gateway keep them. */
let records: TestGateway;
const q = () => rawSql(rt.ledger);
const gateway = () => records;

beforeEach(async () => {
  rt = await openTestRuntime({ now: `${AS_OF}T15:00:00Z` });
  records = testEngine === 'postgres' ? openTestGateway({ databaseUrl: process.env.AR_DESK_DATABASE_URL! }) : openTestGateway({ file: path.join(rt.dir, 'test-gateway.db') });
});
afterEach(async () => {
  await records.close();
  await rt.dispose();
});

function billingRunProcess(): { done: Promise<{ code: number | null; err: string }>; kill(): void } {
  const ledger = testEngine === 'postgres' ? ['--database-url', process.env.AR_DESK_DATABASE_URL!] : ['--db', rt.ledger.path];
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...ledger, 'billing', 'run', '--as-of', AS_OF, '--format', 'json'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout!.on('data', () => undefined);
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, err }))), kill: () => child.kill('SIGKILL') };
}

/** A trigger that holds the write `when` says for a few seconds: pg_sleep on PostgreSQL, a large cross join on SQLite. */
async function holdAt(name: string, timing: string, table: string, when: string): Promise<void> {
  if (testEngine === 'postgres') {
    await q().run(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${when} THEN PERFORM pg_sleep(6); END IF; RETURN NEW; END $$`);
    await q().run(`CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  } else {
    await q().run('CREATE TABLE test_burn (x INTEGER)');
    await q().run('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500) INSERT INTO test_burn SELECT x FROM n');
    const burn = 'SELECT COUNT(*) FROM test_burn a, test_burn b, test_burn c;';
    await q().run(`CREATE TRIGGER ${name} ${timing} ON ${table} WHEN ${when} BEGIN ${burn.repeat(6)} END`);
  }
}

async function dropHold(name: string, table: string): Promise<void> {
  await q().run(`DROP TRIGGER ${name}` + (testEngine === 'postgres' ? ` ON ${table}` : ''));
  if (testEngine === 'postgres') await q().run(`DROP FUNCTION ${name}()`);
}

/** Starts the run, waits until `reached` says it is where the hold is, and kills it there. */
async function killWhen(reached: () => Promise<boolean>): Promise<void> {
  const run = billingRunProcess();
  let exited = false;
  void run.done.then(() => (exited = true));
  while (!exited && !(await reached())) await new Promise((r) => setTimeout(r, 20));
  run.kill();
  const killed = await run.done;
  expect(killed.code, `the run finished before it could be killed: ${killed.err}`).toBeNull();
  expect((await q().get<{ status: string }>('SELECT status FROM billing_runs ORDER BY id DESC LIMIT 1'))!.status).toBe('running');
}

/** After the dead run's lease (ten minutes): payment recovery, as the app does at start, then the same date again to the end. */
async function runAgain() {
  rt.clock.set(new Date(Date.now() + 11 * 60_000).toISOString());
  await rt.core.payments.recover('recovery', { staleAfterMs: 0 });
  const again = await rt.core.billing.run({ asOf: AS_OF, dryRun: false }, 'billing-schedule');
  const runs = await q().all<{ status: string }>('SELECT status FROM billing_runs ORDER BY id');
  expect(runs.map((r) => r.status)).toEqual(['failed', 'finished']);
  return again;
}

describe('a billing run killed in a step and run again', () => {
  it('killed in autopay after the gateway approved a charge and before it was posted: each due invoice charged once', async () => {
    const COUNT = 8;
    const cents = (i: number) => 10_000 + i * 137;
    for (let i = 0; i < COUNT; i += 1) {
      const n = `AP${1000 + i}`;
      const id = await addCustomer(rt.ledger.db, n, `Autopay Client ${i}`);
      await rt.ledger.db.updateTable('customers').set({ email: `ap${i}@kill.example` }).where('id', '=', id).execute();
      await addInvoice(rt.ledger.db, id, `AU-${i}`, cents(i), { issueDate: '2026-11-01', dueDate: AS_OF });
      const { save: _save, ...card } = cardMethod('4242424242424242');
      await call(rt, 'paymentMethods.add', { customerNumber: n, method: card, makeDefault: true });
      await call(rt, 'autopay.set', { customerNumber: n, enabled: true }, 'sue');
    }
    // The fourth charge's posting waits: the gateway has approved it, the ledger not yet.
    await holdAt('test_hold_capture', 'BEFORE UPDATE', 'payments', "NEW.status = 'captured' AND (SELECT COUNT(*) FROM payments WHERE status = 'captured') = 3");
    const approvedCharges = async () => (await gateway().records()).filter((r) => r.kind === 'charge' && r.outcome === 'approved');
    await killWhen(async () => (await approvedCharges()).length >= 4);
    await dropHold('test_hold_capture', 'payments');
    expect((await q().all<{ status: string }>('SELECT status FROM payments ORDER BY id')).map((p) => p.status)).toEqual(['captured', 'captured', 'captured', 'pending']);

    const again = await runAgain();
    expect(again.autopay.charged.map((c) => c.customerNumber)).toEqual(['AP1004', 'AP1005', 'AP1006', 'AP1007']);
    expect(again.autopay.skipped).toEqual([]);

    const charges = await approvedCharges();
    expect(charges.length).toBe(COUNT);
    const captured = await q().all<{ customer_number: string; amount_cents: number; idempotency_key: string; gateway_transaction_id: string }>(
      `SELECT c.customer_number, p.amount_cents, p.idempotency_key, p.gateway_transaction_id FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.status = 'captured' ORDER BY c.customer_number`,
    );
    expect(captured.map((p) => [p.customer_number, p.amount_cents])).toEqual(Array.from({ length: COUNT }, (_, i) => [`AP${1000 + i}`, cents(i)]));
    const byTransaction = new Map(captured.map((p) => [p.gateway_transaction_id, p.amount_cents]));
    expect(byTransaction.size).toBe(COUNT);
    for (const c of charges) expect(byTransaction.get(c.transactionId ?? ''), `gateway charge ${c.transactionId}`).toBe(c.amountCents);
    const open = await q().all<{ invoice_number: string; open_cents: number }>(
      'SELECT i.invoice_number, i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS open_cents FROM invoices i ORDER BY i.id',
    );
    expect(open.filter((o) => Number(o.open_cents) !== 0)).toEqual([]);
    const attempts = await q().all<{ outcome: string; n: number }>('SELECT outcome, COUNT(*) AS n FROM autopay_attempts GROUP BY outcome');
    expect(attempts.map((a) => [a.outcome, Number(a.n)])).toEqual([['approved', COUNT]]);
    // One receipt per customer, none twice, and no decline notice.
    const mail = await q().all<{ to_address: string; n: number }>("SELECT to_address, COUNT(*) AS n FROM outbox WHERE attachment_kind = 'confirmation' GROUP BY to_address ORDER BY to_address");
    expect(mail.map((m) => [m.to_address, Number(m.n)])).toEqual(Array.from({ length: COUNT }, (_, i) => [`ap${i}@kill.example`, 1]));
    expect(Number((await q().get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE subject LIKE '%did not go through%'"))!.n)).toBe(0);
    await expectHealthy(rt);
  }, 240_000);

  it('killed in follow-up between batches: one notice, one email and one late fee per invoice and level', async () => {
    const COUNT = 250; // two batches of the follow-up step (200 customers each)
    await rt.core.dunning.setLevels({ levels: [{ daysPastDue: 15, action: 'email', feeFixedCents: 1_500 }], suspendAtLevel: null }, 'admin');
    for (let i = 0; i < COUNT; i += 1) {
      const id = await addCustomer(rt.ledger.db, `DN${1000 + i}`, `Past Due Client ${i}`);
      await rt.ledger.db.updateTable('customers').set({ email: `ap${i}@late.example` }).where('id', '=', id).execute();
      await addInvoice(rt.ledger.db, id, `PD-${i}`, 20_000 + i, { issueDate: '2026-10-01', dueDate: '2026-11-10' });
    }
    // The second batch's first notice waits.
    await holdAt('test_hold_notice', 'BEFORE INSERT', 'dunning_notices', '(SELECT COUNT(*) FROM dunning_notices) = 200');
    const notices = async () => Number((await q().get<{ n: number }>('SELECT COUNT(*) AS n FROM dunning_notices'))!.n);
    await killWhen(async () => (await notices()) >= 200);
    await dropHold('test_hold_notice', 'dunning_notices');
    expect(await notices()).toBe(200);

    const again = await runAgain();
    expect(again.dunning.notices.length).toBe(COUNT - 200);
    expect(again.dunning.lateFees.length).toBe(COUNT - 200);

    const perInvoice = await q().all<{ invoice_id: number; level: number; n: number }>('SELECT invoice_id, level, COUNT(*) AS n FROM dunning_notice_invoices GROUP BY invoice_id, level HAVING COUNT(*) <> 1');
    expect(perInvoice).toEqual([]);
    expect(Number((await q().get<{ n: number }>('SELECT COUNT(DISTINCT invoice_id) AS n FROM dunning_notice_invoices'))!.n)).toBe(COUNT);
    const fees = await q().get<{ n: number; notices: number; cents: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT notice_id) AS notices, SUM(fee_cents) AS cents FROM dunning_late_fees');
    expect([Number(fees!.n), Number(fees!.notices), Number(fees!.cents)]).toEqual([COUNT, COUNT, COUNT * 1_500]);
    const feeInvoices = await q().get<{ n: number; cents: number }>('SELECT COUNT(DISTINCT i.id) AS n, SUM(i.total_cents) AS cents FROM invoices i JOIN dunning_late_fees f ON f.invoice_id = i.id');
    expect([Number(feeInvoices!.n), Number(feeInvoices!.cents)]).toEqual([COUNT, COUNT * 1_500]);
    const mail = await q().all<{ to_address: string; n: number }>("SELECT to_address, COUNT(*) AS n FROM outbox WHERE attachment_kind = 'statement' GROUP BY to_address");
    expect(mail.length).toBe(COUNT);
    expect(mail.filter((m) => Number(m.n) !== 1)).toEqual([]);
    await expectHealthy(rt);
  }, 240_000);
});
