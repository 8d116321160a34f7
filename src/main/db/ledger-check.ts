import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { migrations } from './migrations';

/**
 * Is this file an AR Desk ledger, and is it sound? Everything here reads the file through its own
 * read-only connection and never writes to it, so a file refused or found damaged is left exactly
 * as it was.
 */

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const FIRST_MIGRATION = Object.keys(migrations).sort()[0]!;
/** How many problems the checks list before they stop looking. */
export const QUICK_CHECK_MAX_ERRORS = 10;
export const INTEGRITY_CHECK_MAX_ERRORS = 100;

export type LedgerFile =
  /** No file: a new ledger is created. */
  | { kind: 'missing' }
  /** An SQLite database with nothing in it (a first start that stopped before its schema): migrated as new. */
  | { kind: 'blank' }
  | { kind: 'ledger'; applied: string[] };

function refuse(file: string, reason: string, what: string, todo: string): AppError {
  return new AppError('UNAVAILABLE', `${what} AR Desk did not open it and left it exactly as it is. ${todo}`, { file, reason });
}

const RESTORE = 'Restore the ledger from your latest backup, or choose the right ledger file; a new ledger is only ever created where no file exists.';

/** Opens `file` read-only; removes the empty -wal/-shm files a read-only reader may leave behind. */
export function withReadOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
    removeEmpty(sidecars);
  }
}

/** withReadOnly for a reader that awaits (a backup, Kysely queries). */
export async function withReadOnlyAsync<T>(file: string, read: (db: Database.Database) => Promise<T>): Promise<T> {
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return await read(db);
  } finally {
    db.close();
    removeEmpty(sidecars);
  }
}

function removeEmpty(files: string[]): void {
  for (const f of files) {
    if (fs.existsSync(f) && fs.statSync(f).size === 0) fs.rmSync(f);
  }
}

/**
 * What is at `file`, refusing what is not an AR Desk ledger: an empty (0-byte) file, a file that is
 * not an SQLite database, a database of another program, a folder, a file SQLite cannot read.
 */
