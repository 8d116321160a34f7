import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { AppError } from '../../shared/errors';
import type { DB } from './schema';

/**
 * The office ledger on a PostgreSQL server: the connection pool, the type parsers that keep the
 * values what the SQLite ledger hands back, and the plain-words messages for a server that cannot
 * be used. Migrations and the Ledger wrapper are in connection.ts, as for SQLite.
 */

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** An int8 or an integral numeric (a sum of bigint) as a JS number, refused when it is not a safe integer. */
export function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new AppError('INTERNAL', `The ledger returned ${text}, which is not a whole number JavaScript can hold exactly.`, { value: text });
  }
  return n;
}

/** Money and counts stay integer numbers, dates and times stay the text they were written as: no JS Date crosses. */
export const ledgerTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    if (oid === INT8 || oid === NUMERIC) return parseSafeInteger;
    if (oid === DATE || oid === TIMESTAMP || oid === TIMESTAMPTZ) return (text: string) => text;
    return pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** What a log line or a screen may show of the URL: never the password. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable address)';
  }
}

export interface PostgresTarget {
  url: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Reads `postgres://USER[:PASSWORD]@HOST:PORT/DB`; anything else is refused before a connection is tried. */
export function parseDatabaseUrl(url: string): PostgresTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('VALIDATION', 'The database address is not a URL. Write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE.', {
      field: 'databaseUrl',
    });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new AppError('VALIDATION', `The database address must start with postgres:// (it starts with ${u.protocol}//).`, { field: 'databaseUrl' });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database || !u.username) {
    throw new AppError('VALIDATION', 'The database address needs a user, a host and a database: postgres://USER:PASSWORD@HOST:PORT/DATABASE.', {
      field: 'databaseUrl',
    });
  }
  return { url, host: u.hostname, port: Number(u.port || 5432), database, user: decodeURIComponent(u.username) };
}

/** A server that cannot be used, in words the office's IT person can act on. */
export function describeConnectError(e: unknown, target: PostgresTarget): AppError {
  if (e instanceof AppError) return e;
  const err = e as { code?: string; message?: string };
  const where = `${target.host}:${target.port}`;
  const details = { host: target.host, port: target.port, database: target.database, user: target.user, cause: err.code ?? err.message };
  // The pg client's own words when the server asks for a password and none was given.
  if (!err.code && /client password must be a string/.test(err.message ?? '')) {
    return new AppError(
      'UNAVAILABLE',
      `The database server at ${where} asks for the password of the user "${target.user}", and none was given: put it in the address, or in the PGPASSWORD variable. Nothing was changed.`,
      { ...details, reason: 'authentication' },
    );
  }
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return new AppError(
        'UNAVAILABLE',
        `AR Desk cannot reach the office's database server at ${where} (${err.code}). Check that the server is running and that this workstation can reach it. Nothing was changed.`,
        { ...details, reason: 'unreachable' },
      );
    case '28P01':
    case '28000':
      return new AppError(
        'UNAVAILABLE',
        `The database server at ${where} refused the user "${target.user}": the password or the user is wrong. Nothing was changed.`,
        { ...details, reason: 'authentication' },
      );
    case '3D000':
      return new AppError(
        'UNAVAILABLE',
        `The database "${target.database}" does not exist on ${where}. Ask the office's IT person to create it (see the README's office set-up). Nothing was changed.`,
        { ...details, reason: 'no-database' },
      );
    case '42501':
      return new AppError(
        'UNAVAILABLE',
        `The user "${target.user}" lacks a right AR Desk needs on the database "${target.database}" (${err.message}). Ask the office's IT person to run "server prepare" and "migrate" as the database owner. Nothing was changed.`,
        { ...details, reason: 'permission' },
      );
    default:
      return new AppError(
        'UNAVAILABLE',
        `The database server at ${where} could not be used: ${err.message ?? String(e)}. Nothing was changed.`,
        { ...details, reason: 'server' },
      );
  }
}

export interface PostgresPoolOptions {
  /** Connections held by this process (each workstation has its own pool). */
  max?: number;
  applicationName?: string;
}

export function createPool(target: PostgresTarget, options: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.max ?? 8,
    types: ledgerTypes,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'ar-desk',
    // The ledger's queries are short and planned in microseconds; JIT compilation added 0.6-1 s to
    // the aging report at 50,000 customers without making any query faster, so it is off for our sessions.
    options: '-c jit=off',
  });
  // An idle connection the server drops (a restart, a network cut) must not crash the process;
  // the next query gets a fresh one.
  pool.on('error', () => undefined);
  return pool;
}

/** Connects once to check the server, the user and the database before anything else is done. */
export async function openPostgresKysely(target: PostgresTarget, options: PostgresPoolOptions = {}): Promise<{ db: Kysely<DB>; pool: pg.Pool }> {
  const pool = createPool(target, options);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw describeConnectError(e, target);
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** The names of the migrations the server's ledger has applied, or none for an empty database. */
export async function appliedMigrationNames(db: Kysely<DB>): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(db);
  if (!exists.rows[0]?.t) return [];
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Whether the connected role owns the database: the owner alone migrates and prepares it, so every
 * table stays the owner's and the workstations' role keeps exactly the rights it was given.
 */
export async function ownsDatabase(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ owns: boolean }>`
    SELECT d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owns
    FROM pg_database d WHERE d.datname = current_database()`.execute(db);
  return r.rows[0]?.owns === true;
}
