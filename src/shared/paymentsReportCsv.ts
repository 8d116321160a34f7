import { csvText, numberCell, type CsvCell } from './csv';
import { centsToDecimalString } from './money';
import type { PaymentsReport } from './contract/reports';

/** The payments report's columns, the same in the screen's export and the CLI's `--format csv`. */
export const PAYMENTS_REPORT_CSV_HEADER = [
  'Business date',
  'Type',
  'Confirmation',
  'Customer number',
  'Customer name',
  'Method',
  'Clerk',
  'Amount',
  'Note',
] as const;

/**
 * One row per payment, void and refund of the range, amounts in dollars as plain decimals (a void or
 * refund negative, so the column sums to the net); text cells guarded against formulas by the CSV
 * writer. The semicolon variant writes a decimal comma, as comma-decimal spreadsheets expect.
 */
export function paymentsReportCsv(report: PaymentsReport, exportFormat: 'csv' | 'csv-semicolon' = 'csv'): string {
  const semicolon = exportFormat === 'csv-semicolon';
  const records: CsvCell[][] = [[...PAYMENTS_REPORT_CSV_HEADER]];
  for (const l of report.payments) {
    records.push([
      l.businessDate,
      l.type,
      l.confirmationNumber ?? '',
      l.customerNumber,
      l.customerName,
      l.method,
      l.clerk,
      numberCell(centsToDecimalString(l.amountCents, semicolon ? ',' : '.')),
      l.note,
    ]);
  }
  return csvText(records, semicolon ? ';' : ',');
}
