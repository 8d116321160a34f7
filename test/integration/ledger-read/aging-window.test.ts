import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { compareNatural } from '../../../src/main/ledger/ordering.rules';
import { normalizeForSearch } from '../../../src/main/ledger/search.rules';
import {
  AGING_SORT_COLUMNS,
  type AgingCustomerRow,
  type AgingSortColumn,
  type AgingWindow,
  type AgingWindowInput,
} from '../../../src/shared/contract/aging';
import { asStaff } from '../../helpers/dispatch';
import { call } from '../../helpers/payments-fixtures';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';

/** The aging screen's channel: windows of the report's rows, sorted and filtered in main, totals over the filtered set. */
const AS_OF = '2026-11-20';
let rt: TestRuntime;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  await seedDemoLedger(rt.ledger, { customers: 200, seed: 2026, asOf: AS_OF });
});

afterAll(async () => {
  await rt.dispose();
});

const windowOf = (input: Partial<AgingWindowInput> = {}): Promise<AgingWindow> => rt.core.aging.window({ asOf: AS_OF, offset: 0, limit: 5_000, ...input });
const numbers = (rows: readonly AgingCustomerRow[]) => rows.map((r) => r.customer_number);

/** The order a clerk expects, spelled independently of main's sort keys: names folded, digit runs as numbers, ties by number. */
function expectedOrder(rows: readonly AgingCustomerRow[], column: AgingSortColumn, dir: 'asc' | 'desc'): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  const primary = (a: AgingCustomerRow, b: AgingCustomerRow) =>
    column === 'legal_name'
      ? compareNatural(normalizeForSearch(a.legal_name), normalizeForSearch(b.legal_name))
      : column === 'customer_number'
        ? compareNatural(a.customer_number, b.customer_number)
        : a[column] - b[column];
  return numbers([...rows].sort((a, b) => sign * primary(a, b) || compareNatural(a.customer_number, b.customer_number)));
}

