import fs from 'node:fs';
import path from 'node:path';
import { formatCents } from '../../../shared/money';
import { IMPORT_KINDS, type ImportKind } from '../../ledger/import.rules';
import type { ImportProgress } from '../../ledger/import.service';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { importSubscriptionsFile } from './billing.commands';

function isImportKind(s: string | undefined): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s ?? '');
}

/**
 * On a terminal, a line on standard error at most once every `everyMs`: "import: checked 400,000 lines…",
 * "import: written 300,000 of 1,000,000…". Nothing when standard error is not a terminal.
 */
export function importProgressPrinter(
  err: (text: string) => void,
  terminal = process.stderr.isTTY === true,
  everyMs = 1000,
): ((p: ImportProgress) => void) | undefined {
  if (!terminal) return undefined;
  let last = Date.now();
  return (p) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    const n = p.rows.toLocaleString('en-US');
    err(p.phase === 'checking' ? `import: checked ${n} lines…` : `import: written ${n} of ${(p.total ?? p.rows).toLocaleString('en-US')}…`);
  };
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a CSV file of customers, invoices, credits or subscriptions (all rows or none)',
  usage: 'import customers|invoices|credits|subscriptions FILE.csv',
  async run(ctx, argv) {
    const { positionals } = parseCommandArgs(argv, {}, true);
    const [kind, file, ...extra] = positionals;
    if (kind === 'subscriptions') {
      if (!file) throw new UsageError('Name the CSV file to import');
      if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(' ')}`);
      return importSubscriptionsFile(ctx, file);
    }
    if (!isImportKind(kind)) throw new UsageError(`The first argument must be customers, invoices, credits or subscriptions${kind ? `, not "${kind}"` : ''}`);
    if (!file) throw new UsageError('Name the CSV file to import');
    if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(' ')}`);
    // The file is streamed twice (checked, then written); a file that cannot be read is told before the ledger is opened.
    try {
      fs.closeSync(fs.openSync(file, 'r'));
      if (fs.statSync(file).isDirectory()) throw new Error('it is a folder');
    } catch (e) {
      ctx.err(`Cannot read ${file}: ${(e as Error).message}`);
      return 1;
    }
    const { core } = await ctx.runtime();
    const result = await core.imports.importCsvFile(kind, file, 'cli', { source: path.basename(file), onProgress: importProgressPrinter((t) => ctx.err(t)) });
    if (!result.ok) {
      for (const e of result.errors) ctx.err(`line ${e.line}: ${e.message}`);
      ctx.err(`Nothing was imported: ${result.errors.length} bad row${result.errors.length === 1 ? '' : 's'} in ${file}.`);
      return 1;
    }
    const c = result.counts;
    const money = kind === 'customers' ? '' : ` totalling ${formatCents(c.amountCents)}`;
    const paid = c.payments > 0 ? ` (${c.payments} with amount paid, ${formatCents(c.paidCents)} received)` : '';
    ctx.out(`Imported ${c.rows} ${kind}${money}${paid} from ${file}.`);
    return 0;
  },
};
