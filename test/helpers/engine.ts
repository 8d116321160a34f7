import crypto from 'node:crypto';
import pg from 'pg';

/**
 * Which engine the integration suite runs on: vitest.config.ts runs it twice, once per engine
 * (the `sqlite` and `postgres` projects), from the same test files.
 */
export type TestEngine = 'sqlite' | 'postgres';

export const testEngine: TestEngine = process.env.AR_DESK_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The throwaway cluster's administrative URL (scripts/pg-test-server.sh), when there is one. */
export function adminDatabaseUrl(): string | undefined {
  return process.env.AR_DESK_TEST_DATABASE_URL || undefined;
}

export function databaseUrlFor(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The migrated template every test's database is copied from, made once per run by
 * pg-global-setup.ts under a name of its own (several runs may share one cluster), which the
 * forked test processes inherit through the environment. Test databases are named after it so a
 * run's clean-up drops its own and no other run's.
 */
export function templateDatabase(): string {
  const name = process.env.AR_DESK_TEST_PG_TEMPLATE;
  if (!name) throw new Error('No template database: the postgres test project makes one in its global setup (test/helpers/pg-global-setup.ts)');
  return name;
}

export function runPrefix(template: string): string {
  return `t_${template.replace(/^ar_desk_tpl_/, '')}_`;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = adminDatabaseUrl();
  if (!url) throw new Error('AR_DESK_TEST_DATABASE_URL is not set: start the test cluster with scripts/pg-test-server.sh');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test: a copy of the migrated template, or empty when `empty` is set. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = templateDatabase();
  const name = `${runPrefix(template)}${crypto.randomBytes(5).toString('hex')}`;
  await admin(async (c) => {
    // Two copies of one template at the same moment are refused ("being accessed by other users"): retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (e) {
        if (attempt > 50 || !/being accessed by other users/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  });
  const url = databaseUrlFor(adminDatabaseUrl()!, name);
  return {
    name,
    url,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
