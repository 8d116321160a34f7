import pg from 'pg';
import { openPostgresLedger } from '../../src/main/db/connection';
import { adminDatabaseUrl, databaseUrlFor, TEMPLATE_DATABASE } from './engine';

/**
 * Once per run of the `postgres` project: a template database with every migration applied,
 * which each test copies (CREATE DATABASE … TEMPLATE) instead of migrating its own.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = adminDatabaseUrl();
  if (!url) throw new Error('The postgres test project needs AR_DESK_TEST_DATABASE_URL (scripts/pg-test-server.sh start)');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const ledger = await openPostgresLedger(databaseUrlFor(url, TEMPLATE_DATABASE));
  await ledger.close();
  return async () => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    // Databases a crashed test left behind.
    const left = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'`);
    for (const r of left.rows) await client.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await client.end();
  };
}
