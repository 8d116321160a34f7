/**
 * The billing run as the command line runs it, in processes of its own beside the app: two at
 * once for the same date, and one killed (SIGKILL) between two of its batches and then run again.
 * Whatever happens to the processes, every period is billed exactly once and none is missed.
 * The ledger is this test project's engine: the SQLite file, or the PostgreSQL test database.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../helpers/engine';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { expectHealthy } from '../ledger/fixtures';

const root = path.resolve(import.meta.dirname, '../../..');
const AS_OF = '2026-11-30';

let rt: TestRuntime;
const q = () => rawSql(rt.ledger);

/** `count` customers with one monthly subscription each, begun on the 1st, through the imports. */
async function customersWithSubscriptions(count: number): Promise<void> {
  const customers = ['customer_number,legal_name,email,phone'];
  const subs = ['customer_number,description,unit_price,quantity,taxable,period,start_date,end_date,anchor_day'];
  for (let i = 0; i < count; i += 1) {
    const n = `PR${10_000 + i}`;
    customers.push(`${n},Process Client ${i},ap${i}@proc.example,(503) 555-0100`);
    subs.push(`${n},Monthly service,${(100 + (i % 50)).toFixed(2)},1,false,monthly,2026-11-01,,1`);
  }
  const c = await rt.core.imports.importCsv('customers', customers.join('\n'), 'dana');
  expect(c.ok, JSON.stringify(c).slice(0, 400)).toBe(true);
  const s = await rt.core.subscriptions.importCsv(subs.join('\n'), 'dana');
  expect(s.ok, JSON.stringify(s).slice(0, 400)).toBe(true);
}

interface Child {
  /** Exit code (null when killed) and what it printed. */
  done: Promise<{ code: number | null; out: string; err: string }>;
  kill(): void;
}

function billingRunProcess(): Child {
  const ledger = testEngine === 'postgres' ? ['--database-url', process.env.AR_DESK_DATABASE_URL!] : ['--db', rt.ledger.path];
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...ledger, 'billing', 'run', '--as-of', AS_OF, '--format', 'json'], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return {
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err }))),
    kill: () => child.kill('SIGKILL'),
  };
}

/**
 * A trigger that holds the first insert of the second batch of 500 for a few seconds: pg_sleep on
 * PostgreSQL; on SQLite (no sleep, no CTE in a trigger) a cross join of the 500 rows counted five times.
 */
async function slowSecondBatch(): Promise<void> {
  if (testEngine === 'postgres') {
    await q().run(`CREATE FUNCTION test_slow_second_batch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT COUNT(*) FROM subscription_periods) = 500 THEN PERFORM pg_sleep(4); END IF;
        RETURN NEW;
      END $$`);
    await q().run('CREATE TRIGGER test_slow_second_batch BEFORE INSERT ON subscription_periods FOR EACH ROW EXECUTE FUNCTION test_slow_second_batch()');
  } else {
    const burn = 'SELECT COUNT(*) FROM subscription_periods a, subscription_periods b, subscription_periods c;';
    await q().run(`CREATE TRIGGER test_slow_second_batch BEFORE INSERT ON subscription_periods
      WHEN (SELECT COUNT(*) FROM subscription_periods) = 500 BEGIN ${burn.repeat(5)} END`);
  }
}

async function dropSlowSecondBatch(): Promise<void> {
  await q().run('DROP TRIGGER test_slow_second_batch' + (testEngine === 'postgres' ? ' ON subscription_periods' : ''));
  if (testEngine === 'postgres') await q().run('DROP FUNCTION test_slow_second_batch()');
}

const billedPeriods = async () => (await q().get<{ n: number }>('SELECT COUNT(*) AS n FROM subscription_periods'))!.n;

