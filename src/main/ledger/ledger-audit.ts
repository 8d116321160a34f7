import fs from 'node:fs';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { AppError } from '../../shared/errors';
import { assertNotNewer, openPostgresLedger } from '../db/connection';
import { inspectLedgerFile, integrityCheckNow, withReadOnlyAsync, INTEGRITY_CHECK_MAX_ERRORS } from '../db/ledger-check';
import type { DB } from '../db/schema';
import { auditInvariants } from './invariants';

/**
 * The full check of a ledger, for `check` (the ledger in use) and `restore-check` (a backup): on
 * SQLite the file's integrity_check and foreign_key_check, then the ledger invariants; on
 * PostgreSQL the invariants, in a read-only transaction. Nothing is migrated or written: a
 * damaged file or a backup is left exactly as it was.
 */

export interface LedgerProblem {
  /** integrity_check, foreign_key_check, or the invariant's name (invoice.open_within_total, …). */
  check: string;
  message: string;
}

export interface LedgerCheckReport {
  ok: boolean;
  /** The file, or the server's address without its password. */
  ledger: string;
  /** The checks that ran; the invariants are left out of a file that integrity_check finds damaged. */
  checked: string[];
  problems: LedgerProblem[];
}

function report(ledger: string, checked: string[], problems: LedgerProblem[]): LedgerCheckReport {
  return { ok: problems.length === 0, ledger, checked, problems };
}

async function invariantProblems(db: Kysely<DB>): Promise<LedgerProblem[]> {
  try {
    return (await auditInvariants(db)).map((v) => ({ check: v.check, message: v.message }));
  } catch (e) {
    return [{ check: 'invariants', message: `the ledger invariants could not be checked: ${(e as Error).message}` }];
  }
}

/** Every check of an SQLite ledger file or backup, read-only. A file from a newer AR Desk is refused (SCHEMA_TOO_NEW). */
export async function checkLedgerFile(file: string, maxErrors = INTEGRITY_CHECK_MAX_ERRORS): Promise<LedgerCheckReport> {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `There is no ledger at ${file}.`, { file });
  // Refuses (with the reason) a file that is not an AR Desk ledger at all.
  const found = inspectLedgerFile(file);
  if (found.kind !== 'ledger') return report(file, [], [{ check: 'ledger', message: `${file} is an empty database: it holds no ledger.` }]);
  assertNotNewer(file);
  const integrity = integrityCheckNow(file, maxErrors);
  if (!integrity.ok) return report(file, ['integrity_check'], integrity.problems.map((message) => ({ check: 'integrity_check', message })));
  return withReadOnlyAsync(file, async (sqlite) => {
    const problems: LedgerProblem[] = [];
    const orphans = sqlite.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
    for (const o of orphans.slice(0, maxErrors)) {
      const row = o.rowid === null ? `a ${o.table} row` : `${o.table} row ${o.rowid}`;
      problems.push({ check: 'foreign_key_check', message: `${row} refers to a ${o.parent} row that does not exist` });
    }
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    problems.push(...(await invariantProblems(db)));
    return report(file, ['integrity_check', 'foreign_key_check', 'invariants'], problems);
  });
}

/** The invariants of the office ledger, in a read-only transaction; a ledger with pending or newer migrations is refused. */
export async function checkOfficeLedger(databaseUrl: string): Promise<LedgerCheckReport> {
  const ledger = await openPostgresLedger(databaseUrl, { migrate: false, pool: { max: 1, applicationName: 'ar-desk-check' } });
  try {
    const problems = await ledger.db.transaction().execute(async (trx) => {
      await sql`SET TRANSACTION READ ONLY`.execute(trx);
      return invariantProblems(trx);
    });
    return report(ledger.path, ['invariants'], problems);
  } finally {
    await ledger.close();
  }
}
