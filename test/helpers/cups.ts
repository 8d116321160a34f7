import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The CUPS test server of scripts/cups-test-server.sh, as the printing tests see it. The script
 * exports these variables (CI runs it); without them the tests that need CUPS are skipped, unless
 * AR_DESK_REQUIRE_CUPS=1 (CI) makes their absence a failure.
 */
export interface CupsTestServer {
  server: string;
  printer: string;
  out: string;
  /** The device URI and driver (-P file or -m model) to add more queues like the test printer. */
  device: string;
  driver: string[];
}

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CUPS_SCRIPT = path.join(ROOT, 'scripts/cups-test-server.sh');

function fromEnv(env: NodeJS.ProcessEnv = process.env): CupsTestServer | null {
  const { CUPS_SERVER, AR_DESK_TEST_CUPS_PRINTER, AR_DESK_TEST_CUPS_OUT, AR_DESK_TEST_CUPS_DEVICE, AR_DESK_TEST_CUPS_DRIVER } = env;
  if (!CUPS_SERVER || !AR_DESK_TEST_CUPS_PRINTER || !AR_DESK_TEST_CUPS_OUT || !AR_DESK_TEST_CUPS_DEVICE || !AR_DESK_TEST_CUPS_DRIVER) return null;
  const [flag, ...rest] = AR_DESK_TEST_CUPS_DRIVER.trim().split(' ');
  return { server: CUPS_SERVER, printer: AR_DESK_TEST_CUPS_PRINTER, out: AR_DESK_TEST_CUPS_OUT, device: AR_DESK_TEST_CUPS_DEVICE, driver: [flag!, rest.join(' ')] };
}

export const cups = fromEnv();

export const CUPS_SKIP_REASON =
  'skipped: no CUPS test printer (AR_DESK_TEST_CUPS_* unset); run `eval "$(sudo scripts/cups-test-server.sh start)"` first, as .ci/run does';

if (!cups && process.env.AR_DESK_REQUIRE_CUPS === '1') {
  throw new Error('AR_DESK_REQUIRE_CUPS=1 but the CUPS test printer is not set up (scripts/cups-test-server.sh start did not run or failed).');
}

/** Runs a CUPS command (lpadmin, cupsenable, ...) against the test server; throws with its output on failure. */
export function cupsCommand(command: string, args: string[], server = cups?.server): string {
  return execFileSync(command, args, { env: { ...process.env, CUPS_SERVER: server, LC_ALL: 'C' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Adds a queue printing like the test printer (into the same folder), enabled and accepting jobs. */
export function addTestQueue(name: string, server = cups!): void {
  cupsCommand('lpadmin', ['-p', name, '-E', '-v', server.device, ...server.driver, '-o', 'printer-error-policy=abort-job'], server.server);
}

export function removeTestQueue(name: string, server = cups?.server): void {
  try {
    cupsCommand('lpadmin', ['-x', name], server);
  } catch {
    // already gone
  }
}

/** The PDF CUPS-PDF wrote for a job (its name has job_N), once it is there and complete (pdfinfo reads it). */
export async function printedFile(jobId: string, out = cups!.out, timeoutMs = 30_000): Promise<string> {
  const pattern = new RegExp(`(^|[^0-9])job_${jobId}(\\.pdf$|[^0-9])`);
  return waitFor(
    () => {
      const found = fs.readdirSync(out).find((f) => pattern.test(f) && f.endsWith('.pdf'));
      if (!found) return null;
      const file = path.join(out, found);
      return spawnSync('pdfinfo', [file], { stdio: 'ignore' }).status === 0 ? file : null;
    },
    timeoutMs,
    `the complete PDF of job ${jobId} in ${out}`,
  );
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function pdfPageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
}

/** True when this process may start a second private CUPS server (the script needs root). */
export const canStartCupsServer = process.getuid?.() === 0 && fs.existsSync('/usr/lib/cups/backend/cups-pdf');

/** Starts (or stops) a private CUPS server in `dir` with the script; returns the server it set up. */
export function cupsScript(action: 'start' | 'stop', dir: string, printer: string): CupsTestServer | null {
  const r = spawnSync('bash', [CUPS_SCRIPT, action], {
    env: { ...process.env, AR_DESK_CUPS_DIR: dir, AR_DESK_CUPS_PRINTER_NAME: printer, AR_DESK_CUPS_KEEP: action === 'stop' ? '1' : '' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cups-test-server.sh ${action} failed: ${r.stderr}`);
  if (action === 'stop') return null;
  const env: NodeJS.ProcessEnv = {};
  for (const m of r.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]!] = m[2]!;
  return fromEnv(env);
}
