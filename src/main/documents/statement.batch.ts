import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppSettings } from '../../shared/settings';
import type { Db } from '../db/types';
import { collectGarbage } from '../memory';
import type { FontBytes } from './fonts';
import { customerIdsByNumber, statementsAsOf } from './statement.repo';
import { startStatementsPdf, type StatementsPdf } from './statement.pdf';

/**
 * Every statement of a date, written as a series of PDF files (statements-001.pdf, ...), each of
 * at most `perFile` statements, so an office's whole ledger never sits in memory at once: the
 * customers are read a round at a time (one pass over their open items per round), each statement
 * is drawn into the current file, and a full file is written to a temporary name in the folder and
 * renamed into place. A cancelled batch keeps the files it completed and leaves no partial one.
 */

export const STATEMENTS_PER_FILE = 1000;
/** Customers whose open items one query round reads. */
export const CUSTOMERS_PER_ROUND = 500;

export interface StatementBatchProgress {
  /** Customers looked at so far, of all the ledger's customers. */
  customersRead: number;
  customers: number;
  /** Statements drawn so far (in completed files or the one being drawn). */
  statements: number;
  /** Files completed. */
  files: number;
}

export interface StatementBatchFile {
  name: string;
  statements: number;
  pages: number;
  firstCustomer: string;
  lastCustomer: string;
}

export interface StatementBatchResult {
  asOf: string;
  pastDueOnly: boolean;
  folder: string;
  files: StatementBatchFile[];
  statements: number;
  pages: number;
  balanceDueCents: number;
  cancelled: boolean;
}

export interface StatementBatchOptions {
  asOf: string;
  pastDueOnly: boolean;
  /** An existing folder; the files are written into it. */
  folder: string;
  perFile?: number;
  round?: number;
  signal?: AbortSignal;
  onProgress?: (p: StatementBatchProgress) => void;
}

/** statements-001.pdf, statements-002.pdf, ... (four digits past 999 files). */
export function statementFileName(index: number): string {
  return `statements-${String(index).padStart(3, '0')}.pdf`;
}

export const STATEMENT_FILE_PATTERN = /^statements-\d{3,}\.pdf$/;

/** Writes the bytes under a temporary name in the same folder, then renames: the file is whole or absent. */
function writeWhole(folder: string, name: string, bytes: Uint8Array): void {
  const temp = path.join(folder, `.${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`);
  try {
    fs.writeFileSync(temp, bytes, { flag: 'wx' });
    fs.renameSync(temp, path.join(folder, name));
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Lets the event loop answer (progress, a cancel, other windows' calls) between statements. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeStatementBatch(db: Db, settings: AppSettings, fonts: FontBytes, options: StatementBatchOptions): Promise<StatementBatchResult> {
  const perFile = options.perFile ?? STATEMENTS_PER_FILE;
  const round = options.round ?? CUSTOMERS_PER_ROUND;
  const meta = { asOf: options.asOf, pastDueOnly: options.pastDueOnly };
  const result: StatementBatchResult = { ...meta, folder: options.folder, files: [], statements: 0, pages: 0, balanceDueCents: 0, cancelled: false };
  const ids = await customerIdsByNumber(db);
  const progress: StatementBatchProgress = { customersRead: 0, customers: ids.length, statements: 0, files: 0 };
  const report = () => options.onProgress?.({ ...progress });
  const aborted = () => options.signal?.aborted === true;

  let pdf: StatementsPdf | null = null;
  const finishFile = async (open: StatementsPdf) => {
    const rendered = await open.finish();
    // A cancel while the file was being finished: it is not written.
    if (aborted()) return;
    const name = statementFileName(result.files.length + 1);
    writeWhole(options.folder, name, rendered.bytes);
    result.files.push({
      name,
      statements: rendered.parts.length,
      pages: rendered.pageCount,
      firstCustomer: rendered.parts[0]!.customerNumber,
      lastCustomer: rendered.parts.at(-1)!.customerNumber,
    });
    result.statements += rendered.parts.length;
    result.pages += rendered.pageCount;
    result.balanceDueCents += rendered.parts.reduce((s, p) => s + p.balanceDueCents, 0);
    progress.files = result.files.length;
    // The finished document (its pages, fonts and strings) is garbage now: collect it before the
    // next file's drawing piles more on top (the batch's peak memory, not its speed, is the limit).
    void collectGarbage();
  };

  report();
  for (let start = 0; start < ids.length && !aborted(); start += round) {
    const within = ids.slice(start, start + round);
    const statements = await statementsAsOf(db, { ...meta, within });
    const position = new Map(within.map((id, i) => [id, start + i + 1]));
    for (const [i, s] of statements.entries()) {
      if (aborted()) break;
      pdf ??= await startStatementsPdf(meta, settings, fonts);
      pdf.add(s);
      progress.statements += 1;
      progress.customersRead = position.get(s.customer.id) ?? progress.customersRead;
      if (pdf.count >= perFile) {
        const full = pdf;
        pdf = null;
        await finishFile(full);
      }
      if (i % 8 === 7) {
        report();
        await breathe();
      }
    }
    progress.customersRead = Math.min(ids.length, start + within.length);
    report();
    await breathe();
  }
  if (pdf && !aborted()) await finishFile(pdf);
  result.cancelled = aborted();
  progress.statements = result.statements;
  report();
  return result;
}
