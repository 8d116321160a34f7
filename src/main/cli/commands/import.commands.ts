import fs from 'node:fs';
import path from 'node:path';
import { formatCents } from '../../../shared/money';
import { IMPORT_KINDS, type ImportKind } from '../../ledger/import.rules';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { importSubscriptionsFile } from './billing.commands';

function isImportKind(s: string | undefined): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s ?? '');
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
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      ctx.err(`Cannot read ${file}: ${(e as Error).message}`);
      return 1;
    }
    const { core } = await ctx.runtime();
    const result = await core.imports.importCsv(kind, text, 'cli', { source: path.basename(file) });
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
