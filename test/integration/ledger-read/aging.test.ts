import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import type { AgingCustomerRow } from '../../../src/shared/contract/aging';
import { AppError } from '../../../src/shared/errors';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { LedgerBuilder } from './builder';
import { asStaff } from '../../helpers/dispatch';

/**
 * A hand-built ledger whose aging is worked out by hand below. The business date is 2026-11-20.
 *
 * CL0001 Alder Bakery (due-date ages as of 2026-11-20 in brackets)
 *   A1 issued 06-01 due 07-01  10000 unpaid                      [142 -> over 90]
 *   A2 issued 10-01 due 10-31   5000, 2000 paid 10-15            [20 -> 1-30: 3000]
 *   A3 issued 11-15 due 12-15   7000                             [-25 -> current]
 *   A4 void                     9999                             (left out)
 *   A5 issued 09-01 due 09-21   4000 disputed                    [60 -> 31-60]
 *   A6 issued 08-01 due 08-22   1500                             [90 -> 61-90]
 *   A7 issued 10-20 due 11-19   2500, paid in full 11-25         [1 -> 1-30: paid after D]
 *   A8 issued 11-21 due 12-21    800                             (issued after D)
 *   A9 issued 11-20 due 11-20    600                             [0 -> current]
 * CL0002 Birch Dental
 *   CR1 09-01 5000: 2000 on B1 (10-01), 3000 on B2 (10-10), the latter reversed 11-25 (after D)
 *   CR2 11-01 1250 unapplied; CR3 11-22 700 (issued after D)
 *   CR4 09-01 1100 applied to B3 09-05, reversed 10-20 (before D)
 *   B1 issued 09-15 due 10-15 2000 (paid by CR1); B2 issued 10-05 due 11-04 3000; B3 issued 09-01 due 10-01 1100
 * CL0003 Cedar Law: one invoice paid before D (not in the report)
 */
let rt: TestRuntime;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  const b = new LedgerBuilder(rt.ledger.db);
  const alder = await b.customer('CL0001', 'Alder Bakery');
  await b.invoice(alder, 'A1', '2026-06-01', '2026-07-01', 10000);
  const a2 = await b.invoice(alder, 'A2', '2026-10-01', '2026-10-31', 5000);
  await b.payment(alder, a2, 2000, '2026-10-15');
  await b.invoice(alder, 'A3', '2026-11-15', '2026-12-15', 7000);
  await b.invoice(alder, 'A4', '2026-09-01', '2026-10-01', 9999, { void: true });
  await b.invoice(alder, 'A5', '2026-09-01', '2026-09-21', 4000, { disputed: true });
  await b.invoice(alder, 'A6', '2026-08-01', '2026-08-22', 1500);
  const a7 = await b.invoice(alder, 'A7', '2026-10-20', '2026-11-19', 2500);
  await b.payment(alder, a7, 2500, '2026-11-25');
  await b.invoice(alder, 'A8', '2026-11-21', '2026-12-21', 800);
  await b.invoice(alder, 'A9', '2026-11-20', '2026-11-20', 600);

  const birch = await b.customer('CL0002', 'Birch Dental');
  const cr1 = await b.credit(birch, 'CR1', '2026-09-01', 5000);
  await b.credit(birch, 'CR2', '2026-11-01', 1250);
  await b.credit(birch, 'CR3', '2026-11-22', 700);
  const cr4 = await b.credit(birch, 'CR4', '2026-09-01', 1100);
  const b1 = await b.invoice(birch, 'B1', '2026-09-15', '2026-10-15', 2000);
  const b2 = await b.invoice(birch, 'B2', '2026-10-05', '2026-11-04', 3000);
  const b3 = await b.invoice(birch, 'B3', '2026-09-01', '2026-10-01', 1100);
  await b.creditApplication(birch, cr1, b1, 2000, '2026-10-01');
  const onB2 = await b.creditApplication(birch, cr1, b2, 3000, '2026-10-10');
  await b.reversal(onB2, '2026-11-25');
  const onB3 = await b.creditApplication(birch, cr4, b3, 1100, '2026-09-05');
  await b.reversal(onB3, '2026-10-20');

  const cedar = await b.customer('CL0003', 'Cedar Law');
  const c1 = await b.invoice(cedar, 'C1', '2026-09-01', '2026-10-01', 1000);
  await b.payment(cedar, c1, 1000, '2026-09-20');
  await b.finish();
});

