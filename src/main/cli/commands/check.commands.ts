import { INTEGRITY_CHECK_MAX_ERRORS } from '../../db/ledger-check';
import { checkLedgerFile, checkOfficeLedger, type LedgerCheckReport } from '../../ledger/ledger-audit';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';

/** Prints the report as JSON; a failed one is also told in words on standard error. Exit 1 on any problem. */
export function printReport(ctx: CliContext, report: LedgerCheckReport, what: 'Ledger' | 'Backup'): number {
  ctx.out(JSON.stringify(report, null, 2));
  if (report.ok) return 0;
  const damaged = report.problems.filter((p) => p.check === 'integrity_check');
  const lines =
    damaged.length > 0
      ? [
          `${what} ${report.ledger} is damaged: integrity_check found ${damaged.length} problem(s):`,
          ...damaged.map((p) => `  ${p.message}`),
          what === 'Ledger'
            ? 'AR Desk takes no payment on this file. Restore the ledger from your latest backup; the file was not changed.'
            : 'Do not restore this backup; it was not changed.',
        ]
      : [
          `${what} ${report.ledger} breaks ${report.problems.length} rule(s) of the ledger:`,
          ...report.problems.map((p) => `  [${p.check}] ${p.message}`),
          'Nothing was changed. Keep the ledger as it is and ask for support with this list.',
        ];
  ctx.err(lines.join('\n'));
  return 1;
}

function maxErrorsOf(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--max-errors must be a whole number of at least 1, not "${value}"`);
  return n;
}

/**
 * The full check of the ledger: on the SQLite file integrity_check (every page, every index
 * against its table), foreign_key_check and the ledger invariants; on the office's PostgreSQL
 * server the invariants. Read-only: it never migrates, creates or changes anything, so it is safe
 * on a damaged ledger.
 */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check the whole ledger read-only (integrity, foreign keys, invariants); prints JSON { ok, problems }',
  usage: 'check [--max-errors N]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, { 'max-errors': { type: 'string', default: String(INTEGRITY_CHECK_MAX_ERRORS) } });
    const maxErrors = maxErrorsOf(values['max-errors']);
    const report = ctx.databaseUrl ? await checkOfficeLedger(ctx.databaseUrl) : await checkLedgerFile(ctx.ledgerPath, maxErrors);
    return printReport(ctx, report, 'Ledger');
  },
};
