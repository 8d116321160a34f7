import fs from 'node:fs';
import { INTEGRITY_CHECK_MAX_ERRORS, inspectLedgerFile, integrityCheckNow } from '../../db/ledger-check';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

/**
 * The full check of a ledger file (PRAGMA integrity_check: every page, every index against its
 * table), which the app's bounded start-up check leaves out. Read-only: it never migrates, creates
 * or changes the file, so it is safe on a damaged ledger and on a copy of one.
 */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check the whole ledger file for damage (integrity_check); changes nothing',
  usage: 'check [--max-errors N]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, { 'max-errors': { type: 'string', default: String(INTEGRITY_CHECK_MAX_ERRORS) } });
    const maxErrors = Number(values['max-errors']);
    if (!Number.isSafeInteger(maxErrors) || maxErrors < 1) throw new UsageError(`--max-errors must be a whole number of at least 1, not "${values['max-errors']}"`);
    const file = ctx.ledgerPath;
    if (!fs.existsSync(file)) {
      ctx.err(`There is no ledger at ${file}.`);
      return 1;
    }
    // Refuses (with the reason) a file that is not an AR Desk ledger at all.
    inspectLedgerFile(file);
    const started = performance.now();
    const verdict = integrityCheckNow(file, maxErrors);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (verdict.ok) {
      ctx.out(`Ledger ${file}: ok (integrity_check, ${seconds} s).`);
      return 0;
    }
    ctx.err(
      [
        `Ledger ${file} is damaged: integrity_check found ${verdict.problems.length}${verdict.problems.length >= maxErrors ? ' or more' : ''} problem(s) (${seconds} s):`,
        ...verdict.problems.map((p) => `  ${p}`),
        'AR Desk takes no payment on this file. Restore the ledger from your latest backup; the file was not changed.',
      ].join('\n'),
    );
    return 1;
  },
};
