import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNodeRuntime, type NodeRuntime } from '../../src/main/runtime';
import { startBridge, type Bridge } from '../../src/main/ipc/bridge';
import { silentLogger } from '../../src/main/log';
import type { Clock } from '../../src/main/clock';

export interface TestApp {
  url: string;
  dir: string;
  runtime: NodeRuntime;
  bridge: Bridge;
  close(): Promise<void>;
}

/** A temporary ledger served with the built renderer through the bridge, in this test process. */
export async function startTestApp(
  options: { clock?: Clock; prepare?: (runtime: NodeRuntime) => Promise<void> } = {},
): Promise<TestApp> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-e2e-'));
  const runtime = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
    log: silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (options.prepare) await options.prepare(runtime);
  const bridge = await startBridge(runtime.core, { staticDir: path.join(root, 'out/renderer') });
  return {
    url: bridge.url,
    dir,
    runtime,
    bridge,
    close: async () => {
      await bridge.close();
      await runtime.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = path.join(root, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
