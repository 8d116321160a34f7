import { isIsoDate } from '../../../shared/dates';
import { paymentsReportCsv } from '../../../shared/paymentsReportCsv';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'payments: the payments report for business dates --from..--to (JSON, or CSV in dollars)',
  usage: 'report payments --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv]',
  async run(ctx, argv) {
    const { positionals, values } = parseCommandArgs(
      argv,
      { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'json' } },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== 'payments') {
      throw new UsageError(positionals.length === 0 ? 'report needs a report name: payments' : `Unknown report: ${positionals.join(' ')}`);
    }
    const { from, to, format } = values;
    if (from === undefined || !isIsoDate(from)) throw new UsageError(`--from must be a date as YYYY-MM-DD${from === undefined ? '' : `, not "${from}"`}`);
    if (to === undefined || !isIsoDate(to)) throw new UsageError(`--to must be a date as YYYY-MM-DD${to === undefined ? '' : `, not "${to}"`}`);
    if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not "${format}"`);
    const { core } = await ctx.runtime();
    const report = await core.reports.paymentsReport({ from, to });
    if (format === 'csv') ctx.out(paymentsReportCsv(report));
    else ctx.out(JSON.stringify({ from: report.from, to: report.to, totals: report.totals, payments: report.payments, writeOffs: report.writeOffs }, null, 2));
    return 0;
  },
};
