import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../helpers/engine';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy, failure } from '../ledger/fixtures';
import type { SubscriptionInput } from '../../../src/main/billing/subscriptions.rules';

let rt: TestRuntime;
const q = () => rawSql(rt.ledger);

beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-01-31T15:00:00Z' });
  await rt.core.customers.create(customerInput(), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const sub = (overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  customerNumber: 'CL1042',
  period: 'monthly',
  startDate: '2026-01-31',
  lines: [{ description: 'Lawn care', unitPriceCents: 4999, quantity: 1, taxable: false }],
  ...overrides,
});

async function invoicesOf(customerNumber: string) {
  return q().all<{ invoice_number: string; issue_date: string; due_date: string; period_start: string; period_end: string; total_cents: number; tax_cents: number }>(
    `SELECT i.invoice_number, i.issue_date, i.due_date, i.period_start, i.period_end, i.total_cents, i.tax_cents
       FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = ? ORDER BY i.period_start, i.id`,
    customerNumber,
  );
}

describe('the billing run', () => {
  it('bills each period once, on its anchor from the 31st: Jan 31, Feb 28, Mar 31, Apr 30', async () => {
    await rt.core.subscriptions.create(sub(), 'dana');
    const first = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana');
    expect(first.invoices.map((i) => [i.customerNumber, i.periodStart, i.periodEnd, i.totalCents])).toEqual([['CL1042', '2026-01-31', '2026-02-27', 4999]]);
    expect(first.invoices[0]!.invoiceNumber).toMatch(/^INV-\d+$/);
    // The same date again: nothing new.
    const again = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana');
    expect(again.invoices).toEqual([]);
    // Catch-up after the app was closed until the end of April: three periods, in order.
    const later = await rt.core.billing.run({ asOf: '2026-04-30', dryRun: false }, 'dana');
    expect(later.invoices.map((i) => [i.periodStart, i.periodEnd])).toEqual([
      ['2026-02-28', '2026-03-30'],
      ['2026-03-31', '2026-04-29'],
      ['2026-04-30', '2026-05-30'],
    ]);
    const rows = await invoicesOf('CL1042');
    expect(rows.map((r) => [r.period_start, r.issue_date, r.due_date, r.total_cents])).toEqual([
      ['2026-01-31', '2026-01-31', '2026-03-02', 4999],
      ['2026-02-28', '2026-04-30', '2026-05-30', 4999],
      ['2026-03-31', '2026-04-30', '2026-05-30', 4999],
      ['2026-04-30', '2026-04-30', '2026-05-30', 4999],
    ]);
    expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM subscription_periods'))!.n).toBe(4);
    const runs = await rt.core.billing.runs();
    expect(runs.map((r) => [r.as_of, r.status, r.invoices_created, r.total_cents])).toEqual([
      ['2026-04-30', 'finished', 3, 14997],
      ['2026-01-31', 'finished', 0, 0],
      ['2026-01-31', 'finished', 1, 4999],
    ]);
    await expectHealthy(rt);
  });

  it('combines a customer’s subscriptions that start on the same date into one invoice, taxed by the office rule', async () => {
    // The tax rate is the office's: saved in the ledger's record, as an administrator saves it.
    await rt.core.settings.updateOffice({ defaultTaxRatePercent: '8.25' }, 'admin');
    await rt.core.subscriptions.create(sub({ startDate: '2026-01-15', lines: [{ description: 'Lawn care', unitPriceCents: 4999, quantity: 1, taxable: true }] }), 'dana');
    await rt.core.subscriptions.create(
      sub({ startDate: '2026-01-15', period: 'quarterly', lines: [{ description: 'Tree survey', unitPriceCents: 12000, quantity: 2, taxable: false }] }),
      'dana',
    );
    await rt.core.subscriptions.create(sub({ customerNumber: 'AK5521', startDate: '2026-01-20' }), 'dana');
    const dry = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: true }, 'dana');
    // 4999 + 24000 = 28999; tax 8.25% of 4999 = 412.4175 → 412.
    expect(dry.invoices.map((i) => [i.invoiceNumber, i.customerNumber, i.periodStart, i.periodEnd, i.totalCents])).toEqual([
      [null, 'CL1042', '2026-01-15', '2026-04-14', 29411],
      [null, 'AK5521', '2026-01-20', '2026-02-19', 4999],
    ]);
    // A dry run writes nothing.
    expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM invoices'))!.n).toBe(0);
    expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM billing_runs'))!.n).toBe(0);
    const real = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana');
    expect(real.invoices.map((i) => [i.customerNumber, i.totalCents])).toEqual([['CL1042', 29411], ['AK5521', 4999]]);
    const [inv] = await invoicesOf('CL1042');
    expect([inv!.tax_cents, inv!.total_cents, inv!.period_end]).toEqual([412, 29411, '2026-04-14']);
    const lines = await q().all<{ description: string; quantity: number; unit_price_cents: number; amount_cents: number; taxable: number }>(
      `SELECT l.description, l.quantity, l.unit_price_cents, l.amount_cents, l.taxable FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
        WHERE i.invoice_number = ? ORDER BY l.line_no`,
      real.invoices[0]!.invoiceNumber,
    );
    expect(lines).toEqual([
      { description: 'Lawn care (Jan 15, 2026 – Feb 14, 2026)', quantity: 1, unit_price_cents: 4999, amount_cents: 4999, taxable: 1 },
      { description: 'Tree survey (Jan 15, 2026 – Apr 14, 2026)', quantity: 2, unit_price_cents: 12000, amount_cents: 24000, taxable: 0 },
    ]);
    await expectHealthy(rt);
  });

  it('prorates a calendar-billed first period begun mid-month by days, half up', async () => {
    await rt.core.subscriptions.create(sub({ startDate: '2026-01-15', anchorDay: 1 }), 'dana');
    const r = await rt.core.billing.run({ asOf: '2026-02-01', dryRun: false }, 'dana');
    // 17 of 31 days of $49.99 = 2741.35… → $27.41, then February whole.
    expect(r.invoices.map((i) => [i.periodStart, i.periodEnd, i.totalCents])).toEqual([
      ['2026-01-15', '2026-01-31', 2741],
      ['2026-02-01', '2026-02-28', 4999],
    ]);
    await expectHealthy(rt);
  });

  it('bills periods starting within the lead days, and not beyond', async () => {
    await rt.core.subscriptions.create(sub({ startDate: '2026-01-31' }), 'dana');
    const r = await rt.core.billing.run({ asOf: '2026-02-20', dryRun: false, leadDays: 8 }, 'dana');
    expect(r.invoices.map((i) => i.periodStart)).toEqual(['2026-01-31', '2026-02-28']);
    const r2 = await rt.core.billing.run({ asOf: '2026-02-20', dryRun: false, leadDays: 7 }, 'dana');
    expect(r2.invoices).toEqual([]);
    expect((await failure(rt.core.billing.run({ asOf: '2026-02-20', dryRun: false, leadDays: 31 }, 'dana'))).code).toBe('VALIDATION');
  });

  it('holds a subscription with more than 24 periods due for review, and bills the others', async () => {
    await rt.core.subscriptions.create(sub({ startDate: '2023-12-31' }), 'dana');
    await rt.core.subscriptions.create(sub({ customerNumber: 'AK5521', startDate: '2024-02-01' }), 'dana');
    const r = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana');
    expect(r.held.map((h) => [h.customerNumber, h.missedPeriods, h.firstMissed])).toEqual([['CL1042', 26, '2023-12-31']]);
    expect(r.invoices).toHaveLength(24);
    expect(new Set(r.invoices.map((i) => i.customerNumber))).toEqual(new Set(['AK5521']));
    const held = await q().get<{ held_reason: string | null }>(`SELECT held_reason FROM subscriptions WHERE customer_id = (SELECT id FROM customers WHERE customer_number = 'CL1042')`);
    expect(held!.held_reason).toMatch(/more than 24 periods/);
    // A held subscription is left alone by later runs until someone looks at it.
    const next = await rt.core.billing.run({ asOf: '2026-02-01', dryRun: false }, 'dana');
    expect(next.invoices.map((i) => [i.customerNumber, i.periodStart])).toEqual([['AK5521', '2026-02-01']]);
    expect(next.held).toEqual([]);
    await expectHealthy(rt);
  });

  it('refuses a second run while one holds the lease, and takes over a run whose workstation died', async () => {
    await rt.core.subscriptions.create(sub(), 'dana');
    await q().run(
      `INSERT INTO billing_runs (as_of, status, started_at, lease_until, actor, workstation) VALUES ('2026-01-31', 'running', '2026-01-31T14:59:00.000Z', '2026-01-31T15:09:00.000Z', 'sam', 'desk-2')`,
    );
    const busy = await failure(rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana'));
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toMatch(/desk-2/);
    expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM invoices'))!.n).toBe(0);
    rt.clock.advance(10 * 60_000);
    const r = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: false }, 'dana');
    expect(r.invoices).toHaveLength(1);
    expect((await q().all<{ status: string }>('SELECT status FROM billing_runs ORDER BY id')).map((x) => x.status)).toEqual(['failed', 'finished']);
  });

  // Two workstations on one PostgreSQL ledger. (Two SQLite connections in one process cannot write
  // at once at all: better-sqlite3 waits synchronously, so the other never commits.)
  it.runIf(testEngine === 'postgres')('two runs at once on two workstations bill every period exactly once', async () => {
    for (let i = 0; i < 30; i++) {
      const n = `ZZ${String(1000 + i)}`;
      await rt.core.customers.create(customerInput({ customerNumber: n, legalName: `Customer ${i}`, email: `c${i}@x.example` }), 'dana');
      await rt.core.subscriptions.create(sub({ customerNumber: n, startDate: '2025-11-30' }), 'dana');
    }
    // Two cores on the same ledger, as two workstations, both past the run lock, so they really
    // write at once and only the unique key and the re-read after the locks stand between them.
    const other = await openTestRuntime({ now: '2026-01-31T15:00:00Z', dir: rt.dir });
    try {
      const [a, b] = await Promise.allSettled([
        rt.core.billing.run({ asOf: '2026-01-31', dryRun: false, batchSize: 7, exclusive: false }, 'dana'),
        other.core.billing.run({ asOf: '2026-01-31', dryRun: false, batchSize: 5, exclusive: false }, 'sam'),
      ]);
      expect([a.status, b.status], String([a, b].map((x) => (x.status === 'rejected' ? (x.reason as Error).stack : '')))).toEqual(['fulfilled', 'fulfilled']);
      const [ra, rb] = [a, b].map((x) => (x as PromiseFulfilledResult<Awaited<ReturnType<typeof rt.core.billing.run>>>).value);
      // 30 customers × 3 periods (Nov 30, Dec 30, Jan 30), each billed by exactly one of the runs; a
      // run that planned a period the other billed meanwhile finds it billed and leaves it (how many
      // depends on timing: a run that starts later plans without what is billed already).
      expect(ra!.invoices.length + rb!.invoices.length).toBe(90);
      expect(ra!.alreadyBilled + rb!.alreadyBilled).toBeLessThanOrEqual(90);
      const periods = await q().all<{ n: number }>('SELECT count(*) AS n FROM subscription_periods GROUP BY subscription_id, period_start HAVING count(*) > 1');
      expect(periods).toEqual([]);
      expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM subscription_periods'))!.n).toBe(90);
      expect((await q().get<{ n: number }>('SELECT count(*) AS n FROM invoices'))!.n).toBe(90);
    } finally {
      await other.close();
    }
    await expectHealthy(rt);
  });
});

