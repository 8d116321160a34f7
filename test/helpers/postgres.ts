import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

/**
 * The PostgreSQL server the tests may use: AR_DESK_TEST_DATABASE_URL (scripts/pg-test-server.sh
 * start prints it). Without it the tests that need PostgreSQL are skipped with PG_SKIP_REASON,
 * unless AR_DESK_REQUIRE_POSTGRES=1 makes its absence a failure. Each test works in its own
 * scratch database, created here and dropped after, never in the one the URL names.
 */
export const pgTestUrl = process.env.AR_DESK_TEST_DATABASE_URL || null;

export const PG_SKIP_REASON =
  'skipped: no PostgreSQL (AR_DESK_TEST_DATABASE_URL unset); run `eval "$(scripts/pg-test-server.sh start)"` first';

if (!pgTestUrl && process.env.AR_DESK_REQUIRE_POSTGRES === '1') {
  throw new Error('AR_DESK_REQUIRE_POSTGRES=1 but AR_DESK_TEST_DATABASE_URL is unset (scripts/pg-test-server.sh start did not run or failed).');
}

/** int8 as a JS number, refused when it is beyond the safe integers rather than rounded. */
function int8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 ${text} is beyond a safe JS number`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? int8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface ScratchDatabase {
  readonly name: string;
  readonly db: Kysely<unknown>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

let made = 0;

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgTestUrl! });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server, named `mig_<label>_<pid>_<n>`, with int8 read as numbers. */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  if (!pgTestUrl) throw new Error(PG_SKIP_REASON);
  const name = `mig_${label}_${process.pid}_${++made}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(pgTestUrl);
  url.pathname = `/${name}`;
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 4, types }) }) });
  return {
    name,
    db,
    drop: async () => {
      await db.destroy();
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
