/**
 * The benchmark's PostgreSQL side: the database named in --database-url is made from the seeded
 * SQLite ledger (seeded once by the demo seed, then copied table by table, see
 * src/main/demo/copy-to-postgres.ts), and dropped again at the end unless --reuse.
 *
 * The benchmark drops and re-creates the database it is given, so it takes only a database whose
 * name starts with bench_ (never an office's ledger). It connects to the server's `postgres`
 * database with the same user to create and drop it, so that user needs CREATEDB.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresLedger } from '../src/main/db/connection';
import { ledgerTypes, parseDatabaseUrl, redactDatabaseUrl } from '../src/main/db/postgres';
import { copyLedgerToPostgres, type CopySummary } from '../src/main/demo/copy-to-postgres';
import type { ServerCpuProbe } from './timing';

const BENCH_DATABASE = /^bench_[a-z0-9_]{1,50}$/;

export function benchDatabaseName(url: string): string {
  const { database } = parseDatabaseUrl(url);
  if (!BENCH_DATABASE.test(database)) {
    throw new Error(
      `--database-url names the database "${database}"; the benchmark drops and re-creates it, so it must be called bench_something ` +
        '(lower case letters, digits and _).',
    );
  }
  return database;
}

/** The same server and user, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(url: string): Promise<void> {
  const name = benchDatabaseName(url);
  await onServer(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = benchDatabaseName(url);
  await onServer(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function databaseExists(url: string): Promise<boolean> {
  const name = benchDatabaseName(url);
  return onServer(url, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

/** A plain client with the ledger's type parsers, for the hand-written query and the counts. */
export async function plainClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: ledgerTypes, application_name: 'ar-desk-bench' });
  await client.connect();
  return client;
}

/**
 * The PostgreSQL ledger with the same rows as the SQLite `source`: copied into a fresh database,
 * or, with `reuse`, the one left by an earlier run when it holds as many customers. Returns the
 * copy's figures, or null when an earlier copy was reused.
 */
export async function postgresLedgerFrom(source: Database.Database, url: string, reuse: boolean): Promise<CopySummary | null> {
  const customers = source.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  if (reuse && (await databaseExists(url))) {
    const client = await plainClient(url);
    try {
      const have = await client.query<{ n: number }>(`SELECT CASE WHEN to_regclass('customers') IS NULL THEN 0 ELSE (SELECT count(*) FROM customers) END AS n`);
      if (have.rows[0]?.n === customers) return null;
    } finally {
      await client.end();
    }
  }
  await recreateDatabase(url);
  const ledger = await openPostgresLedger(url);
  try {
    console.log(`Copying the ledger into ${redactDatabaseUrl(url)} ...`);
    return await copyLedgerToPostgres(source, ledger);
  } finally {
    await ledger.close();
  }
}

/** The server's version and the settings that bear on the figures, in one line. */
export async function describeServer(client: pg.Client): Promise<string> {
  const names = ['server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit'];
  const r = await client.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1) ORDER BY array_position($1, name)`,
    [names],
  );
  return r.rows.map((s) => `${s.name}=${s.setting}`).join(', ');
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** User + system CPU ms of a server process of `database` on this machine, or null when it is not one to be read. */
function backendCpuMs(pid: number, database: string, ticks: number): number | null {
  try {
    // The pid is the server's: a server elsewhere would have this number for some unrelated local process.
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.startsWith('postgres:') || !cmdline.includes(` ${database} `)) return null;
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  } catch {
    return null;
  }
}

/**
 * The CPU time the server's processes for this database spend, read from /proc: for a server on
 * this machine (Linux) whose processes this user may read; otherwise the probe gives null.
 */
export async function serverCpuProbe(url: string): Promise<{ probe: ServerCpuProbe; close(): Promise<void> }> {
  const client = await plainClient(url);
  const { database } = parseDatabaseUrl(url);
  const ticks = clockTicksPerSecond();
  const readAll = async (): Promise<Map<number, number> | null> => {
    const backends = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    const cpu = new Map<number, number>();
    for (const { pid } of backends.rows) {
      const ms = backendCpuMs(pid, database, ticks);
      if (ms === null) return null;
      cpu.set(pid, ms);
    }
    return cpu;
  };
  const probe: ServerCpuProbe = async () => {
    const before = await readAll();
    return async () => {
      const after = await readAll();
      if (before === null || after === null) return null;
      let spent = 0;
      // A connection opened in between counts from zero; one closed in between is lost (the pool keeps them for 30 s).
      for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
      return spent;
    };
  };
  return { probe, close: () => client.end() };
}
