import pg from 'pg';
import { AppError } from '../../shared/errors';
import { migrationsFor } from './migrations';
import { describeConnectError, parseDatabaseUrl, redactDatabaseUrl } from './postgres';

/** What a look at an office ledger found: how many of this AR Desk's schema changes it has (0: an empty database). */
export interface LedgerProbe {
  schemaVersion: number;
  latestVersion: number;
}

/**
 * Tries an office ledger's address before it is saved: one connection, with a short timeout, that
 * reads which schema changes the ledger has and writes nothing. A server that cannot be reached, a
 * refused password, a missing database or a ledger from a newer AR Desk is told in plain words.
 */
export async function probePostgresLedger(url: string, timeoutMs = 5_000): Promise<LedgerProbe> {
  const target = parseDatabaseUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'ar-desk-check',
  });
  // A connection the server drops while this waits must not crash the process: the query fails instead.
  client.on('error', () => undefined);
  let applied: string[];
  try {
    await client.connect();
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('kysely_migration')::text AS t`);
    applied = table.rows[0]?.t ? (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name) : [];
  } catch (e) {
    throw describeConnectError(e, target);
  } finally {
    await client.end().catch(() => undefined);
  }
  const known = migrationsFor('postgres');
  const latestVersion = Object.keys(known).length;
  const unknown = applied.filter((name) => !known[name]);
  if (unknown.length > 0) {
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `The ledger at ${redactDatabaseUrl(url)} was written by a newer version of AR Desk (schema ${applied.length}); this version knows ` +
        `schema ${latestVersion}. Install the newer AR Desk on this workstation first. Nothing was changed.`,
      { applied: applied.length, known: latestVersion, unknown },
    );
  }
  return { schemaVersion: applied.length, latestVersion };
}
