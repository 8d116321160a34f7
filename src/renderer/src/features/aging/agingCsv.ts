import { csvText, numberCell } from '../../../../shared/csv';
import { centsToDecimalString } from '../../../../shared/money';
import { AGING_WINDOW_MAX_ROWS, type AgingCustomerRow, type AgingWindowInput } from '../../../../shared/contract/aging';
import { call } from '../../lib/api';

const HEADER = [
  'Customer number',
  'Legal name',
  'Current',
  '1-30 days',
  '31-60 days',
  '61-90 days',
  'Over 90 days',
  'Total',
  'Unapplied credits',
  'Disputed',
];

/**
 * The aging rows as CSV, exactly as the report gave them: amounts written as plain decimals
 * (no currency symbol or grouping) so spreadsheets read them as numbers. The semicolon variant
 * uses a decimal comma, as spreadsheets in comma-decimal locales expect. Names are text cells,
 * guarded against formulas by the CSV writer; amounts are number cells, so -12.50 stays a number.
 */
export function agingCsv(rows: AgingCustomerRow[], exportFormat: 'csv' | 'csv-semicolon'): string {
  const semicolon = exportFormat === 'csv-semicolon';
  const amount = (c: number) => numberCell(centsToDecimalString(c, semicolon ? ',' : '.'));
  const records = rows.map((r) => [
    r.customer_number,
    r.legal_name,
    ...[r.current, r.days_1_30, r.days_31_60, r.days_61_90, r.days_over_90, r.total, r.unapplied_credits_cents, r.disputed_cents].map(amount),
  ]);
  return csvText([HEADER, ...records], semicolon ? ';' : ',');
}

/** Every row the filter keeps, in the screen's order, asked of main a window at a time. */
export async function allAgingRows(filter: Omit<AgingWindowInput, 'offset' | 'limit'>): Promise<AgingCustomerRow[]> {
  const rows: AgingCustomerRow[] = [];
  for (;;) {
    const page = await call('aging.window', { ...filter, offset: rows.length, limit: AGING_WINDOW_MAX_ROWS });
    rows.push(...page.rows);
    if (page.rows.length < AGING_WINDOW_MAX_ROWS || rows.length >= page.count) return rows;
  }
}
