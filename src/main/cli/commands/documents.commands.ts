import { AppError } from '../../../shared/errors';
import { isIsoDate } from '../../../shared/dates';
import { formatMoney } from '../../documents/format.rules';
import { paymentIdByConfirmationNumber } from '../../documents/documents.repo';
import type { BuiltDocument } from '../../documents/render';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';
import { checkOutFile, writeOutFile, type OutFileOptions } from '../out-file';

/** The --out target, checked before any work (see out-file.ts). */
function requireOut(out: string | undefined, options: OutFileOptions): string {
  if (!out) throw new UsageError('--out FILE.pdf is required');
  return checkOutFile(out, options);
}

function writePdf(file: string, doc: BuiltDocument, options: OutFileOptions): void {
  writeOutFile(file, doc.bytes, options);
}

async function core(ctx: CliContext) {
  return (await ctx.runtime()).core;
}

export const statementsCommand: CliCommand = {
  name: 'statements',
  summary: 'Write one PDF with a statement for every customer with a balance',
  usage: 'statements --as-of YYYY-MM-DD [--past-due-only] --out FILE.pdf [--force]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, {
      'as-of': { type: 'string' },
      'past-due-only': { type: 'boolean' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    });
    const asOf = values['as-of'];
    if (!asOf || !isIsoDate(asOf)) throw new UsageError('--as-of YYYY-MM-DD is required (a calendar date)');
    const outOptions = { force: values.force ?? false, suggestedName: `statements-${asOf}.pdf` };
    const file = requireOut(values.out, outOptions);
    const c = await core(ctx);
    const doc = await c.documents.build({ kind: 'statements', asOf, pastDueOnly: values['past-due-only'] ?? false });
    writePdf(file, doc, outOptions);
    const parts = doc.statements ?? [];
    const total = parts.reduce((s, p) => s + p.balanceDueCents, 0);
    ctx.out(
      `Wrote ${parts.length} statement${parts.length === 1 ? '' : 's'} (${doc.pageCount} page${doc.pageCount === 1 ? '' : 's'}) ` +
        `as of ${asOf} to ${file}; balance due in all ${formatMoney(total, c.deps.settings.get().numberFormat)}.`,
    );
    return 0;
  },
};

export const confirmationCommand: CliCommand = {
  name: 'confirmation',
  summary: 'Write a payment confirmation as PDF',
  usage: 'confirmation CONFIRMATION_NUMBER --out FILE.pdf [--force]',
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, force: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one confirmation number');
    const number = positionals[0]!;
    const outOptions = { force: values.force ?? false, suggestedName: `confirmation-${number}.pdf` };
    const file = requireOut(values.out, outOptions);
    const c = await core(ctx);
    const paymentId = await paymentIdByConfirmationNumber(c.deps.ledger.db, number);
    if (paymentId === undefined) throw new AppError('NOT_FOUND', `There is no payment with confirmation number ${number}.`);
    const doc = await c.documents.build({ kind: 'confirmation', paymentId });
    writePdf(file, doc, outOptions);
    ctx.out(`Wrote ${doc.title} (${doc.pageCount} page${doc.pageCount === 1 ? '' : 's'}) to ${file}.`);
    return 0;
  },
};

export const invoicePdfCommand: CliCommand = {
  name: 'invoice-pdf',
  summary: 'Write an invoice as PDF (a reprint)',
  usage: 'invoice-pdf INVOICE_NUMBER --out FILE.pdf [--force]',
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, force: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one invoice number');
    const outOptions = { force: values.force ?? false, suggestedName: `invoice-${positionals[0]!}.pdf` };
    const file = requireOut(values.out, outOptions);
    const doc = await (await core(ctx)).documents.build({ kind: 'invoice', invoiceNumber: positionals[0]! });
    writePdf(file, doc, outOptions);
    ctx.out(`Wrote ${doc.title} (${doc.pageCount} page${doc.pageCount === 1 ? '' : 's'}) to ${file}.`);
    return 0;
  },
};
