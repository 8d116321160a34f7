import { formatPlainAmount } from '../../lib/format';
import type { AgingRow } from './AgingScreen';

/**
 * The aging rows as CSV, exactly as the report gave them: amounts written as plain decimals
 * (no currency symbol or grouping) so spreadsheets read them as numbers. The semicolon variant
 * uses a decimal comma, as spreadsheets in comma-decimal locales expect.
 */
export function agingCsv(rows: AgingRow[], exportFormat: 'csv' | 'csv-semicolon'): string {
  const sep = exportFormat === 'csv-semicolon' ? ';' : ',';
  const decimal = exportFormat === 'csv-semicolon' ? ',' : '.';
  const quote = (v: string) => (v.includes(sep) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const amount = (c: number) => quote(formatPlainAmount(c, decimal));
  const header = [
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
  const lines = [header.map(quote).join(sep)];
  for (const r of rows) {
    lines.push(
      [
        quote(r.customer_number),
        quote(r.legal_name),
        amount(r.current),
        amount(r.days_1_30),
        amount(r.days_31_60),
        amount(r.days_61_90),
        amount(r.days_over_90),
        amount(r.total),
        amount(r.unapplied_credits_cents),
        amount(r.disputed_cents),
      ].join(sep),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** Hands a text file to the browser's (or Electron's) download, without a round trip. */
export function downloadText(filename: string, text: string, type: string): void {
  // A byte-order mark makes Excel read the file as UTF-8 (accented customer names).
  const blob = new Blob(['\ufeff', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
