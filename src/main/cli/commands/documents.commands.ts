import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { isIsoDate } from '../../../shared/dates';
import { formatMoney } from '../../documents/format.rules';
import { paymentIdByConfirmationNumber } from '../../documents/documents.repo';
import type { BuiltDocument } from '../../documents/render';
import { loadFonts } from '../../documents/fonts';
import { STATEMENT_FILE_PATTERN, STATEMENTS_PER_FILE, writeStatementBatch, type StatementBatchProgress } from '../../documents/statement.batch';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';
import { checkOutFile, OutFileError, writeOutFile, type OutFileOptions } from '../out-file';

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

/** --out-dir: the folder for the series of files; made if missing, and an earlier series in it is replaced only with --force. */
function statementsFolder(dir: string, force: boolean): string {
  const folder = path.resolve(dir);
  const stat = fs.lstatSync(folder, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) throw new OutFileError(`${folder} is a symbolic link; AR Desk does not write through links.`);
  if (stat && !stat.isDirectory()) throw new OutFileError(`${folder} is not a folder; give a folder for --out-dir.`);
  if (!stat) fs.mkdirSync(folder, { recursive: true });
  const earlier = fs.readdirSync(folder).filter((n) => STATEMENT_FILE_PATTERN.test(n));
  if (earlier.length > 0 && !force) throw new OutFileError(`${folder} already holds ${earlier[0]}; add --force to replace that series of statements.`);
  for (const n of earlier) fs.rmSync(path.join(folder, n));
  return folder;
}

const count = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

export const statementsCommand: CliCommand = {
  name: 'statements',
  summary: 'Write the statement of every customer with a balance: one PDF, or a series of PDF files in a folder',
  usage: 'statements --as-of YYYY-MM-DD [--past-due-only] (--out FILE.pdf | --out-dir FOLDER [--per-file N]) [--force]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, {
      'as-of': { type: 'string' },
      'past-due-only': { type: 'boolean' },
      out: { type: 'string' },
      'out-dir': { type: 'string' },
      'per-file': { type: 'string' },
      force: { type: 'boolean' },
    });
    const asOf = values['as-of'];
    if (!asOf || !isIsoDate(asOf)) throw new UsageError('--as-of YYYY-MM-DD is required (a calendar date)');
    const pastDueOnly = values['past-due-only'] ?? false;
    if (values['out-dir'] !== undefined) {
      if (values.out !== undefined) throw new UsageError('give --out FILE.pdf or --out-dir FOLDER, not both');
      const perFile = Number(values['per-file'] ?? STATEMENTS_PER_FILE);
      if (!/^[0-9]{1,5}$/.test(values['per-file'] ?? '1000') || perFile < 1 || perFile > STATEMENTS_PER_FILE) {
        throw new UsageError(`--per-file must be 1 to ${STATEMENTS_PER_FILE}`);
      }
      const folder = statementsFolder(values['out-dir'], values.force ?? false);
      const c = await core(ctx);
      const started = Date.now();
      let latest: StatementBatchProgress | null = null;
      // On a terminal, a line at least every 2 seconds (the batch lets the event loop run between statements).
      const ticker = process.stderr.isTTY
        ? setInterval(() => {
            if (!latest) return;
            const pct = latest.customers === 0 ? 100 : Math.floor((latest.customersRead * 100) / latest.customers);
            ctx.err(`statements: ${count(latest.statements, 'statement')} drawn, ${latest.customersRead.toLocaleString('en-US')} of ${count(latest.customers, 'customer')} read (${pct}%), ${count(latest.files, 'file')} written`);
          }, 1000)
        : null;
      try {
        const r = await writeStatementBatch(c.deps.ledger.db, c.deps.settings.get(), loadFonts(), {
          asOf,
          pastDueOnly,
          folder,
          perFile,
          onProgress: (p) => (latest = p),
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        ctx.out(
          `Wrote ${count(r.statements, 'statement')} (${count(r.pages, 'page')}) as of ${asOf} in ${count(r.files.length, 'file')} to ${folder} in ${seconds} s; ` +
            `balance due in all ${formatMoney(r.balanceDueCents, c.deps.settings.get().numberFormat)}.`,
        );
        for (const f of r.files) ctx.out(`  ${f.name}: ${count(f.statements, 'statement')}, ${count(f.pages, 'page')}, ${f.firstCustomer} to ${f.lastCustomer}`);
      } finally {
        if (ticker) clearInterval(ticker);
      }
      return 0;
    }
    const outOptions = { force: values.force ?? false, suggestedName: `statements-${asOf}.pdf` };
    const file = requireOut(values.out, outOptions);
    const c = await core(ctx);
    const doc = await c.documents.build({ kind: 'statements', asOf, pastDueOnly });
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
