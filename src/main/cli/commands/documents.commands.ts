import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { isIsoDate } from '../../../shared/dates';
import { formatMoney } from '../../documents/format.rules';
import { paymentIdByConfirmationNumber } from '../../documents/documents.repo';
import type { BuiltDocument } from '../../documents/render';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';

function requireOut(out: string | undefined): string {
  if (!out) throw new UsageError('--out FILE.pdf is required');
  return path.resolve(out);
}

function writePdf(file: string, doc: BuiltDocument): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, doc.bytes);
  fs.renameSync(tmp, file);
}

async function core(ctx: CliContext) {
  return (await ctx.runtime()).core;
}

export const statementsCommand: CliCommand = {
  name: 'statements',
  summary: 'Write one PDF with a statement for every customer with a balance',
  usage: 'statements --as-of YYYY-MM-DD [--past-due-only] --out FILE.pdf',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, {
      'as-of': { type: 'string' },
      'past-due-only': { type: 'boolean' },
      out: { type: 'string' },
    });
    const asOf = values['as-of'];
    if (!asOf || !isIsoDate(asOf)) throw new UsageError('--as-of YYYY-MM-DD is required (a calendar date)');
    const file = requireOut(values.out);
    const c = await core(ctx);
    const doc = await c.documents.build({ kind: 'statements', asOf, pastDueOnly: values['past-due-only'] ?? false });
    writePdf(file, doc);
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
  usage: 'confirmation CONFIRMATION_NUMBER --out FILE.pdf',
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one confirmation number');
    const number = positionals[0]!;
    const file = requireOut(values.out);
    const c = await core(ctx);
    const paymentId = await paymentIdByConfirmationNumber(c.deps.ledger.db, number);
    if (paymentId === undefined) throw new AppError('NOT_FOUND', `There is no payment with confirmation number ${number}.`);
    const doc = await c.documents.build({ kind: 'confirmation', paymentId });
    writePdf(file, doc);
    ctx.out(`Wrote ${doc.title} (${doc.pageCount} page${doc.pageCount === 1 ? '' : 's'}) to ${file}.`);
    return 0;
  },
};

export const invoicePdfCommand: CliCommand = {
  name: 'invoice-pdf',
  summary: 'Write an invoice as PDF (a reprint)',
  usage: 'invoice-pdf INVOICE_NUMBER --out FILE.pdf',
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one invoice number');
    const file = requireOut(values.out);
    const doc = await (await core(ctx)).documents.build({ kind: 'invoice', invoiceNumber: positionals[0]! });
    writePdf(file, doc);
    ctx.out(`Wrote ${doc.title} (${doc.pageCount} page${doc.pageCount === 1 ? '' : 's'}) to ${file}.`);
    return 0;
  },
};
