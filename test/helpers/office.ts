import fs from 'node:fs';
import path from 'node:path';
import type { NodeRuntimeOptions } from '../../src/main/runtime';
import { fixedClock } from '../../src/main/clock';
import { createTestDatabase, testEngine, type TestDatabase } from './engine';
import { openTestRuntime, tempDir, type TestRuntime } from './runtime';

/**
 * Several workstations on one ledger, as in an office: on PostgreSQL one test database that every
 * workstation connects to, on SQLite one ledger file. Each workstation has its own id and its own
 * folder (its settings); all share one frozen clock, so a test moves time for the whole office.
 */
export interface TestOffice {
  clock: ReturnType<typeof fixedClock>;
  /** The office's own folder (the SQLite ledger, a shared test gateway's file). */
  dir: string;
  /** One runtime per workstation, in the order the ids were given. */
  workstations: TestRuntime[];
  dispose(): Promise<void>;
}

export async function openTestOffice(
  ids: readonly string[],
  options: { clock?: ReturnType<typeof fixedClock>; each?: (id: string) => Partial<NodeRuntimeOptions> } = {},
): Promise<TestOffice> {
  const dir = tempDir('ar-desk-office-');
  const clock = options.clock ?? fixedClock('2026-11-20T15:00:00Z');
  const database: TestDatabase | undefined = testEngine === 'postgres' ? await createTestDatabase() : undefined;
  const workstations: TestRuntime[] = [];
  const dispose = async () => {
    for (const rt of workstations.splice(0)) await rt.dispose();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const id of ids) {
      const rt = await openTestRuntime({
        ...(database ? { databaseUrl: database.url } : { ledgerPath: path.join(dir, 'ledger.db') }),
        clock,
        workstation: id,
        ...options.each?.(id),
      });
      workstations.push(rt);
    }
  } catch (e) {
    await dispose();
    throw e;
  }
  return { clock, dir, workstations, dispose };
}
