import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNodeRuntime, type NodeRuntime } from '../../src/main/runtime';
import { startBridge, type Bridge } from '../../src/main/ipc/bridge';
import { silentLogger } from '../../src/main/log';
import type { Clock } from '../../src/main/clock';
import { openTestGateway, type TestGateway, type TestGatewayOptions } from '../../src/main/payments/test-gateway';
import { memorySecretStore, type Printer } from '../../src/main/documents/ports';

export interface TestApp {
  url: string;
  dir: string;
  runtime: NodeRuntime;
  bridge: Bridge;
  /** The built-in test gateway the app charges through (its records are the processor's side). */
  gateway: TestGateway;
  close(): Promise<void>;
}

/** A temporary ledger served with the built renderer through the bridge, in this test process. */
export async function startTestApp(
  options: {
    clock?: Clock;
    prepare?: (runtime: NodeRuntime) => Promise<void>;
    /** Latency and planned faults of the test gateway. */
    gateway?: Omit<TestGatewayOptions, 'file' | 'clock'>;
    /** The workstation's printer; without one every print waits in the queue ("No printer is available here."). */
    printer?: Printer;
  } = {},
): Promise<TestApp> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-e2e-'));
  const gateway = openTestGateway({
    file: path.join(dir, 'test-gateway.db'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.gateway,
  });
  const runtime = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
    log: silentLogger,
    gateway,
    secrets: memorySecretStore(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.printer ? { printer: options.printer } : {}),
  });
  if (options.prepare) await options.prepare(runtime);
  const bridge = await startBridge(runtime.core, { staticDir: path.join(root, 'out/renderer') });
  return {
    url: bridge.url,
    dir,
    runtime,
    bridge,
    gateway,
    close: async () => {
      await bridge.close();
      await runtime.close();
      gateway.close();
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