describe('the aging window', () => {
  it('holds every row of the aging report, and its totals to the cent, by total descending unless asked otherwise', async () => {
    const report = await rt.core.aging.report({ asOf: AS_OF });
    const all = await windowOf();
    expect(report.customers.length).toBeGreaterThan(50);
    expect(all.count).toBe(report.customers.length);
    expect(all.allCount).toBe(report.customers.length);
    expect(all.totals).toEqual(report.totals);
    expect([...all.rows].sort((a, b) => a.customer_number.localeCompare(b.customer_number))).toEqual(
      [...report.customers].sort((a, b) => a.customer_number.localeCompare(b.customer_number)),
    );
    expect(numbers(all.rows)).toEqual(expectedOrder(report.customers, 'total', 'desc'));
    expect(all.asOf).toBe(AS_OF);
    expect(all.basis).toBe('due');
  });

  it('sorts by each column either way, ties by customer number', async () => {
    const report = await rt.core.aging.report({ asOf: AS_OF });
    for (const column of AGING_SORT_COLUMNS) {
      for (const dir of ['asc', 'desc'] as const) {
        const w = await windowOf({ sort: column, dir });
        expect(numbers(w.rows), `${column} ${dir}`).toEqual(expectedOrder(report.customers, column, dir));
        expect(w.totals, `${column} ${dir}`).toEqual(report.totals);
      }
    }
  });

  it('cuts the window at offset and limit, and answers past the end with no rows and the same count', async () => {
    const all = await windowOf({ sort: 'days_over_90', dir: 'desc' });
    const part = await windowOf({ sort: 'days_over_90', dir: 'desc', offset: 10, limit: 7 });
    expect(part.rows).toEqual(all.rows.slice(10, 17));
    expect(part.offset).toBe(10);
    expect(part.count).toBe(all.count);
    expect(part.totals).toEqual(all.totals);
    const past = await windowOf({ offset: all.count + 5, limit: 50 });
    expect(past.rows).toEqual([]);
    expect(past.count).toBe(all.count);
  });

  it('filters by customer text as the report does, and to past due, with totals of the rows kept', async () => {
    const word = normalizeForSearch((await windowOf({ limit: 1 })).rows[0]!.legal_name).split(' ')[0]!;
    for (const text of [word, 'dental', 'cl10', 'zzzz nobody']) {
      const report = await rt.core.aging.report({ asOf: AS_OF, customer: text });
      const w = await windowOf({ customer: text, sort: 'customer_number' });
      expect(w.count, text).toBe(report.customers.length);
      expect(w.totals, text).toEqual(report.totals);
      expect(numbers(w.rows), text).toEqual(expectedOrder(report.customers, 'customer_number', 'asc'));
    }
    const report = await rt.core.aging.report({ asOf: AS_OF });
    const pastDue = report.customers.filter((r) => r.days_1_30 + r.days_31_60 + r.days_61_90 + r.days_over_90 > 0);
    const w = await windowOf({ pastDueOnly: true, sort: 'legal_name' });
    expect(w.count).toBe(pastDue.length);
    expect(w.allCount).toBe(report.customers.length);
    expect(numbers(w.rows)).toEqual(expectedOrder(pastDue, 'legal_name', 'asc'));
    expect(w.totals.total).toBe(pastDue.reduce((s, r) => s + r.total, 0));
    expect(w.totals.days_over_90).toBe(pastDue.reduce((s, r) => s + r.days_over_90, 0));
  });

  it('ages by invoice date and as of another date like the report', async () => {
    for (const input of [{ basis: 'invoice' as const }, { asOf: '2026-09-30' }]) {
      const report = await rt.core.aging.report({ asOf: AS_OF, ...input });
      const w = await windowOf(input);
      expect(w.totals).toEqual(report.totals);
      expect(w.count).toBe(report.customers.length);
    }
  });

  it('shows a new invoice at once, though the rows are kept between windows', async () => {
    const before = await windowOf();
    await rt.core.customers.create({ customerNumber: 'WN0001', legalName: 'Window Newcomer Ltd' }, 'dana');
    await rt.core.invoices.create(
      { customerNumber: 'WN0001', invoiceNumber: 'INV-WN0001', issueDate: '2026-11-01', dueDate: '2026-11-10', taxRateBp: 0, lines: [{ description: 'Service', quantity: 1, unitPriceCents: 12_345 }] },
      'dana',
    );
    const after = await windowOf({ customer: 'WN0001' });
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]!.days_1_30).toBe(12_345);
    const all = await windowOf();
    expect(all.count).toBe(before.count + 1);
    expect(all.totals.total).toBe(before.totals.total + 12_345);
    expect(all.totals).toEqual((await rt.core.aging.report({ asOf: AS_OF })).totals);
  });

  it('after a change, computes again only the customers it touched, and matches the report row for row', async () => {
    const sorted = (rows: readonly AgingCustomerRow[]) => [...rows].sort((a, b) => a.customer_number.localeCompare(b.customer_number));
    const before = await windowOf();
    const target = before.rows.find((r) => r.total > 0 && r.customer_number !== 'WN0001')!;
    const counts = rt.core.aging.keptCounts();
    // A credit memo (a change-log row naming the customer) and an invoice (no change-log row) for two customers.
    await call(rt, 'credits.create', { customerNumber: target.customer_number, amountCents: 1_234, reason: 'Goodwill' });
    await rt.core.invoices.create(
      { customerNumber: 'WN0001', invoiceNumber: 'INV-WN0002', issueDate: '2026-11-15', dueDate: '2026-12-15', taxRateBp: 0, lines: [{ description: 'Service', quantity: 1, unitPriceCents: 500 }] },
      'dana',
    );
    const after = await windowOf();
    const report = await rt.core.aging.report({ asOf: AS_OF });
    expect(rt.core.aging.keptCounts()).toMatchObject({ made: counts.made, patched: counts.patched + 1 });
    expect(after.rows.find((r) => r.customer_number === target.customer_number)!.unapplied_credits_cents).toBe(target.unapplied_credits_cents + 1_234);
    expect(after.rows.find((r) => r.customer_number === 'WN0001')!.current).toBe(500);
    expect(sorted(after.rows)).toEqual(sorted(report.customers));
    expect(after.totals).toEqual(report.totals);
    // Unchanged since: kept as it is.
    const patched = rt.core.aging.keptCounts();
    await windowOf({ sort: 'legal_name' });
    expect(rt.core.aging.keptCounts()).toEqual({ ...patched, kept: patched.kept + 1 });
  });

  it('makes the rows anew after a change no customer can be named for, and when the feed says so', async () => {
    await windowOf();
    const counts = rt.core.aging.keptCounts();
    await rt.ledger.db.insertInto('change_log').values({ at: '2026-11-20T15:00:00.000Z', entity: 'import', entity_id: 0, customer_id: null }).execute();
    const after = await windowOf();
    expect(rt.core.aging.keptCounts().made).toBe(counts.made + 1);
    expect(after.totals).toEqual((await rt.core.aging.report({ asOf: AS_OF })).totals);
    rt.core.aging.noteChanges({ lastId: 0, customerIds: [], entities: ['import'] });
    await windowOf();
    expect(rt.core.aging.keptCounts().made).toBe(counts.made + 2);
  });

  it('is served by the aging.window channel, which refuses a window of no rows or too many', async () => {
    const d = createDispatcher(rt.core);
    const ok = await dispatch(d, 'aging.window', { asOf: AS_OF, offset: 0, limit: 3, sort: 'legal_name', dir: 'desc' }, asStaff('t'));
    expect(ok.ok && (ok.data as AgingWindow).rows).toHaveLength(3);
    for (const limit of [0, 5_001]) {
      const refused = await dispatch(d, 'aging.window', { asOf: AS_OF, offset: 0, limit }, asStaff('t'));
      expect(refused.ok ? null : refused.error.code, String(limit)).toBe('VALIDATION');
    }
  });
});
