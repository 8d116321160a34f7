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

describe('a change made now, then a cancellation in the same period', () => {
  const changeNow = (asOf: string) =>
    rt.core.subscriptions.change(
      { customerNumber: 'CL1042', subscriptionId, effective: 'now', asOf, lines: [{ description: 'Lawn care', unitPriceCents: 3100, quantity: 2, taxable: true }] },
      'dana',
    );
  const cancelNow = (asOf: string) => rt.core.subscriptions.cancel({ customerNumber: 'CL1042', subscriptionId, mode: 'immediate', asOf, reason: 'Moved away' }, 'dana');
  const credits = async () => (await rawSql(rt.ledger).all<{ amount_cents: number }>('SELECT amount_cents FROM credit_memos ORDER BY id')).map((c) => c.amount_cents);

  it('credits the days left at the new price of the change, not the old price again', async () => {
    // Mar 21-31 billed again at $62.00 + 10%: 2420 (the old price's 1210 credited).
    expect(await changeNow('2026-03-21')).toMatchObject({ creditCents: 1210, invoiceCents: 2420 });
    // Cancelled from Mar 26: 6 of the change's 11 days, 2420 × 6/11 = 1320 (the old price again would be 3410 × 6/31 = 660).
    const r = await cancelNow('2026-03-26');
    expect(r.cancelled.map((c) => [c.endDate, c.creditCents])).toEqual([['2026-03-25', 1320]]);
    expect(await credits()).toEqual([1210, 1320]);
    // What is left billed is what was used: Mar 1-20 at $31.00 (2000) and Mar 21-25 at $62.00 (1000), + 10%.
    const billed = (await totals()).reduce((s, t) => s + t.total_cents, 0);
    expect(billed - (await credits()).reduce((s, c) => s + c, 0)).toBe(3300);
    const rebill = await rawSql(rt.ledger).get<{ period_start: string; from_date: string; to_date: string; amount_cents: number }>(
      'SELECT period_start, from_date, to_date, amount_cents FROM subscription_rebills',
    );
    expect(rebill).toEqual({ period_start: '2026-03-01', from_date: '2026-03-21', to_date: '2026-03-31', amount_cents: 2200 });
    await expectHealthy(rt);
  });

  it('made on the period’s first day, the whole period counts at the new price', async () => {
    // Mar 1-31 billed again in full: credit 3410, invoice 6820.
    expect(await changeNow('2026-03-01')).toMatchObject({ creditCents: 3410, invoiceCents: 6820 });
    // From Mar 21: 11 of 31 days of 6820 = 2420.
    expect((await cancelNow('2026-03-21')).cancelled[0]!.creditCents).toBe(2420);
    await expectHealthy(rt);
  });

  it('a cancellation dated before the change credits the old price up to the change and the new after it', async () => {
    await changeNow('2026-03-21');
    // From Mar 15: Mar 15-20 at the old price, 3410 × 6/31 = 660; Mar 21-31 at the new, 2420 in full.
    expect((await cancelNow('2026-03-15')).cancelled[0]!.creditCents).toBe(660 + 2420);
    await expectHealthy(rt);
  });

  it('a second change made now in the same period is refused before any credit or invoice is written', async () => {
    await changeNow('2026-03-21');
    const before = { credits: await credits(), invoices: (await totals()).length };
    const again = await failure(changeNow('2026-03-25'));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toMatch(/already has a change from 2026-04-01/);
    expect({ credits: await credits(), invoices: (await totals()).length }).toEqual(before);
  });
});

describe('cancelled before its started period was billed', () => {
  beforeEach(async () => {
    // April is not billed yet when the customer cancels on Apr 10.
    rt.clock.set('2026-04-10T15:00:00Z');
  });

  it('the next run bills the used days up to the end date, and nothing after', async () => {
    const r = await rt.core.subscriptions.cancel({ customerNumber: 'CL1042', subscriptionId, mode: 'immediate', asOf: '2026-04-10', reason: 'Moved away' }, 'dana');
    expect(r.cancelled).toEqual([{ subscriptionId, endDate: '2026-04-09', creditNumber: null, creditCents: 0 }]);
    const run = await rt.core.billing.run({ asOf: '2026-04-10', dryRun: false }, 'dana');
    // Apr 1-9 is 9 of 30 days: 3100 × 9/30 = 930, + 10% = 1023.
    expect(run.invoices.map((i) => [i.periodStart, i.periodEnd, i.totalCents])).toEqual([['2026-04-01', '2026-04-09', 1023]]);
    // Run again, and months later: nothing more.
    expect((await rt.core.billing.run({ asOf: '2026-04-10', dryRun: false }, 'dana')).invoices).toEqual([]);
    rt.clock.set('2026-07-01T15:00:00Z');
    expect((await rt.core.billing.run({ asOf: '2026-07-01', dryRun: false }, 'dana')).invoices).toEqual([]);
    await expectHealthy(rt);
  });

  it('the whole account cancelled at the end of the term bills the started period in full', async () => {
    await rt.core.subscriptions.cancelAccount({ customerNumber: 'CL1042', mode: 'end_of_term', asOf: '2026-04-10', reason: 'Sold the property' }, 'dana');
    const run = await rt.core.billing.run({ asOf: '2026-04-10', dryRun: false }, 'dana');
    expect(run.invoices.map((i) => [i.periodStart, i.periodEnd, i.totalCents])).toEqual([['2026-04-01', '2026-04-30', 3410]]);
    rt.clock.set('2026-06-01T15:00:00Z');
    expect((await rt.core.billing.run({ asOf: '2026-06-01', dryRun: false }, 'dana')).invoices).toEqual([]);
    await expectHealthy(rt);
  });

  it('one cancelled before it started is never billed', async () => {
    const later = await rt.core.subscriptions.create(
      { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-05-01', lines: [{ description: 'Hedge trimming', unitPriceCents: 2500, quantity: 1, taxable: false }] },
      'dana',
    );
    await rt.core.subscriptions.cancel({ customerNumber: 'CL1042', subscriptionId: later.id, mode: 'immediate', asOf: '2026-04-10', reason: 'Changed their mind' }, 'dana');
    rt.clock.set('2026-06-01T15:00:00Z');
    const run = await rt.core.billing.run({ asOf: '2026-06-01', dryRun: false }, 'dana');
    expect(run.invoices.every((i) => i.totalCents !== 2500)).toBe(true);
    expect(await rawSql(rt.ledger).get<{ n: number }>('SELECT COUNT(*) AS n FROM subscription_periods WHERE subscription_id = ?', later.id)).toEqual({ n: 0 });
  });
});
