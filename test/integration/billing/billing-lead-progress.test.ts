import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScheduledBilling } from '../../../src/main/billing/billing.schedule';
import { runCli } from '../../../src/main/cli/cli';
import type { BillingRunDto, BillingRunRecordDto } from '../../../src/shared/contract/billing';
import { call } from '../../helpers/payments-fixtures';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy } from '../ledger/fixtures';

// Today is 2026-03-27 (UTC). Each customer has lawn care, monthly from Mar 1 ($40.00), billed for March.
let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-03-27T15:00:00Z' });
  await rt.core.settings.confirmTimeZone('UTC', 'admin');
  for (const [customerNumber, legalName] of [['CL1042', 'Cascade Lawn'], ['AK5521', 'Alder Kitchen'], ['BZ1001', 'Birch Zone']] as const) {
    await rt.core.customers.create(customerInput({ customerNumber, legalName, email: `ap@${customerNumber.toLowerCase()}.example` }), 'dana');
    await rt.core.subscriptions.create({ customerNumber, period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Lawn care', unitPriceCents: 4000, quantity: 1, taxable: false }] }, 'dana');
  }
  await rt.core.billing.run({ asOf: '2026-03-01', dryRun: false }, 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const aprilInvoices = async () =>
  (await rawSql(rt.ledger).get<{ n: number }>(`SELECT count(*) AS n FROM invoices WHERE period_start = '2026-04-01'`))!.n;

describe('the office’s "create invoices N days before the period" house rule', () => {
  it('is 0 by default: April is not billed on March 27', async () => {
    expect(rt.core.deps.settings.get().policy.billingLeadDays).toBe(0);
    const preview = await call(rt, 'billing.preview', {}, 'sue');
    expect(preview.invoices).toEqual([]);
  });

  it('bills periods starting within that many days, in the preview, the run and the daily schedule', async () => {
    // Mar 27 + 4 days is Mar 31: April is not due yet.
    await rt.core.settings.updateOffice({ policy: { billingLeadDays: '4' } }, 'admin');
    expect((await call(rt, 'billing.preview', {}, 'sue')).invoices).toEqual([]);
    // Mar 27 + 5 days is Apr 1.
    await rt.core.settings.updateOffice({ policy: { billingLeadDays: '5' } }, 'admin');
    const preview = (await call(rt, 'billing.preview', {}, 'sue')) as BillingRunDto;
    expect(preview.invoices.map((i) => [i.customerNumber, i.periodStart, i.periodEnd, i.totalCents])).toEqual([
      ['CL1042', '2026-04-01', '2026-04-30', 4000],
      ['AK5521', '2026-04-01', '2026-04-30', 4000],
      ['BZ1001', '2026-04-01', '2026-04-30', 4000],
    ]);
    expect(await aprilInvoices()).toBe(0);
    // The daily run follows the house rule too, dated today.
    expect(await runScheduledBilling(rt.core)).toBe('ran');
    const made = await rawSql(rt.ledger).all<{ issue_date: string }>(`SELECT issue_date FROM invoices WHERE period_start = '2026-04-01'`);
    expect(made).toEqual([{ issue_date: '2026-03-27' }, { issue_date: '2026-03-27' }, { issue_date: '2026-03-27' }]);
    await expectHealthy(rt);
  });

  it('is overridden by the command line’s --lead-days', async () => {
    await rt.core.settings.updateOffice({ policy: { billingLeadDays: '10' } }, 'admin');
    let out = '';
    const io = { out: (t: string) => (out += t + '\n'), err: () => undefined };
    const db = path.join(rt.dir, 'ledger.db');
    expect(await runCli(['--db', db, 'billing', 'run', '--as-of', '2026-03-27', '--dry-run', '--lead-days', '0'], io)).toBe(0);
    expect((JSON.parse(out) as BillingRunDto).invoices).toEqual([]);
    out = '';
    expect(await runCli(['--db', db, 'billing', 'run', '--as-of', '2026-03-27', '--dry-run'], io)).toBe(0);
    expect((JSON.parse(out) as BillingRunDto).invoices.length).toBe(3);
  });
});

describe('the billing run’s progress', () => {
  it('is kept on the run’s row after every batch, for the Billing run screen to read', async () => {
    const seen: [number, number][] = [];
    const rows: Promise<{ progress_done: number; progress_total: number } | undefined>[] = [];
    const r = await rt.core.billing.run(
      {
        asOf: '2026-04-01',
        dryRun: false,
        batchSize: 1,
        onProgress: (done, total) => {
          seen.push([done, total]);
          rows.push(rt.ledger.db.selectFrom('billing_runs').select(['progress_done', 'progress_total']).where('status', '=', 'running').executeTakeFirst());
        },
      },
      'dana',
    );
    expect(r.invoices.length).toBe(3);
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    // Read while the run was going: each at least as far as the batch that had just been written.
    const read = await Promise.all(rows);
    expect(read.filter((row) => row !== undefined).length).toBeGreaterThan(0);
    read.forEach((row, i) => {
      if (row) expect(row.progress_total).toBe(3);
      if (row) expect(row.progress_done).toBeGreaterThanOrEqual(i + 1);
    });
    const runs = (await call(rt, 'billing.runs', {}, 'amy')).runs as BillingRunRecordDto[];
    expect(runs[0]).toMatchObject({ status: 'finished', invoicesCreated: 3, progressDone: 3, progressTotal: 3, going: false });
  });
});
