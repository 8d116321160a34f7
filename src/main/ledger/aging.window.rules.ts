/** The aging screen's window: the report's rows sorted, filtered and cut in main. Pure functions, no database. */
import type { AgingAmounts, AgingCustomerRow, AgingSortColumn } from '../../shared/contract/aging';
import { addAgingRow, emptyAgingAmounts } from './aging.rules';
import { normalizeForSearch } from './search.rules';

export type SortDirection = 'asc' | 'desc';

/** The report's rows as computed once for a date, basis and ledger version, with the orders asked for so far. */
export interface AgingRowSet {
  rows: readonly AgingCustomerRow[];
  /** The customers' ids, by row (the customer filter finds ids). */
  customerIds: Int32Array;
  /** Each row's place in customer number order (digit runs as numbers): the tie-breaker of every sort. */
  numberRank: Int32Array;
  /** Row indexes in each order asked for, by `column:dir`. */
  orders: Map<string, Int32Array>;
  /** The names folded for search (lower case ASCII, as customers.name_search keeps them), by row. */
  nameSearch: readonly string[];
  /** Name sort keys, made the first time the name column is sorted. */
  nameKeys?: string[];
}

/** Folded text that sorts by plain comparison as a clerk expects: digit runs by their value. */
function numericKey(folded: string): string {
  return /\d/.test(folded) ? folded.replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(20, '0')) : folded;
}

/** Text that sorts by plain comparison as a clerk expects: case and accents folded, digit runs by their value. */
export function textSortKey(text: string): string {
  return numericKey(normalizeForSearch(text));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function agingRowSet(rows: readonly AgingCustomerRow[], customerIds: readonly number[], nameSearch: readonly string[]): AgingRowSet {
  const keys = rows.map((r) => textSortKey(r.customer_number));
  const byNumber = Int32Array.from(rows.keys()).sort((a, b) => compareKeys(keys[a]!, keys[b]!) || compareKeys(rows[a]!.customer_number, rows[b]!.customer_number));
  const numberRank = new Int32Array(rows.length);
  byNumber.forEach((row, rank) => (numberRank[row] = rank));
  return { rows, customerIds: Int32Array.from(customerIds), nameSearch, numberRank, orders: new Map([['customer_number:asc', byNumber]]) };
}

/** Row indexes in the order of `column` (ties by customer number, ascending), made once per row set. */
export function sortedOrder(set: AgingRowSet, column: AgingSortColumn, dir: SortDirection): Int32Array {
  const name = `${column}:${dir}`;
  const known = set.orders.get(name);
  if (known) return known;
  const { rows, numberRank } = set;
  const sign = dir === 'asc' ? 1 : -1;
  let order: Int32Array;
  if (column === 'customer_number') {
    order = sortedOrder(set, 'customer_number', 'asc').slice().reverse();
  } else if (column === 'legal_name') {
    const keys = (set.nameKeys ??= set.nameSearch.map(numericKey));
    order = Int32Array.from(rows.keys()).sort((a, b) => sign * compareKeys(keys[a]!, keys[b]!) || numberRank[a]! - numberRank[b]!);
  } else {
    const values = Float64Array.from(rows, (r) => r[column]);
    order = Int32Array.from(rows.keys()).sort((a, b) => sign * (values[a]! - values[b]!) || numberRank[a]! - numberRank[b]!);
  }
  set.orders.set(name, order);
  return order;
}

export function isPastDue(r: AgingCustomerRow): boolean {
  return r.days_1_30 > 0 || r.days_31_60 > 0 || r.days_61_90 > 0 || r.days_over_90 > 0;
}

export interface AgingWindowFilter {
  /** The customers the text found (null: no text, keep all). */
  customerIds: ReadonlySet<number> | null;
  /** Customer numbers starting with this (upper case) are kept too, as the lookup keeps them. */
  numberPrefix: string | null;
  pastDueOnly: boolean;
}

export interface AgingWindowCut {
  rows: AgingCustomerRow[];
  count: number;
  totals: AgingAmounts;
}

/** The rows `filter` keeps, in `order`, from `offset` for `limit`, with the count and sums of all it keeps. */
export function cutWindow(set: AgingRowSet, order: Int32Array, filter: AgingWindowFilter, offset: number, limit: number): AgingWindowCut {
  const totals = emptyAgingAmounts();
  const out: AgingCustomerRow[] = [];
  let count = 0;
  for (const i of order) {
    const r = set.rows[i]!;
    if (filter.pastDueOnly && !isPastDue(r)) continue;
    if (filter.customerIds !== null && !filter.customerIds.has(set.customerIds[i]!) && !(filter.numberPrefix && r.customer_number.startsWith(filter.numberPrefix))) continue;
    if (count >= offset && out.length < limit) out.push(r);
    count++;
    addAgingRow(totals, r);
  }
  return { rows: out, count, totals };
}
