import type { AgingReport } from '../../../shared/contract/aging';
import { isIsoDate } from '../../../shared/dates';
import { csvText, numberCell, type CsvCell } from '../../../shared/csv';
import { centsToDecimalString } from '../../../shared/money';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

const CSV_COLUMNS = [
  'customer_number',
  'legal_name',
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
  'total',
  'unapplied_credits',
  'disputed',
] as const;

function dollars(cents: number): CsvCell {
  return numberCell(centsToDecimalString(cents));
}

/**
 * One header row, one row per customer, then a TOTAL row; amounts in dollars with 2 decimals,
 * written as numbers; names are text, guarded against formulas by the CSV writer.
 */
export function agingReportCsv(report: AgingReport): string {
  const records: CsvCell[][] = [[...CSV_COLUMNS]];
  const amounts = (r: AgingReport['totals'], disputed: number) => [
    dollars(r.current),
    dollars(r.days_1_30),
    dollars(r.days_31_60),
    dollars(r.days_61_90),
    dollars(r.days_over_90),
    dollars(r.total),
    dollars(r.unapplied_credits_cents),
    dollars(disputed),
  ];
  for (const c of report.customers) {
    records.push([c.customer_number, c.legal_name, ...amounts(c, c.disputed_cents)]);
  }
  const disputed = report.customers.reduce((s, c) => s + c.disputed_cents, 0);
  records.push(['TOTAL', '', ...amounts(report.totals, disputed)]);
  return csvText(records);
}

export const agingCommand: CliCommand = {
  name: 'aging',
  summary: 'Print the aging report (JSON, or CSV in dollars)',
  usage: 'aging [--as-of YYYY-MM-DD] [--basis due|invoice] [--format json|csv]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, {
      'as-of': { type: 'string' },
      basis: { type: 'string', default: 'due' },
      format: { type: 'string', default: 'json' },
    });
    const asOf = values['as-of'];
    if (asOf !== undefined && !isIsoDate(asOf)) throw new UsageError(`--as-of must be a date as YYYY-MM-DD, not "${asOf}"`);
    const basis = values.basis;
    if (basis !== 'due' && basis !== 'invoice') throw new UsageError(`--basis must be due or invoice, not "${basis}"`);
    const format = values.format;
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not "${format}"`);
    const { core } = await ctx.runtime();
    const report = await core.aging.report(asOf === undefined ? { basis } : { asOf, basis });
    ctx.out(format === 'csv' ? agingReportCsv(report) : JSON.stringify(report, null, 2));
    return 0;
  },
};
