import { AppError } from '../../../shared/errors';
import { isIsoDate } from '../../../shared/dates';
import type { DocumentRef } from '../../../shared/contract/documents';
import { openNodeRuntime } from '../../runtime';
import { systemPrinter } from '../../printing/system.printer';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

/**
 * Printing from the command line through this computer's print system (CUPS on Linux and macOS,
 * Windows' spooler), with the workstation's printing settings unless --printer and --copies say
 * otherwise. A job the print system refuses stays in AR Desk's print queue, like one from the app.
 */

const PRINT_USAGE =
  'print confirmation NUMBER | invoice NUMBER | statement CUSTOMER_NUMBER --as-of YYYY-MM-DD [--printer NAME] [--copies N]';

export const printersCommand: CliCommand = {
  name: 'printers',
  summary: "List this computer's printers as JSON: { printers: [{ name, isDefault, state }] }",
  usage: 'printers',
  async run(ctx, argv) {
    parseCommandArgs(argv, {});
    try {
      const { printers } = await systemPrinter().listPrinters();
      ctx.out(JSON.stringify({ printers: printers.map(({ name, isDefault, state }) => ({ name, isDefault, state })) }, null, 2));
      return 0;
    } catch (e) {
      ctx.err(`The printers could not be listed: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  },
};

function copiesFrom(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = /^\d{1,2}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 99)) throw new UsageError('--copies must be a whole number from 1 to 99');
  return n;
}

export const printCommand: CliCommand = {
  name: 'print',
  summary: 'Print a payment confirmation, an invoice or a statement; prints the job id, or why not (exit 1)',
  usage: PRINT_USAGE,
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { printer: { type: 'string' }, copies: { type: 'string' }, 'as-of': { type: 'string' } },
      true,
    );
    const [kind, number, ...extra] = positionals;
    if (!kind || !number || extra.length > 0) throw new UsageError('give what to print and its number, e.g. print confirmation K7QX4M2P');
    if (!['confirmation', 'invoice', 'statement'].includes(kind)) throw new UsageError(`cannot print "${kind}": use confirmation, invoice or statement`);
    const asOf = values['as-of'];
    if (kind === 'statement' && (!asOf || !isIsoDate(asOf))) throw new UsageError('a statement needs --as-of YYYY-MM-DD (a calendar date)');
    if (kind !== 'statement' && asOf !== undefined) throw new UsageError('--as-of is for statements only');
    const copies = copiesFrom(values.copies);
    const printer = values.printer?.trim() || null;

    const runtime = await openNodeRuntime({ ledgerPath: ctx.ledgerPath, databaseUrl: ctx.databaseUrl, printer: systemPrinter() });
    try {
      const db = runtime.core.deps.ledger.db;
      let ref: DocumentRef;
      if (kind === 'confirmation') {
        const row = await db.selectFrom('payments').select('id').where('confirmation_number', '=', number.trim().toUpperCase()).executeTakeFirst();
        if (!row) throw new AppError('NOT_FOUND', `There is no payment with confirmation number ${number}.`);
        ref = { kind: 'confirmation', paymentId: row.id };
      } else if (kind === 'invoice') ref = { kind: 'invoice', invoiceNumber: number.trim() };
      else ref = { kind: 'statement', customerNumber: number.trim().toUpperCase(), asOf: asOf! };

      const job = await runtime.core.documents.printDocument(ref, 'cli', { printer, copies });
      if (job.sentTo) {
        const where = job.sentTo.jobId ? `printer ${job.sentTo.printer} as job ${job.sentTo.jobId}` : `printer ${job.sentTo.printer}`;
        ctx.out(`Sent ${job.title} to ${where} (AR Desk print job ${job.id}). ${job.statusText}`);
        return 0;
      }
      ctx.err(
        `Not printed: ${job.lastError ?? job.statusText} ${job.title} waits in AR Desk's print queue as print job ${job.id}; ` +
          'the app tries it again, or discard it there.',
      );
      return 1;
    } finally {
      await runtime.close();
    }
  },
};
