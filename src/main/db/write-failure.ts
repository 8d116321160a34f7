import type { Db } from './types';

/**
 * When the ledger cannot write for a reason outside the data: the disk is full, the disk fails,
 * or another process holds SQLite's write lock longer than the busy timeout.
 */
export type LedgerWriteFailure = 'full' | 'io' | 'busy';

/** The kind of write failure an error from SQLite is (better-sqlite3's `code`, extended codes included), or null. */
export function ledgerWriteFailure(e: unknown): LedgerWriteFailure | null {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return 'full';
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return 'io';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'busy';
  return null;
}

/** What to tell of a ledger another process holds. */
export async function busyLedgerWords(_db: Db): Promise<{ text: string; importing: boolean; retryAfterSeconds: number }> {
  return { text: 'the ledger is busy (another program is writing to it); try again in a few seconds', importing: false, retryAfterSeconds: 5 };
}
