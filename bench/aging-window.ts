/**
 * The aging screen's figures at office scale: how long main takes to answer the screen's first
 * window of rows, a re-sort and a filter (the aging.window channel), and the whole aging report
 * beside the floor the schema allows: one plain SQL query that reads each open invoice once with
 * the sum of what was applied to it, and does nothing else.
 */
import type Database from 'better-sqlite3';
import type { AgingWindowInput } from '../src/shared/contract/aging';
import type { NodeRuntime } from '../src/main/runtime';
import { measure } from './timing';

/** Every invoice open on the date with what was applied to it by then: the least any aging report must read. */
export const OPEN_INVOICES_FLOOR_SQL = `
SELECT i.id, i.customer_id, i.due_date, i.disputed, i.total_cents - coalesce(sum(a.amount_cents), 0) AS open_cents
FROM invoices i LEFT JOIN applications a ON a.invoice_id = i.id AND a.applied_on <= :as_of
WHERE i.status = 'open' AND i.issue_date <= :as_of
GROUP BY i.id`;

/** The same read with the applied sum as a subquery per invoice: the planners cost the two forms differently. */
export const OPEN_INVOICES_FLOOR_SQL_CORRELATED = `
SELECT i.id, i.customer_id, i.due_date, i.disputed, i.total_cents - coalesce(
  (SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id AND a.applied_on <= :as_of), 0) AS open_cents
FROM invoices i
WHERE i.status = 'open' AND i.issue_date <= :as_of`;

const FLOOR_FORMS = [OPEN_INVOICES_FLOOR_SQL, OPEN_INVOICES_FLOOR_SQL_CORRELATED];

/** The floor queries (each form) through the plain driver of the measured engine; the faster one is the floor. */
export type FloorQuery = ((asOf: string) => Promise<unknown>)[];

export function sqliteFloor(sqlite: Database.Database): FloorQuery {
  return FLOOR_FORMS.map((text) => {
    const statement = sqlite.prepare(text);
    return async (asOf: string) => statement.all({ as_of: asOf });
  });
}

export function postgresFloor(client: { query(text: string, params: unknown[]): Promise<unknown> }): FloorQuery {
  return FLOOR_FORMS.map((text) => (asOf: string) => client.query(text.replaceAll(':as_of', '$1'), [asOf]));
}

export interface AgingWindowFigures {
  /** Rows the report has (customers with a balance or unapplied money). */
  customers: number;
  /** The first window (50 rows, by total) when main has nothing kept: the report computed, then cut. */
  firstWindowColdMs: number;
  /** The first window again, main's rows kept (the screen opened a second time, nothing changed). */
  firstWindowMs: number;
  /** Main's warm-up from nothing kept (aging.warm.ts: off this thread on SQLite), then the first window without a date, as the screen asks. */
  warmUpMs: number;
  firstWindowAfterWarmUpMs: number;
  /** The first window after a credit memo for one customer: the kept rows patched for that customer. */
  afterChangeMs: number;
  /** Re-sorts of the kept rows: by legal name, then by over 90 days ascending, each its first time. */
  resortByNameMs: number;
  resortByOver90Ms: number;
  /** A filter by text (a name word) and past due only, and a window far down the list. */
  filterMs: number;
  filterRows: number;
  laterWindowMs: number;
  /** The whole aging report computed from nothing kept (median of 3), the floor (the faster form's median of 3) and their ratio. */
  reportMs: number;
  floorMs: number;
  ratio: number;
  /** The whole report read from the sums main keeps (as in the office's main process once the aging has been read). */
  reportKeptMs: number;
  keptRatio: number;
}

const median3 = async (fn: () => Promise<unknown>): Promise<number> => {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) runs.push((await measure(fn)).wall);
  return runs.sort((a, b) => a - b)[1]!;
};

