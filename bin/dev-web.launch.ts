/**
 * Starts `bin/dev-web.ts --no-build --port 0` (the renderer already built) in a process group of its
 * own, on a ledger of the caller's choosing and a user-data folder of its own; waits for its
 * "Open …" line and signs a staff member in through its bridge. Used by the end-to-end tests'
 * workstations (test/e2e/live.ts) and the benchmark's Chromium timings (bench/aging-screen.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export interface DevWebOptions {
  /** Named in errors. */
  name: string;
  /** The SQLite ledger file, or (with databaseUrl) none: a file in the user-data folder is used. */
  ledgerPath?: string;
  databaseUrl?: string;
  /** The user-data folder is made inside it. */
  scratch: string;
  signIn: { username: string; password: string };
  /** Without the aging warm-up a few seconds after start (--no-warm-up). */
  noWarmUp?: boolean;
  startTimeoutMs?: number;
}

export interface DevWeb {
  baseUrl: string;
  /** The bridge's token (from the "Open" line) and the signed-in staff member's session. */
  token: string;
  session: string;
  /** When the process was started (performance.now()). */
  startedAt: number;
  output(): string;
  /** Ends the process group: SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

export async function launchDevWeb(o: DevWebOptions): Promise<DevWeb> {
  const home = fs.mkdtempSync(path.join(o.scratch, `${o.name}-`));
  const args = ['--import', 'tsx', path.join(root, 'bin/dev-web.ts'), '--no-build', '--port', '0'];
  if (o.databaseUrl) args.push('--database-url', o.databaseUrl);
  if (o.noWarmUp) args.push('--no-warm-up');
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AR_DESK_DB: o.ledgerPath ?? path.join(home, 'ledger.db'), AR_DESK_DATABASE_URL: '', XDG_CONFIG_HOME: home },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const killed = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(killed);
  };
  try {
    const limit = o.startTimeoutMs ?? 60_000;
    const pageUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev:web (${o.name}) did not start within ${limit / 1000} s:\n${output}`)), limit);
      const look = () => {
        const m = /Open (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', look);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`dev:web (${o.name}) exited before serving:\n${output}`));
      });
    });
    const page = new URL(pageUrl);
    const baseUrl = page.origin;
    const token = new URLSearchParams(page.hash.slice(1)).get('token')!;
    const res = await fetch(`${baseUrl}/ipc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ar-desk-token': token },
      body: JSON.stringify(o.signIn),
    });
    const envelope = (await res.json()) as { ok: boolean; data?: { token: string }; error?: { message: string } };
    if (!envelope.ok || !envelope.data) throw new Error(`Could not sign in at dev:web (${o.name}): ${envelope.error?.message}`);
    return { baseUrl, token, session: envelope.data.token, startedAt, output: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