describe('the daily billing run', () => {
  it('runs once a day from the office hour, by the business date in the office time zone', async () => {
    const { runScheduledBilling } = await import('../../../src/main/billing/billing.schedule');
    // The time zone is the office's: saved in the ledger's record.
    await rt.core.settings.confirmTimeZone('America/Los_Angeles', 'admin');
    await rt.core.subscriptions.create(sub({ startDate: '2026-02-01' }), 'dana');
    // 2026-02-01T07:30Z is Jan 31, 23:30 in Los Angeles: the Feb 1 period has not started there.
    rt.clock.set('2026-02-01T07:30:00Z');
    expect(await runScheduledBilling(rt.core, { hour: 6 })).toBe('ran');
    expect(await invoicesOf('CL1042')).toEqual([]);
    expect(await runScheduledBilling(rt.core, { hour: 6 })).toBe('done-already');
    // Just after midnight there it is Feb 1, but before the office's hour (6 am) nothing runs.
    rt.clock.set('2026-02-01T08:05:00Z');
    expect(await runScheduledBilling(rt.core, { hour: 6 })).toBe('too-early');
    rt.clock.set('2026-02-01T14:05:00Z');
    expect(await runScheduledBilling(rt.core, { hour: 6 })).toBe('ran');
    expect(await runScheduledBilling(rt.core, { hour: 6 })).toBe('done-already');
    expect((await invoicesOf('CL1042')).map((i) => [i.period_start, i.issue_date])).toEqual([['2026-02-01', '2026-02-01']]);
    // Across the spring daylight-saving change (Mar 8, 2026 in Los Angeles): Mar 1 and Apr 1 bill on their own dates.
    rt.clock.set('2026-03-01T08:30:00Z');
    expect(await runScheduledBilling(rt.core)).toBe('ran');
    rt.clock.set('2026-04-01T07:30:00Z');
    expect(await runScheduledBilling(rt.core)).toBe('ran');
    expect((await invoicesOf('CL1042')).map((i) => i.issue_date)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
    const audit = await q().all<{ actor: string }>(`SELECT DISTINCT actor FROM audit_log WHERE action = 'billing.run'`);
    expect(audit).toEqual([{ actor: 'billing-schedule' }]);
    await expectHealthy(rt);
  });
});