export async function measureAgingWindow(rt: NodeRuntime, floor: FloorQuery, asOf: string, filterWord: string): Promise<AgingWindowFigures> {
  const { aging } = rt.core;
  const window = (extra: Partial<AgingWindowInput> = {}) => aging.window({ asOf, offset: 0, limit: 50, ...extra });
  aging.forgetKept();
  const cold = await measure(() => window());
  const warm = await measure(() => window());
  aging.forgetKept();
  const warmUp = await measure(() => aging.warmUp());
  const afterWarmUp = await measure(() => aging.window({ offset: 0, limit: 50 }));
  const first = await window();
  await rt.core.credits.create({ customerNumber: first.rows[0]!.customer_number, amountCents: 100, reason: 'Benchmark: one customer changed' }, 'bench');
  const afterChange = await measure(() => window());
  const byName = await measure(() => window({ sort: 'legal_name', dir: 'asc' }));
  const byOver90 = await measure(() => window({ sort: 'days_over_90', dir: 'asc' }));
  let filterRows = 0;
  const filter = await measure(async () => (filterRows = (await window({ customer: filterWord, pastDueOnly: true })).count));
  const later = await measure(() => window({ offset: Math.max(0, first.count - 50) }));
  const reportMs = await median3(() => {
    aging.forgetKept();
    return aging.report({ asOf });
  });
  await aging.report({ asOf });
  const reportKeptMs = await median3(() => aging.report({ asOf }));
  let floorMs = Infinity;
  for (const form of floor) floorMs = Math.min(floorMs, await median3(() => form(asOf)));
  return {
    customers: first.allCount,
    firstWindowColdMs: cold.wall,
    firstWindowMs: warm.wall,
    warmUpMs: warmUp.wall,
    firstWindowAfterWarmUpMs: afterWarmUp.wall,
    afterChangeMs: afterChange.wall,
    resortByNameMs: byName.wall,
    resortByOver90Ms: byOver90.wall,
    filterMs: filter.wall,
    filterRows,
    laterWindowMs: later.wall,
    reportMs,
    floorMs,
    ratio: reportMs / floorMs,
    reportKeptMs,
    keptRatio: reportKeptMs / floorMs,
  };
}

export function printAgingWindow(f: AgingWindowFigures): void {
  const fmt = (ms: number) => ms.toFixed(2).padStart(8);
  const verdict = (ms: number, target: number) => `<= ${target}: ${ms <= target ? 'met' : 'MISSED'}`;
  const row = (label: string, ms: number, note = '') => console.log(`${label.padEnd(52)} ${fmt(ms)}  ${note}`);
  console.log(`\naging screen (aging.window, ${f.customers} customers, ms)`);
  row('  first window, nothing kept (report + cut)', f.firstWindowColdMs);
  row('  first window, rows kept', f.firstWindowMs, verdict(f.firstWindowMs, 300));
  row('  warm-up after start (in the background)', f.warmUpMs);
  row('  first window after the warm-up (no date given)', f.firstWindowAfterWarmUpMs, verdict(f.firstWindowAfterWarmUpMs, 300));
  row('  first window after one customer changed', f.afterChangeMs, verdict(f.afterChangeMs, 300));
  row('  re-sort by legal name', f.resortByNameMs, verdict(f.resortByNameMs, 300));
  row('  re-sort by over 90 days, ascending', f.resortByOver90Ms, verdict(f.resortByOver90Ms, 300));
  row(`  filter by text and past due (${f.filterRows} rows)`, f.filterMs, verdict(f.filterMs, 300));
  row('  last window of the list', f.laterWindowMs, verdict(f.laterWindowMs, 300));
  row('aging report, nothing kept (median of 3)', f.reportMs);
  row('  floor: one pass over open invoices + applied', f.floorMs);
  console.log(`${'  ratio report / floor'.padEnd(52)} ${f.ratio.toFixed(2).padStart(8)}  <= 1.2: ${f.ratio <= 1.2 ? 'met' : 'MISSED'}`);
  row('aging report, read from the kept sums (median of 3)', f.reportKeptMs);
  console.log(`${'  ratio kept report / floor'.padEnd(52)} ${f.keptRatio.toFixed(2).padStart(8)}  <= 1.2: ${f.keptRatio <= 1.2 ? 'met' : 'MISSED'}`);
}
