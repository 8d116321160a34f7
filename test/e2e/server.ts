import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openNodeRuntime, type NodeRuntime } from '../../src/main/runtime';
import { startBridge, type Bridge } from '../../src/main/ipc/bridge';
import { silentLogger } from '../../src/main/log';
import type { Clock } from '../../src/main/clock';
import { openTestGateway, type TestGateway, type TestGatewayOptions } from '../../src/main/payments/test-gateway';
import { memorySecretStore, type Printer } from '../../src/main/documents/ports';
import type { LedgerOrigin } from '../../src/shared/contract/settings';
import { createE2eDatabase, e2eEngine, type E2eDatabase } from './engine';

export interface TestApp {
  /**
   * The page's address: the bridge with its token and a signed-in session in the fragment, ending in
   * `route=` so `${app.url}/#/aging` opens that screen (the renderer's transport takes the token and
   * session into sessionStorage and goes to the route).
   */
  url: string;
  /** The bridge alone, without token or session. */
  baseUrl: string;
  /** The bridge's per-launch token and the session of the signed-in administrator. */
  token: string;
  session: string;
  dir: string;
  /** The PostgreSQL ledger's address when the app is on one (given, or its own in the postgres project); else the SQLite file is in `dir`. */
  databaseUrl?: string;
  runtime: NodeRuntime;
  bridge: Bridge;
  /** The built-in test gateway the app charges through (its records are the processor's side). */
  gateway: TestGateway;
  close(): Promise<void>;
}

/**
 * A temporary ledger served with the built renderer through the bridge, in this test process: a
 * SQLite file in a temporary folder, or in the postgres project (engine.ts) a database of its own
 * on the test cluster, migrated at open as the app does and dropped at close. Given a
 * `databaseUrl` or `ledgerPath`, that ledger is served instead, whatever the project.
 */
export async function startTestApp(
  options: {
    clock?: Clock;
    prepare?: (runtime: NodeRuntime) => Promise<void>;
    /** Latency and planned faults of the test gateway. */
    gateway?: Omit<TestGatewayOptions, 'file' | 'clock'>;
    /** The workstation's printer; without one every print waits in the queue ("No printer is available here."). */
    printer?: Printer;
    /** False: no staff account and no session, for the first run (the page shows "Create the first administrator"). */
    staff?: boolean;
    /** The key TOTP secrets are encrypted with; without one, setting up an authenticator is refused. */
    totpKey?: Buffer;
    /** Another workstation's ledger to share: an office database on PostgreSQL, or a SQLite file. */
    databaseUrl?: string;
    ledgerPath?: string;
    /** Why the ledger was opened (e.g. this workstation's own after the office's failed at start). */
    ledgerOrigin?: LedgerOrigin;
  } = {},
): Promise<TestApp> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-e2e-'));
  const totpKey = options.totpKey;
  const gateway = openTestGateway({
    file: path.join(dir, 'test-gateway.db'),
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.gateway,
  });
  const own: E2eDatabase | null = !options.databaseUrl && !options.ledgerPath && e2eEngine() === 'postgres' ? await createE2eDatabase() : null;
  const databaseUrl = options.databaseUrl ?? own?.url;
  const open = async (): Promise<NodeRuntime> => {
    const runtime = await openNodeRuntime({
      ledgerPath: options.ledgerPath ?? path.join(dir, 'ledger.db'),
      ...(databaseUrl ? { databaseUrl } : {}),
      log: silentLogger,
      gateway,
      secrets: memorySecretStore(),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.printer ? { printer: options.printer } : {}),
      ...(totpKey ? { totpKey: () => totpKey } : {}),
      ...(options.ledgerOrigin ? { ledgerOrigin: options.ledgerOrigin } : {}),
    });
    if (options.prepare) await options.prepare(runtime);
    return runtime;
  };
  // A database of its own is dropped again when the app cannot be opened on it.
  const runtime = await open().catch(async (e: unknown) => {
    await own?.drop();
    throw e;
  });
  const bridge = await startBridge(runtime.core, { staticDir: path.join(root, 'out/renderer') });
  const session = options.staff === false ? '' : await signInAdmin(runtime, bridge);
  return {
    url: `${bridge.url}/#token=${encodeURIComponent(bridge.token)}${session ? `&session=${encodeURIComponent(session)}` : ''}&route=`,
    baseUrl: bridge.url,
    token: bridge.token,
    session,
    dir,
    ...(databaseUrl ? { databaseUrl } : {}),
    runtime,
    bridge,
    gateway,
    close: async () => {
      await bridge.close();
      await runtime.close();
      gateway.close();
      await own?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The administrator every end-to-end page is signed in as; named clerk, the name the specs look for in the ledger. */
export const E2E_ADMIN = { username: 'clerk', name: 'Casey Clerk', password: 'e2e harness pass 2026' };

/** Makes the administrator (not temporary) on a ledger without staff, and signs in through the bridge like a page. */
async function signInAdmin(runtime: NodeRuntime, bridge: Bridge): Promise<string> {
  const users = runtime.core.staff.users;
  if (!(await users.list()).some((u) => u.username === E2E_ADMIN.username)) {
    await users.create({ id: null, username: 'cli:e2e', name: null }, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
  }
  const res = await fetch(`${bridge.url}/ipc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ar-desk-token': bridge.token },
    body: JSON.stringify({ username: E2E_ADMIN.username, password: E2E_ADMIN.password }),
  });
  const envelope = (await res.json()) as { ok: boolean; data?: { token: string }; error?: { message: string } };
  if (!envelope.ok || !envelope.data) throw new Error(`The end-to-end administrator could not sign in: ${envelope.error?.message}`);
  return envelope.data.token;
}

export function screenshotPath(name: string): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = path.join(root, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
