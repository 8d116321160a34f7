import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNodeRuntime, type NodeRuntime, type NodeRuntimeOptions } from '../../src/main/runtime';
import { fixedClock } from '../../src/main/clock';
import { memoryLogger } from '../../src/main/log';
import { memorySettingsStore } from '../../src/main/settings/settings.store';
import { memorySecretStore } from '../../src/main/documents/ports';
import { createTestDatabase, testEngine, type TestDatabase } from './engine';

/**
 * On PostgreSQL, the database a test folder's ledger lives in: opening a runtime again on the same
 * `dir` (a restart) reopens the same database, as it would the same SQLite file. The newest one is
 * also AR_DESK_DATABASE_URL, so the CLI run by a test (`--db` in that folder) reaches the same ledger.
 */
const databases = new Map<string, TestDatabase>();

export interface TestRuntime extends NodeRuntime {
  dir: string;
  clock: ReturnType<typeof fixedClock>;
  log: ReturnType<typeof memoryLogger>;
  /** Closes and deletes the temporary folder. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'ar-desk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A real ledger, a frozen clock, in-memory settings and secrets, and a captured log. The ledger
 * is a SQLite file in a temporary folder, or, in the `postgres` test project, a fresh database
 * on the test cluster (dropped again by dispose). Pass `databaseUrl` to share one between runtimes.
 */
export async function openTestRuntime(
  options: Partial<NodeRuntimeOptions> & { now?: string; dir?: string } = {},
): Promise<TestRuntime> {
  const dir = options.dir ?? tempDir();
  const clock = fixedClock(options.now ?? '2026-11-20T15:00:00Z');
  const log = memoryLogger();
  let database: TestDatabase | undefined;
  if (testEngine === 'postgres' && options.databaseUrl === undefined && !options.ledgerPath) {
    database = databases.get(dir) ?? (await createTestDatabase());
    databases.set(dir, database);
    process.env.AR_DESK_DATABASE_URL = database.url;
  }
  const runtime = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
    ...(database ? { databaseUrl: database.url } : {}),
    clock,
    log,
    settings: memorySettingsStore(),
    secrets: memorySecretStore(),
    ...options,
  });
  return {
    ...runtime,
    dir,
    clock,
    log,
    dispose: async () => {
      await runtime.close();
      if (database) {
        databases.delete(dir);
        if (process.env.AR_DESK_DATABASE_URL === database.url) delete process.env.AR_DESK_DATABASE_URL;
        await database.drop();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
