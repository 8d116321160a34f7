import path from 'node:path';
import type { LedgerChangeBatch } from '../../src/shared/changes';
import type { NodeRuntimeOptions } from '../../src/main/runtime';
import { createTestDatabase, testEngine, type TestDatabase } from './engine';
import { openTestRuntime, type TestRuntime } from './runtime';

/**
 * Two workstations on one ledger, on the current test engine: on PostgreSQL two runtimes on the
 * same database, on SQLite two runtimes (two connections) on the same file.
 */
export interface SharedLedger {
  a: TestRuntime;
  b: TestRuntime;
  /** A further runtime on the same ledger (closed by dispose). */
  open(options?: Partial<NodeRuntimeOptions>): Promise<TestRuntime>;
  dispose(): Promise<void>;
}

export async function openSharedLedger(options: { a?: Partial<NodeRuntimeOptions>; b?: Partial<NodeRuntimeOptions> } = {}): Promise<SharedLedger> {
  const database: TestDatabase | undefined = testEngine === 'postgres' ? await createTestDatabase() : undefined;
  const a = await openTestRuntime({ ...(database ? { databaseUrl: database.url } : {}), ...options.a });
  const where = (): Partial<NodeRuntimeOptions> => (database ? { databaseUrl: database.url } : { ledgerPath: path.join(a.dir, 'ledger.db') });
  const others: TestRuntime[] = [];
  const open = async (more: Partial<NodeRuntimeOptions> = {}) => {
    const rt = await openTestRuntime({ ...where(), ...more });
    others.push(rt);
    return rt;
  };
  const b = await open(options.b);
  return {
    a,
    b,
    open,
    dispose: async () => {
      for (const rt of others.reverse()) await rt.dispose();
      await a.dispose();
      await database?.drop();
    },
  };
}

export interface Heard {
  /** performance.now() when the batch arrived. */
  at: number;
  batch: LedgerChangeBatch;
}

/** Every batch a runtime's change feed hands its subscribers, from the moment the feed has started. */
export async function listenTo(rt: TestRuntime): Promise<{ heard: Heard[]; stop(): void; next(match: (b: LedgerChangeBatch) => boolean, timeoutMs?: number): Promise<Heard> }> {
  const heard: Heard[] = [];
  const stop = rt.core.changes.subscribe((batch) => heard.push({ at: performance.now(), batch }));
  await rt.core.changes.ready();
  return {
    heard,
    stop,
    next: (match, timeoutMs = 2_000) => waitFor(() => heard.find((h) => match(h.batch)), timeoutMs, 'a matching change'),
  };
}

/** Polls `find` every 10 ms until it returns something, or fails after `timeoutMs`. */
export async function waitFor<T>(
  find: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (performance.now() > until) throw new Error(`No ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
