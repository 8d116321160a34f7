import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { LedgerBuilder } from './builder';

/**
 * The bucket edges, worked out by hand on a calendar (report date 2026-11-20): an invoice exactly
 * 30 days past due is in 1-30 and one 31 days past due in 31-60, and likewise at 0/1, 60/61 and
 * 90/91. Each invoice has its own power-of-two amount, so every bucket's sum says which invoices it
 * holds. Nothing here is computed with the code under test.
 *
 *   invoice  due date     days past due  bucket       cents
 *   E0       2026-11-20    0             current        100
 *   E1       2026-11-19    1             1-30           200
 *   E30      2026-10-21   30             1-30           400
 *   E31      2026-10-20   31             31-60          800
 *   E60      2026-09-21   60             31-60        1,600
 *   E61      2026-09-20   61             61-90        3,200
 *   E90      2026-08-22   90             61-90        6,400
 *   E91      2026-08-21   91             over 90     12,800
 *
 * On the invoice basis (days since issue): I30 issued 2026-10-21 is in 1-30, I31 issued 2026-10-20 in 31-60.
 */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  const b = new LedgerBuilder(rt.ledger.db);
  const edges = await b.customer('CL0100', 'Edge Case Dental');
  for (const [n, due, cents] of [
    ['E0', '2026-11-20', 100],
    ['E1', '2026-11-19', 200],
    ['E30', '2026-10-21', 400],
    ['E31', '2026-10-20', 800],
    ['E60', '2026-09-21', 1600],
    ['E61', '2026-09-20', 3200],
    ['E90', '2026-08-22', 6400],
    ['E91', '2026-08-21', 12800],
  ] as const) {
    await b.invoice(edges, n, '2026-06-01', due, cents);
  }
  const issued = await b.customer('CL0101', 'Issue Date Bakery');
  await b.invoice(issued, 'I30', '2026-10-21', '2026-11-20', 1000);
  await b.invoice(issued, 'I31', '2026-10-20', '2026-11-19', 2000);
  await b.finish();
});

afterAll(async () => {
  await rt.dispose();
});

describe('the aging buckets at their edges', () => {
  it('puts 30 days past due in 1-30 and 31 days in 31-60 (and 0/1, 60/61, 90/91 alike)', async () => {
    const report = await rt.core.aging.report({ asOf: '2026-11-20', basis: 'due', customer: 'CL0100' });
    expect(report.customers).toEqual([
      {
        customer_number: 'CL0100',
        legal_name: 'Edge Case Dental',
        current: 100,
        days_1_30: 600,
        days_31_60: 2400,
        days_61_90: 9600,
        days_over_90: 12800,
        total: 25500,
        unapplied_credits_cents: 0,
        disputed_cents: 0,
      },
    ]);
  });

  it("gives each invoice its days past due and bucket in the customer's aging", async () => {
    const detail = await rt.core.aging.customer({ customerNumber: 'CL0100', asOf: '2026-11-20' });
    expect(detail.invoices.map((i) => [i.invoiceNumber, i.daysPastDue, i.bucket])).toEqual([
      ['E91', 91, 'days_over_90'],
      ['E90', 90, 'days_61_90'],
      ['E61', 61, 'days_61_90'],
      ['E60', 60, 'days_31_60'],
      ['E31', 31, 'days_31_60'],
      ['E30', 30, 'days_1_30'],
      ['E1', 1, 'days_1_30'],
      ['E0', 0, 'current'],
    ]);
  });

  it('ages 30 and 31 days since issue into 1-30 and 31-60 on the invoice basis', async () => {
    const report = await rt.core.aging.report({ asOf: '2026-11-20', basis: 'invoice', customer: 'CL0101' });
    expect(report.customers.map((c) => [c.current, c.days_1_30, c.days_31_60, c.total])).toEqual([[0, 1000, 2000, 3000]]);
    const due = await rt.core.aging.report({ asOf: '2026-11-20', basis: 'due', customer: 'CL0101' });
    expect(due.customers.map((c) => [c.current, c.days_1_30, c.days_31_60, c.total])).toEqual([[1000, 2000, 0, 3000]]);
  });
});
