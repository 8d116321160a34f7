import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy, failure } from '../ledger/fixtures';

let rt: TestRuntime;
let subscriptionId: number;
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-03-21T15:00:00Z' });
  // The office's tax rate and time zone, saved in the ledger's record as an administrator saves them.
  await rt.core.settings.updateOffice({ defaultTaxRatePercent: '10' }, 'admin');
  await rt.core.settings.confirmTimeZone('UTC', 'admin');
  await rt.core.customers.create(customerInput(), 'dana');
  const sub = await rt.core.subscriptions.create(
    { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Lawn care', unitPriceCents: 3100, quantity: 1, taxable: true }] },
    'dana',
  );
  subscriptionId = sub.id;
  await rt.core.billing.run({ asOf: '2026-03-01', dryRun: false }, 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const totals = () =>
  rawSql(rt.ledger).all<{ period_start: string; period_end: string; total_cents: number }>(
    'SELECT period_start, period_end, total_cents FROM invoices ORDER BY id',
  );

describe('changing a subscription', () => {
  it('from the next period by default: the current period keeps its price', async () => {
    const r = await rt.core.subscriptions.change(
      { customerNumber: 'CL1042', subscriptionId, effective: 'next_period', asOf: '2026-03-21', lines: [{ description: 'Lawn care', unitPriceCents: 4000, quantity: 1, taxable: true }] },
      'dana',
    );
    expect(r).toEqual({ subscriptionId, effectiveFrom: '2026-04-01', creditNumber: null, creditCents: 0, invoiceNumber: null, invoiceCents: 0 });
    // A second change for the same period is refused and changes nothing.
    const again = await failure(
      rt.core.subscriptions.change(
        { customerNumber: 'CL1042', subscriptionId, effective: 'next_period', asOf: '2026-03-22', lines: [{ description: 'Lawn care', unitPriceCents: 5000, quantity: 1, taxable: true }] },
        'dana',
      ),
    );
    expect(again.code).toBe('CONFLICT');
    await rt.core.billing.run({ asOf: '2026-04-01', dryRun: false }, 'dana');
    expect((await totals()).map((t) => t.total_cents)).toEqual([3410, 4400]);
    await expectHealthy(rt);
  });

  it('now: the unused days are credited at the old price and invoiced at the new one, by days, half up', async () => {
    const r = await rt.core.subscriptions.change(
      { customerNumber: 'CL1042', subscriptionId, effective: 'now', asOf: '2026-03-21', lines: [{ description: 'Lawn care', unitPriceCents: 3100, quantity: 2, taxable: true }] },
      'dana',
    );
    // Mar 21-31 is 11 of 31 days. Credit: ($31.00 + $3.10 tax) × 11/31 = 1210. Invoice: $62.00 × 11/31 = 2200 + 10% = 2420.
    expect(r).toMatchObject({ effectiveFrom: '2026-04-01', creditCents: 1210, invoiceCents: 2420 });
    expect(r.creditNumber).toMatch(/^CR-/);
    const credit = await rawSql(rt.ledger).get<{ amount_cents: number }>('SELECT amount_cents FROM credit_memos');
    expect(credit!.amount_cents).toBe(1210);
    const lines = await rawSql(rt.ledger).all<{ description: string; quantity: number; amount_cents: number }>(
      `SELECT l.description, l.quantity, l.amount_cents FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.invoice_number = ?`,
      r.invoiceNumber,
    );
    expect(lines).toEqual([{ description: 'Lawn care (new price from 2026-03-21 to 2026-03-31, 11 of 31 days)', quantity: 1, amount_cents: 2200 }]);
    await rt.core.billing.run({ asOf: '2026-04-01', dryRun: false }, 'dana');
    expect(await totals()).toEqual([
      { period_start: '2026-03-01', period_end: '2026-03-31', total_cents: 3410 },
      { period_start: '2026-03-21', period_end: '2026-03-31', total_cents: 2420 },
      { period_start: '2026-04-01', period_end: '2026-04-30', total_cents: 6820 },
    ]);
    const audit = await rawSql(rt.ledger).get<{ summary: string }>(`SELECT summary FROM audit_log WHERE action = 'subscription.change'`);
    expect(JSON.parse(audit!.summary)).toMatchObject({ effective: 'now', creditCents: 1210, invoiceCents: 2420 });
    await expectHealthy(rt);
  });

  it('refuses bad lines with field errors and a cancelled subscription, changing nothing', async () => {
    const bad = await failure(
      rt.core.subscriptions.change(
        { customerNumber: 'CL1042', subscriptionId, effective: 'now', asOf: '2026-03-21', lines: [{ description: '', unitPriceCents: -1, quantity: 0, taxable: true }] },
        'dana',
      ),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(Object.keys((bad.details as { fields: Record<string, string> }).fields).sort()).toEqual(['lines.0.description', 'lines.0.quantity', 'lines.0.unitPriceCents']);
    await rt.core.subscriptions.cancel({ customerNumber: 'CL1042', mode: 'end_of_term', asOf: '2026-03-21', reason: 'Closing' }, 'dana');
    const cancelled = await failure(
      rt.core.subscriptions.change(
        { customerNumber: 'CL1042', subscriptionId, effective: 'now', asOf: '2026-03-21', lines: [{ description: 'Lawn care', unitPriceCents: 1, quantity: 1, taxable: true }] },
        'dana',
      ),
    );
    expect(cancelled.code).toBe('CONFLICT');
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT count(*) AS n FROM subscription_lines'))!.n).toBe(1);
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT count(*) AS n FROM credit_memos'))!.n).toBe(0);
  });
});

describe('the credit of a subscription that shares an invoice', () => {
  it('takes the tax only of what it was taxed for: none for an untaxed subscription on an invoice with a taxed one', async () => {
    // A second, untaxed subscription of CL1042 starting Apr 1 shares the April invoice with the taxed one.
    const survey = await rt.core.subscriptions.create(
      { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-04-01', lines: [{ description: 'Tree survey', unitPriceCents: 3000, quantity: 1, taxable: false }] },
      'dana',
    );
    rt.clock.set('2026-04-11T15:00:00Z');
    await rt.core.billing.run({ asOf: '2026-04-01', dryRun: false }, 'dana');
    // April: $31.00 taxed + $30.00 untaxed = $61.00, tax 10% of $31.00 = $3.10, total $64.10.
    expect((await totals()).at(-1)).toEqual({ period_start: '2026-04-01', period_end: '2026-04-30', total_cents: 6410 });
    // Cancelled on Apr 11: 20 of April's 30 days unused. Untaxed: $30.00 × 20/30 = $20.00, no tax.
    const untaxed = await rt.core.subscriptions.cancel({ customerNumber: 'CL1042', subscriptionId: survey.id, mode: 'immediate', asOf: '2026-04-11', reason: 'No longer needed' }, 'sue.supervisor');
    expect(untaxed.cancelled.map((c) => c.creditCents)).toEqual([2000]);
    // Taxed: ($31.00 + all of the $3.10 tax) × 20/30 = $22.733… → $22.73.
    const taxed = await rt.core.subscriptions.cancel({ customerNumber: 'CL1042', subscriptionId, mode: 'immediate', asOf: '2026-04-11', reason: 'Moved away' }, 'sue.supervisor');
    expect(taxed.cancelled.map((c) => c.creditCents)).toEqual([2273]);
    await expectHealthy(rt);
  });
});