/** Every subscription billed for November exactly once: one period row each, one invoice per customer, all from distinct numbers. */
async function expectBilledOnce(count: number): Promise<void> {
  const perSub = await q().all<{ subscription_id: number; n: number }>('SELECT subscription_id, COUNT(*) AS n FROM subscription_periods GROUP BY subscription_id HAVING COUNT(*) <> 1');
  expect(perSub).toEqual([]);
  expect(await billedPeriods()).toBe(count);
  const invoices = await q().get<{ n: number; customers: number; numbers: number; cents: number }>(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT customer_id) AS customers, COUNT(DISTINCT invoice_number) AS numbers, SUM(total_cents) AS cents
       FROM invoices WHERE period_start = '2026-11-01'`,
  );
  // $100.00 + $101.00 + … + $149.00, repeating.
  let cents = 0;
  for (let i = 0; i < count; i += 1) cents += (100 + (i % 50)) * 100;
  expect(invoices).toEqual({ n: count, customers: count, numbers: count, cents });
  await expectHealthy(rt);
}

beforeEach(async () => {
  rt = await openTestRuntime({ now: `${AS_OF}T15:00:00Z` });
});
afterEach(async () => {
  await rt.dispose();
});

describe('billing runs in processes of their own', () => {
  it('two at once for the same date bill each period once: one bills, the other is told a run is going or finds nothing left', async () => {
    const COUNT = 3_000; // six batches: long enough that the two usually overlap
    await customersWithSubscriptions(COUNT);
    const [a, b] = [billingRunProcess(), billingRunProcess()];
    const results = await Promise.all([a.done, b.done]);
    // Which one claims the run first, and whether the other starts before it ends, is the
    // machine's timing; either way one bills every period and the other none.
    for (const r of results) {
      if (r.code !== 0) expect(r.err, 'a run that bills nothing is refused only because the other is going').toMatch(/A billing run is already going at workstation/);
    }
    const made = results.map((r) => (r.code === 0 ? (JSON.parse(r.out) as { invoices: unknown[] }).invoices.length : 0));
    expect(made.sort((x, y) => x - y)).toEqual([0, COUNT]);
    await expectBilledOnce(COUNT);
  }, 180_000);

  it('a run killed between batches leaves whole batches; the next run after its lease bills the rest, nothing twice', async () => {
    const COUNT = 2_500; // five batches of 500
    await customersWithSubscriptions(COUNT);
    // The second batch's first period waits a few seconds in a trigger, so the kill lands
    // between the batches whatever the machine's speed.
    await slowSecondBatch();
    const run = billingRunProcess();
    let exited = false;
    void run.done.then(() => (exited = true));
    // Killed as soon as its first batch is committed.
    let seen = 0;
    while (!exited && seen === 0) {
      await new Promise((r) => setTimeout(r, 10));
      seen = await billedPeriods();
    }
    run.kill();
    const killed = await run.done;
    expect(killed.code, `the run finished before it could be killed: ${killed.err}`).toBeNull();
    await dropSlowSecondBatch();
    const left = await billedPeriods();
    expect(left % 500, 'only whole batches are committed').toBe(0);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(COUNT);
    expect((await q().get<{ status: string }>('SELECT status FROM billing_runs ORDER BY id DESC LIMIT 1'))!.status).toBe('running');

    // At once, the dead run's lease still holds: the next run is told so and changes nothing.
    const early = await rt.core.billing.run({ asOf: AS_OF, dryRun: false }, 'dana').catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'BUSY' });
    expect(await billedPeriods()).toBe(left);

    // After the lease (ten minutes), the next run marks the dead one failed and bills only the rest.
    rt.clock.set(new Date(Date.now() + 11 * 60_000).toISOString());
    const again = await rt.core.billing.run({ asOf: AS_OF, dryRun: false }, 'dana');
    expect(again.invoices.length).toBe(COUNT - left);
    const runs = await q().all<{ status: string; message: string | null }>('SELECT status, message FROM billing_runs ORDER BY id');
    expect(runs.map((r) => r.status)).toEqual(['failed', 'finished']);
    expect(runs[0]!.message).toMatch(/workstation stopped before the run finished/);
    await expectBilledOnce(COUNT);
  }, 240_000);
});
