import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../src/main/core';
import type { NodeRuntimeOptions } from '../../src/main/runtime';
import { fixedClock } from '../../src/main/clock';
import { memoryLogger } from '../../src/main/log';
import { memorySettingsStore } from '../../src/main/settings/settings.store';
import { memorySecretStore } from '../../src/main/documents/ports';
import { createTestDatabase, testEngine, type TestDatabase } from './engine';
import { openTestRuntime, tempDir, type TestRuntime } from './runtime';

/**
 * Several workstations on one ledger, as in an office, each with its own id, settings and services,
 * all on one frozen clock so a test moves time for the whole office.
 *
 * On PostgreSQL every workstation connects to one test database, as the office's workstations do.
 * On SQLite they share the one connection to the ledger file: two connections in one thread cannot
 * share the file, because a writer waiting for SQLite's lock blocks the very thread that would
 * release it (separate processes wait for each other as they should). One connection runs one
 * transaction at a time, which is SQLite's single writer, and everything above it (the services, their
 * in-process locks, the claims in the ledger) is each workstation's own.
 */
export interface TestOffice {
  clock: ReturnType<typeof fixedClock>;
  /** The office's own folder (the SQLite ledger). */
  dir: string;
  /** One runtime per workstation, in the order the ids were given. */
  workstations: TestRuntime[];
  dispose(): Promise<void>;
}

type WorkstationOptions = Partial<Pick<NodeRuntimeOptions, 'gateway' | 'mailer' | 'printer' | 'settings' | 'secrets'>>;

export async function openTestOffice(
  ids: readonly string[],
  options: { clock?: ReturnType<typeof fixedClock>; each?: (id: string) => WorkstationOptions } = {},
): Promise<TestOffice> {
  const dir = tempDir('ar-desk-office-');
  const clock = options.clock ?? fixedClock('2026-11-20T15:00:00Z');
  const database: TestDatabase | undefined = testEngine === 'postgres' ? await createTestDatabase() : undefined;
  const workstations: TestRuntime[] = [];
  const dispose = async () => {
    for (const rt of workstations.splice(0).reverse()) await rt.dispose();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const id of ids) {
      const own = options.each?.(id) ?? {};
      const first = workstations[0];
      if (database || !first) {
        workstations.push(
          await openTestRuntime({ ...(database ? { databaseUrl: database.url } : { ledgerPath: path.join(dir, 'ledger.db') }), clock, workstation: id, ...own }),
        );
        continue;
      }
      const log = memoryLogger();
      const core = createCore({
        ...first.core.deps,
        settings: memorySettingsStore(),
        secrets: memorySecretStore(),
        ...own,
        log,
        workstation: id,
      });
      await core.start();
      // The ledger is the first workstation's, closed with it.
      workstations.push({ ...first, core, log, close: async () => {}, dispose: async () => {} });
    }
  } catch (e) {
    await dispose();
    throw e;
  }
  return { clock, dir, workstations, dispose };
}
