import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNodeRuntime, type NodeRuntime, type NodeRuntimeOptions } from '../../src/main/runtime';
import { fixedClock } from '../../src/main/clock';
import { memoryLogger } from '../../src/main/log';
import { memorySettingsStore } from '../../src/main/settings/settings.store';
import { memorySecretStore } from '../../src/main/documents/ports';

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

/** A real SQLite ledger in a temporary folder, a frozen clock, in-memory settings and secrets, and a captured log. */
export async function openTestRuntime(
  options: Partial<NodeRuntimeOptions> & { now?: string; dir?: string } = {},
): Promise<TestRuntime> {
  const dir = options.dir ?? tempDir();
  const clock = fixedClock(options.now ?? '2026-11-20T15:00:00Z');
  const log = memoryLogger();
  const runtime = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
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
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
