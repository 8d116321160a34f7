import type { AgingReport } from '../../../shared/contract/aging';
import { isIsoDate } from '../../../shared/dates';
import { formatCents } from '../../../shared/money';
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

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function dollars(cents: number): string {
  return formatCents(cents, { symbol: '', grouping: false });
}

/** One header row, one row per customer, then a TOTAL row; amounts in dollars with 2 decimals. */
export function agingReportCsv(report: AgingReport): string {
  const lines = [CSV_COLUMNS.join(',')];
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
    lines.push([csvField(c.customer_number), csvField(c.legal_name), ...amounts(c, c.disputed_cents)].join(','));
  }
  const disputed = report.customers.reduce((s, c) => s + c.disputed_cents, 0);
  lines.push(['TOTAL', '', ...amounts(report.totals, disputed)].join(','));
  return `${lines.join('\r\n')}\r\n`;
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
