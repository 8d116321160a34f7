import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { inspectLedgerFile, integrityCheckNow, withReadOnlyAsync, type LedgerVerdict } from './ledger-check';
import { parseDatabaseUrl } from './postgres';

/**
 * Backups. The SQLite ledger is copied with SQLite's online backup API while AR Desk may be using
 * it (a consistent snapshot, never a half-written file), as one self-contained file, and the copy
 * is checked. The office ledger on PostgreSQL is backed up with the server's own pg_dump; AR Desk
 * only says how.
 */

export interface BackupResult {
  file: string;
  bytes: number;
  verdict: LedgerVerdict;
}

/** Copies the ledger `ledgerFile` to `out`, which must not exist yet; the copy is kept only if its integrity_check passes. */
export async function backupLedgerFile(ledgerFile: string, out: string): Promise<BackupResult> {
  if (!fs.existsSync(ledgerFile)) throw new AppError('NOT_FOUND', `There is no ledger at ${ledgerFile}.`, { file: ledgerFile });
  if (inspectLedgerFile(ledgerFile).kind !== 'ledger') throw new AppError('VALIDATION', `${ledgerFile} holds no ledger yet: there is nothing to back up.`);
  const target = path.resolve(out);
  const found = fs.lstatSync(target, { throwIfNoEntry: false });
  if (found?.isDirectory()) throw new AppError('VALIDATION', `${target} is a folder: give the backup's file name. Nothing was written.`, { file: target });
  if (found) {
    throw new AppError('CONFLICT', `${target} already exists, and a backup never overwrites a file: give a new name. Nothing was written.`, { file: target });
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside its final name and linked there only when complete and sound.
  const partial = `${target}.partial-${crypto.randomBytes(4).toString('hex')}`;
  try {
    await withReadOnlyAsync(ledgerFile, (source) => source.backup(partial).then(() => undefined));
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // One file, with no write-ahead log beside it: a backup is copied and carried alone.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const verdict = integrityCheckNow(partial);
    if (!verdict.ok) return { file: target, bytes: 0, verdict };
    try {
      fs.linkSync(partial, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('CONFLICT', `${target} appeared while the backup was made, and a backup never overwrites a file: give a new name.`, { file: target });
      }
      // A file system without hard links: rename, after one more look.
      if (fs.existsSync(target)) throw e;
      fs.renameSync(partial, target);
    }
    return { file: target, bytes: fs.statSync(target).size, verdict };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(`${partial}-journal`, { force: true });
  }
}

/** A POSIX shell word: the text in single quotes. */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** How to back up the office ledger at `databaseUrl` into `out` with pg_dump, and restore it; the password is never shown. */
export function pgDumpAdvice(databaseUrl: string, out: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  const u = new URL(databaseUrl);
  u.password = '';
  const bare = u.toString();
  const scratch = new URL(bare);
  scratch.pathname = `/${target.database}_restored`;
  return [
    'The office ledger is on PostgreSQL: it is backed up with PostgreSQL\'s pg_dump (custom format), on the server or any machine with the PostgreSQL client tools:',
    '',
    `  pg_dump --format=custom --file=${shellWord(out)} ${shellWord(bare)}`,
    '',
    `Give the password of "${target.user}" (the database owner's, or any role that may read every table) through the PGPASSWORD variable or a ~/.pgpass file, never on the command line.`,
    `To try a backup, restore it into a new, empty database and check it there. The new database is made by the server's superuser (the owner cannot create databases), owned by "${target.user}":`,
    '',
    `  sudo -u postgres createdb --owner=${shellWord(target.user)} ${shellWord(`${target.database}_restored`)}`,
    `  pg_restore --exit-on-error --dbname=${shellWord(scratch.toString())} ${shellWord(out)}`,
    `  npm run cli -- check --database-url ${shellWord(scratch.toString())}`,
    '',
    'AR Desk wrote nothing.',
  ].join('\n');
}