afterAll(async () => {
  await rt.dispose();
});

function row(customer_number: string, legal_name: string, amounts: Partial<AgingCustomerRow>): AgingCustomerRow {
  const r = {
    customer_number,
    legal_name,
    current: 0,
    days_1_30: 0,
    days_31_60: 0,
    days_61_90: 0,
    days_over_90: 0,
    total: 0,
    unapplied_credits_cents: 0,
    disputed_cents: 0,
    ...amounts,
  };
  r.total = r.current + r.days_1_30 + r.days_31_60 + r.days_61_90 + r.days_over_90;
  return r;
}

describe('the aging report', () => {
  it('is built on a ledger that satisfies every invariant', async () => {
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
  });

  const cases: { title: string; asOf: string; basis: 'due' | 'invoice'; customers: AgingCustomerRow[] }[] = [
    {
      title: 'buckets each open amount by days past due on the report date, to the cent',
      asOf: '2026-11-20',
      basis: 'due',
      customers: [
        row('CL0001', 'Alder Bakery', { current: 7600, days_1_30: 5500, days_31_60: 4000, days_61_90: 1500, days_over_90: 10000, disputed_cents: 4000 }),
        row('CL0002', 'Birch Dental', { days_31_60: 1100, unapplied_credits_cents: 2350 }),
      ],
    },
    {
      title: 'counts a reversal and later invoices and credits once the report date reaches them',
      asOf: '2026-11-30',
      basis: 'due',
      customers: [
        row('CL0001', 'Alder Bakery', { current: 7800, days_1_30: 3600, days_61_90: 4000, days_over_90: 11500, disputed_cents: 4000 }),
        row('CL0002', 'Birch Dental', { days_1_30: 3000, days_31_60: 1100, unapplied_credits_cents: 6050 }),
      ],
    },
    {
      title: 'ages from the issue date on the invoice basis',
      asOf: '2026-11-20',
      basis: 'invoice',
      customers: [
        row('CL0001', 'Alder Bakery', { current: 600, days_1_30: 7000, days_31_60: 5500, days_61_90: 4000, days_over_90: 11500, disputed_cents: 4000 }),
        row('CL0002', 'Birch Dental', { days_61_90: 1100, unapplied_credits_cents: 2350 }),
      ],
    },
    {
      title: 'leaves out money applied after the report date and invoices issued after it',
      asOf: '2026-10-05',
      basis: 'due',
      customers: [
        // A2 has nothing paid yet (paid 10-15); A7 not issued yet; A5 was 14 days past due.
        row('CL0001', 'Alder Bakery', { current: 5000, days_1_30: 4000, days_31_60: 1500, days_over_90: 10000, disputed_cents: 4000 }),
        // B2 open (credit applied 10-10), B3 paid by CR4 until 10-20; CR1 has 3000 left.
        row('CL0002', 'Birch Dental', { current: 3000, unapplied_credits_cents: 3000 }),
        // C1 was due 10-01 and paid 09-20: nothing open.
      ],
    },
  ];

  for (const c of cases) {
    it(`${c.title} (${c.basis} basis, as of ${c.asOf})`, async () => {
      const report = await rt.core.aging.report({ asOf: c.asOf, basis: c.basis });
      expect(report.asOf).toBe(c.asOf);
      expect(report.basis).toBe(c.basis);
      expect(report.customers).toEqual(c.customers);
      const sum = (key: keyof AgingCustomerRow) => c.customers.reduce((s, r) => s + (r[key] as number), 0);
      expect(report.totals).toEqual({
        current: sum('current'),
        days_1_30: sum('days_1_30'),
        days_31_60: sum('days_31_60'),
        days_61_90: sum('days_61_90'),
        days_over_90: sum('days_over_90'),
        total: sum('total'),
        unapplied_credits_cents: sum('unapplied_credits_cents'),
      });
    });
  }

  it('defaults to the business date and the due-date basis', async () => {
    const report = await rt.core.aging.report({});
    expect(report.asOf).toBe('2026-11-20');
    expect(report.basis).toBe('due');
    expect(report.totals.total).toBe(29700);
    expect(report.totals.unapplied_credits_cents).toBe(2350);
  });

  it('answers VALIDATION naming asOf for a date that does not exist', async () => {
    const error = await rt.core.aging.report({ asOf: '2026-02-30' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    expect((error as AppError).message).toMatch(/^asOf: /);
  });

  it('serves the report and a refusal over the channel', async () => {
    const handlers = createDispatcher(rt.core);
    const ok = await dispatch(handlers, 'aging.report', { asOf: '2026-11-20', basis: 'due' }, asStaff('t'));
    expect(ok.ok && (ok.data as { totals: { total: number } }).totals.total).toBe(29700);
    const bad = await dispatch(handlers, 'aging.report', { basis: 'weekly' }, asStaff('t'));
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
  });
});

describe("one customer's aging", () => {
  it('lists the invoices behind the row with their bucket and days past due, oldest due first', async () => {
    const detail = await rt.core.aging.customer({ customerNumber: 'cl0001', asOf: '2026-11-20' });
    const report = await rt.core.aging.report({ asOf: '2026-11-20' });
    expect(detail.customer).toEqual(report.customers.find((c) => c.customer_number === 'CL0001'));
    expect(detail.invoices.map((i) => [i.invoiceNumber, i.openCents, i.bucket, i.daysPastDue, i.disputed])).toEqual([
      ['A1', 10000, 'days_over_90', 142, false],
      ['A6', 1500, 'days_61_90', 90, false],
      ['A5', 4000, 'days_31_60', 60, true],
      ['A2', 3000, 'days_1_30', 20, false],
      ['A7', 2500, 'days_1_30', 1, false],
      ['A9', 600, 'current', 0, false],
      ['A3', 7000, 'current', 0, false],
    ]);
    expect(detail.credits).toEqual([]);
  });

  it('gives the reason of each disputed invoice, and none for the others', async () => {
    const detail = await rt.core.aging.customer({ customerNumber: 'CL0001', asOf: '2026-11-20' });
    expect(detail.invoices.filter((i) => i.disputeReason !== null).map((i) => [i.invoiceNumber, i.disputeReason])).toEqual([
      ['A5', 'Customer disputes the charge'],
    ]);
  });

  it("shows the credits left on the report date and matches the report's row on both bases", async () => {
    for (const basis of ['due', 'invoice'] as const) {
      for (const asOf of ['2026-10-05', '2026-11-20', '2026-11-30']) {
        const report = await rt.core.aging.report({ asOf, basis });
        for (const number of ['CL0001', 'CL0002']) {
          const detail = await rt.core.aging.customer({ customerNumber: number, asOf, basis });
          expect(detail.customer, `${number} ${basis} ${asOf}`).toEqual(report.customers.find((c) => c.customer_number === number));
        }
      }
    }
    const birch = await rt.core.aging.customer({ customerNumber: 'CL0002', asOf: '2026-11-30' });
    expect(birch.credits.map((c) => [c.creditNumber, c.amountCents, c.remainingCents])).toEqual([
      ['CR1', 5000, 3000],
      ['CR4', 1100, 1100],
      ['CR2', 1250, 1250],
      ['CR3', 700, 700],
    ]);
  });

  it('gives a zero row for a customer with nothing open, and NOT_FOUND for an unknown number', async () => {
    const cedar = await rt.core.aging.customer({ customerNumber: 'CL0003' });
    expect(cedar.customer).toEqual(row('CL0003', 'Cedar Law', {}));
    expect(cedar.invoices).toEqual([]);
    const error = await rt.core.aging.customer({ customerNumber: 'ZZ9999' }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('NOT_FOUND');
  });
});