export function inspectLedgerFile(file: string): LedgerFile {
  if (file === ':memory:' || !fs.existsSync(file)) return { kind: 'missing' };
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw refuse(file, 'folder', `${file} is a folder, not a ledger file.`, 'Give the path of the ledger file itself (ledger.db).');
  if (stat.size === 0) {
    throw refuse(file, 'empty', `The ledger file ${file} is empty (0 bytes): it is not an AR Desk ledger, perhaps a copy or a download that did not finish.`, RESTORE);
  }
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw refuse(file, 'not-sqlite', `${file} is not an AR Desk ledger: it is not a database file at all.`, RESTORE);
  }
  let tables: string[];
  let applied: string[] = [];
  try {
    ({ tables, applied } = withReadOnly(file, (db) => {
      const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
      const done = names.includes('kysely_migration')
        ? (db.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[])
        : [];
      return { tables: names, applied: done };
    }));
  } catch (e) {
    throw refuse(file, 'unreadable', `${file} cannot be read as an AR Desk ledger (${(e as Error).message}): it may be damaged.`, RESTORE);
  }
  if (tables.length === 0) return { kind: 'blank' };
  if (!applied.includes(FIRST_MIGRATION)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, and ${tables.length - 5} more` : '');
    throw refuse(file, 'not-ar-desk', `${file} is a database, but not an AR Desk ledger (it holds ${shown}).`, RESTORE);
  }
  return { kind: 'ledger', applied };
}

export type LedgerVerdict = { ok: true } | { ok: false; problems: string[] };

function verdictOf(lines: readonly string[]): LedgerVerdict {
  const problems = lines.filter((l) => l !== 'ok').map((l) => l.replace(/^\*\*\* in database \w+ \*\*\*\n/, ''));
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function damaged(e: unknown): LedgerVerdict {
  return { ok: false, problems: [`the file cannot be read: ${(e as Error).message}`] };
}

/** PRAGMA quick_check on the calling thread: every page of every table and index, not index contents. */
export function quickCheckNow(file: string): LedgerVerdict {
  try {
    return withReadOnly(file, (db) => verdictOf((db.pragma(`quick_check(${QUICK_CHECK_MAX_ERRORS})`) as unknown[]).map(firstValue)));
  } catch (e) {
    return damaged(e);
  }
}

/** PRAGMA integrity_check: quick_check's work plus every index against its table. Slower; for the CLI. */
export function integrityCheckNow(file: string, maxErrors = INTEGRITY_CHECK_MAX_ERRORS): LedgerVerdict {
  try {
    return withReadOnly(file, (db) => verdictOf((db.pragma(`integrity_check(${maxErrors})`) as unknown[]).map(firstValue)));
  } catch (e) {
    return damaged(e);
  }
}

function firstValue(row: unknown): string {
  return String(Object.values(row as Record<string, unknown>)[0]);
}

export interface LedgerHealth {
  /** Settles when the start-up check has read the whole file. */
  readonly verdict: Promise<LedgerVerdict>;
  /** The verdict once known; null while the check still runs. */
  known(): LedgerVerdict | null;
  /** Stops a check still running (the ledger is closing). */
  stop(): void;
}

export function knownHealth(verdict: LedgerVerdict): LedgerHealth {
  return { verdict: Promise.resolve(verdict), known: () => verdict, stop: () => {} };
}

// The worker is plain CommonJS handed over as text, so it needs no build step of its own.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let Database = null;
try { Database = require(workerData.module); } catch (e) { parentPort.postMessage({ unavailable: String(e && e.message) }); }
if (Database) {
  let db = null;
  try {
    db = new Database(workerData.file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check(' + workerData.maxErrors + ')');
    parentPort.postMessage({ lines: rows.map((r) => String(Object.values(r)[0])) });
  } catch (e) {
    parentPort.postMessage({ failed: String(e && e.message) });
  } finally {
    if (db) db.close();
  }
}
`;

export function sqliteModulePath(): string {
  // In the packaged app better-sqlite3 is unpacked beside the archive (electron-builder asarUnpack).
  return createRequire(import.meta.url)
    .resolve('better-sqlite3')
    .replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/**
 * The start-up check: PRAGMA quick_check(N) on its own read-only connection in a worker thread, so
 * neither start nor the clerk's reads wait for it however big the file is (about 2 s a gigabyte);
 * only posting money waits for its verdict (see refuseOnDamagedLedger). Where no worker can start,
 * the check runs on this thread at the first chance.
 */
export function startQuickCheck(file: string): LedgerHealth {
  if (file === ':memory:') return knownHealth({ ok: true });
  let result: LedgerVerdict | null = null;
  let resolve: (v: LedgerVerdict) => void = () => {};
  const verdict = new Promise<LedgerVerdict>((r) => (resolve = r));
  const settle = (v: LedgerVerdict) => {
    if (result) return;
    result = v;
    resolve(v);
  };
  let stopped = false;
  let fallback = false;
  const inThisThread = () => {
    if (fallback || stopped || result) return;
    fallback = true;
    setImmediate(() => {
      if (!stopped) settle(quickCheckNow(file));
    });
  };
  let worker: Worker | null = null;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: sqliteModulePath(), file, maxErrors: QUICK_CHECK_MAX_ERRORS },
    });
    // A CLI command or a test ends without waiting for the check.
    worker.unref();
    worker.on('message', (m: { lines?: string[]; failed?: string; unavailable?: string }) => {
      if (m.lines) settle(verdictOf(m.lines));
      else if (m.failed !== undefined) settle(damaged(new Error(m.failed)));
      else inThisThread();
    });
    worker.on('error', inThisThread);
    worker.on('exit', inThisThread);
  } catch {
    inThisThread();
  }
  return {
    verdict,
    known: () => result,
    stop: () => {
      stopped = true;
      if (worker && !result) void worker.terminate();
      settle({ ok: false, problems: ['the ledger was closed before its check finished'] });
    },
  };
}

/**
 * Refuses to post money on a ledger the start-up check found damaged, before anything is charged;
 * waits for the check when it is still running.
 */
export async function refuseOnDamagedLedger(ledger: { path: string; health: LedgerHealth }): Promise<void> {
  const verdict = await ledger.health.verdict;
  if (verdict.ok) return;
  const more = verdict.problems.length > 1 ? ` and ${verdict.problems.length - 1} more problem(s)` : '';
  throw new AppError(
    'UNAVAILABLE',
    `The ledger file is damaged, so AR Desk takes no payment on it: nothing was charged. Restore the ledger ` +
      `from your latest backup, then take the payment again. (The start-up check of ${ledger.path} found: ` +
      `${verdict.problems[0]}${more}; "npm run cli -- check" lists them all.)`,
    { reason: 'ledger-damaged', problems: verdict.problems },
  );
}
