import crypto from 'node:crypto';
import { test } from '@playwright/test';
import pg from 'pg';
import { adminDatabaseUrl, databaseUrlFor } from '../helpers/engine';

/**
 * Which engine an end-to-end test's ledger is on: its Playwright project's (playwright.config.ts,
 * `metadata.engine`), else AR_DESK_E2E_ENGINE, else SQLite. On PostgreSQL every app a spec starts
 * without a ledger of its own gets a fresh database on the test cluster (AR_DESK_TEST_DATABASE_URL).
 */
export type E2eEngine = 'sqlite' | 'postgres';

export function e2eEngine(): E2eEngine {
  let fromProject: unknown;
  try {
    fromProject = test.info().project.metadata?.engine;
  } catch {
    // Outside a test or hook: the environment decides.
  }
  return (fromProject ?? process.env.AR_DESK_E2E_ENGINE) === 'postgres' ? 'postgres' : 'sqlite';
}

export interface E2eDatabase {
  name: string;
  url: string;
  /** Drops it, whoever is still connected. */
  drop(): Promise<void>;
}

async function onCluster(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** An empty database of its own on the test cluster, which the app migrates when it opens it. */
export async function createE2eDatabase(prefix = 't_e2e'): Promise<E2eDatabase> {
  const adminUrl = adminDatabaseUrl();
  if (!adminUrl) {
    throw new Error('The postgres end-to-end project needs the test cluster: set AR_DESK_TEST_DATABASE_URL (scripts/pg-test-server.sh start)');
  }
  const name = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
  await onCluster(adminUrl, `CREATE DATABASE ${name}`);
  return { name, url: databaseUrlFor(adminUrl, name), drop: () => onCluster(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
