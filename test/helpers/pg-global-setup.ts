import crypto from 'node:crypto';
import pg from 'pg';
import { openPostgresLedger } from '../../src/main/db/connection';
import { adminDatabaseUrl, databaseUrlFor, runPrefix } from './engine';

/**
 * Once per run of the `postgres` project: a template database with every migration applied,
 * which each test copies (CREATE DATABASE … TEMPLATE) instead of migrating its own. Its name is
 * this run's own, handed to the test processes through the environment; the clean-up drops the
 * template and the databases this run's tests left behind, and nothing of another run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = adminDatabaseUrl();
  if (!url) throw new Error('The postgres test project needs AR_DESK_TEST_DATABASE_URL (scripts/pg-test-server.sh start)');
  const template = `ar_desk_tpl_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  process.env.AR_DESK_TEST_PG_TEMPLATE = template;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE DATABASE ${template}`);
  const ledger = await openPostgresLedger(databaseUrlFor(url, template));
  await ledger.close();
  return async () => {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    const left = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [runPrefix(template)]);
    for (const r of left.rows) await client.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await client.end();
  };
}
