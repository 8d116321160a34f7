import { endImportAnnouncement } from './removals';
import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import type { Db } from './types';

/**
 * When the ledger cannot write for a reason outside the data: the disk is full, the disk fails,
 * or another process holds SQLite's write lock longer than the busy timeout.
 */
export type LedgerWriteFailure = 'full' | 'io' | 'busy';

/** PostgreSQL's SQLSTATEs (and node's socket errors) for the same three failures. */
const POSTGRES_FAILURES: Record<string, LedgerWriteFailure> = {
  '53100': 'full', // disk_full
  '53200': 'full', // out_of_memory
  '58030': 'io', // io_error
  '57P01': 'io', // the server was shut down under the connection
  '57P02': 'io',
  '57P03': 'io', // cannot connect now (starting up, shutting down)
  '08000': 'io',
  '08003': 'io',
  '08006': 'io', // connection failure
  ECONNRESET: 'io',
  ECONNREFUSED: 'io',
  EPIPE: 'io',
  '55P03': 'busy', // lock_not_available
};

/**
 * The kind of write failure an error from the ledger is (better-sqlite3's `code`, extended codes
 * included, or PostgreSQL's SQLSTATE), or null.
 */
export function ledgerWriteFailure(e: unknown): LedgerWriteFailure | null {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  const postgres = POSTGRES_FAILURES[code];
  if (postgres) return postgres;
  if (code === 'SQLITE_FULL') return 'full';
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return 'io';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'busy';
  return null;
}

// ---------------------------------------------------------------------------------------------
// A long write (an import) says so, so that a writer refused meanwhile can tell the clerk why and
// for how long. It is announced in `counters` just before the long write takes the write lock,
// committed on its own: WAL readers are never blocked, so the refused writer can read it.

const IMPORT_UNTIL = 'busy.import.until_ms';

/** Announces an import that expects to hold the write lock until `untilMs` (epoch milliseconds). */
export async function announceImport(db: Db, untilMs: number): Promise<void> {
  await sql`INSERT INTO counters (name, value) VALUES (${IMPORT_UNTIL}, ${Math.ceil(untilMs)})
            ON CONFLICT (name) DO UPDATE SET value = excluded.value`.execute(db);
}

/** Ends the announcement, inside the import's own transaction (or after it failed; db/removals.ts). */
export async function importDone(db: Db): Promise<void> {
  await endImportAnnouncement(db, IMPORT_UNTIL);
}

/** Whole seconds until the announced import expects to be done (at least 1), or null when none is under way. */
export async function importSecondsLeft(db: Db, nowMs = Date.now()): Promise<number | null> {
  const r = await sql<{ value: number }>`SELECT value FROM counters WHERE name = ${IMPORT_UNTIL}`.execute(db);
  const until = r.rows[0]?.value;
  // An announcement long past its time was left by an import that died: nothing is under way.
  if (until === undefined || until < nowMs - 60_000) return null;
  return Math.max(1, Math.ceil((until - nowMs) / 1000));
}

/** "the ledger is busy importing; try again in 4 seconds", or the same without the import when none is announced. */
export async function busyLedgerWords(db: Db): Promise<{ text: string; importing: boolean; retryAfterSeconds: number }> {
  const seconds = await importSecondsLeft(db).catch(() => null);
  if (seconds === null) {
    return { text: 'the ledger is busy (another program is writing to it); try again in a few seconds', importing: false, retryAfterSeconds: 5 };
  }
  return { text: `the ledger is busy importing; try again in ${seconds} second${seconds === 1 ? '' : 's'}`, importing: true, retryAfterSeconds: seconds };
}

/**
 * The BUSY error for a write refused because another process held the ledger too long, or null
 * when `e` is another error. Said before anything was charged or changed.
 */
export async function busyLedgerError(db: Db, e: unknown): Promise<AppError | null> {
  if (ledgerWriteFailure(e) !== 'busy') return null;
  const words = await busyLedgerWords(db);
  const text = `${words.text.charAt(0).toUpperCase()}${words.text.slice(1)}. Nothing was charged or changed.`;
  return new AppError('BUSY', text, { reason: 'ledger-busy', importing: words.importing, retryAfterSeconds: words.retryAfterSeconds });
}
