import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../../src/shared/contract';
import { startBridge, type Bridge } from '../../../src/main/ipc/bridge';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { openTestGateway, type TestGateway } from '../../../src/main/payments/test-gateway';
import { PERMISSIONS } from '../../../src/main/staff/permissions';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { addStaff, PASSWORD } from '../../helpers/staff-fixtures';
import { bodies } from '../../helpers/fuzz-inputs';

/**
 * Every channel through the HTTP bridge with a signed-in administrator, fed generated inputs: wrong
 * types, missing and extra keys, prototype keys, huge strings and values of the right shape with
 * hostile content. Holds: the bridge answers every one with an envelope (no crash), never INTERNAL,
 * and an input refused as invalid leaves the ledger file and its WAL byte for byte as they were.
 *
 * Replay: FUZZ_SEED=<seed printed> npx vitest run test/integration/staff/fuzz.test.ts
 * (FUZZ_RUNS=<n> changes the inputs per channel, FUZZ_CHANNELS=a.b,c.d runs only those, FUZZ_PROFILE=1
 * prints each channel as it finishes with its slowest inputs).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** FUZZ_CHANNELS=payments.refund,auth.signIn replays only those. */
const ONLY = process.env.FUZZ_CHANNELS?.split(',');
/** Fewer runs where an input of the right shape costs an Argon2id hash (50-100 ms) or more. */
const SLOW: Partial<Record<ChannelName, number>> = {
  'auth.signIn': 150,
  'auth.unlock': 150,
  'auth.changePassword': 150,
  'staff.create': 150,
  'staff.resetPassword': 150,
  // Every run settles pending payments with the gateway; its input is {} or garbage, no more to vary.
  'payments.recover': 200,
  // Each accepted input renders a PDF (100-400 ms).
  'documents.printAgain': 300,
  'documents.emailConfirmation': 300,
  'documents.print': 300,
  'documents.pdf': 300,
};

let rt: TestRuntime;
let gateway: TestGateway;
let bridge: Bridge;
let session = '';
let danaId = 0;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function post(channel: string, body: string, retried = false): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: `/ipc/${channel}`,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-ar-desk-token': bridge.token, 'x-ar-desk-session': session },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; error?: { code: string } };
            resolve({ status: res.statusCode ?? 0, code: envelope.ok ? 'ok' : (envelope.error?.code ?? 'NO_CODE') });
          } catch {
            resolve({ status: res.statusCode ?? 0, code: 'NOT_AN_ENVELOPE' });
          }
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while it sat idle: the request never reached it (Node's documented retry).
      if (!retried && req.reusedSocket && e.code === 'ECONNRESET') post(channel, body, true).then(resolve, reject);
      else reject(e);
    });
    req.end(body);
  });
}

/** The ledger as it is on disk: the database file and its write-ahead log. */
function snapshot(): Buffer[] {
  return [rt.ledger.path, `${rt.ledger.path}-wal`].map((f) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0)));
}
const same = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((x, i) => x.equals(b[i]!));

/** Waits for writes an accepted call set off in the background (a confirmation's printing) to land. */
async function settle(): Promise<void> {
  let last = snapshot();
  for (let i = 0; i < 50; i += 1) {
    await new Promise((r) => setTimeout(r, 10));
    const now = snapshot();
    if (same(now, last)) return;
    last = now;
  }
}

/**
 * The ledger's data version as a second connection sees it: it moves whenever the app's connection
 * commits anything (a rolled-back transaction leaves it).
 */
let watcher: Database.Database;
const committed = () => watcher.pragma('data_version', { simple: true }) as number;

/** Channels that leave work running after they answer (delivering a confirmation). */
const BACKGROUND = new Set<ChannelName>(['payments.submit', 'payments.recover']);

/**
 * Puts the administrator back after a generated input signed them out, locked the window, locked the
 * account or changed the policy. A new session is opened in the session store as auth.signIn would,
 * sparing an Argon2id hash per generated sign-out.
 */
async function restore(): Promise<void> {
  const row = await rt.ledger.db.selectFrom('staff_users').selectAll().where('id', '=', danaId).executeTakeFirstOrThrow();
  if (row.role !== 'admin' || row.active !== 1) throw new Error('the administrator was demoted or disabled by a generated input');
  if ((await rt.core.staff.users.policy()).requireAdminTotp) await rt.ledger.db.updateTable('staff_policy').set({ require_admin_totp: 0 }).execute();
  if (row.locked_until || row.failed_attempts > 0) await rt.core.staff.users.unlock({ id: null, username: 'cli:fuzz', name: null }, 'dana');
  const current = rt.core.staff.sessions.byToken(session);
  if (!current || current.locked) session = rt.core.staff.sessions.create(danaId, { kind: 'token' }).token;
}

beforeAll(async () => {
  const dir = tempDir('ar-desk-fuzz-');
  gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db') });
  // A printer that takes every job, so the print queue does not grow with each generated print.
  rt = await openTestRuntime({ dir, gateway, totpKey: () => Buffer.alloc(32, 9), printer: { system: 'cups', print: async () => ({ system: 'cups', printer: 'Fuzz', jobId: '1' }), listPrinters: async () => ({ printers: [{ name: 'Fuzz', isDefault: true, state: 'idle', accepting: true, reason: null }], defaultPrinter: 'Fuzz' }) } });
  await seedDemoLedger(rt.ledger, { customers: 6, seed: 7, asOf: '2026-11-20' });
  danaId = (await addStaff(rt, 'dana', 'admin')).id;
  await addStaff(rt, 'sue', 'supervisor');
  await addStaff(rt, 'amy', 'clerk');
  bridge = await startBridge(rt.core);
  watcher = new Database(rt.ledger.path, { readonly: true, fileMustExist: true });
  // Signed in through the bridge as the page does.
  const signedIn = await fetch(`${bridge.url}/ipc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ar-desk-token': bridge.token },
    body: JSON.stringify({ username: 'dana', password: PASSWORD }),
  }).then((r) => r.json() as Promise<{ data: { token: string } }>);
  session = signedIn.data.token;
});
afterAll(async () => {
  agent.destroy();
  watcher.close();
  await bridge.close();
  gateway.close();
  await rt.dispose();
});

describe('fuzzing every channel through the bridge as a signed-in administrator', () => {
  it(`answers every generated input with an envelope, never INTERNAL, and leaves the ledger untouched by invalid ones (FUZZ_SEED=${SEED})`, { timeout: 1_200_000 }, async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} over ${CHANNEL_NAMES.length} channels`);
    const problems: string[] = [];
    const lines: string[] = [];
    let total = 0;
    let refused = 0;
    const started = performance.now();
    for (const [index, channel] of CHANNEL_NAMES.entries()) {
      if (ONLY && !ONLY.includes(channel)) continue;
      const runs = Math.min(RUNS, SLOW[channel] ?? RUNS);
      const inputs = fc.sample(bodies(contract[channel].input), { seed: SEED + index, numRuns: runs });
      const codes: Record<string, number> = {};
      const t0 = performance.now();
      const slowest: [number, string][] = [];
      // Byte for byte: when no input of the channel committed anything, the ledger files are compared
      // across the whole run; otherwise (an accepted write, an audited refusal) the invalid inputs are
      // sent again, alone, between two snapshots.
      await settle();
      const start = snapshot();
      let committedYet = false;
      const again: string[] = [];
      let invalidCount = 0;
      for (const body of inputs) {
        const before = committed();
        const tIn = performance.now();
        const { status, code } = await post(channel, body);
        if (process.env.FUZZ_PROFILE) slowest.push([performance.now() - tIn, `${code} ${body.length} ${body.slice(0, 120)}`]);
        total += 1;
        codes[code] = (codes[code] ?? 0) + 1;
        if (code === 'INTERNAL' || code === 'NOT_AN_ENVELOPE' || status >= 500) problems.push(`${channel}: ${status} ${code} for ${body.slice(0, 300)}`);
        if (code === 'VALIDATION') {
          invalidCount += 1;
          again.push(body);
          if (committed() !== before) problems.push(`${channel}: an invalid input committed a change to the ledger: ${body.slice(0, 300)}`);
          continue;
        }
        if (BACKGROUND.has(channel)) await settle();
        if (channel.startsWith('auth.') || channel.startsWith('staff.')) await restore();
        if (committed() !== before) committedYet = true;
      }
      await settle();
      if (!committedYet) {
        if (!same(start, snapshot())) problems.push(`${channel}: the ledger file changed over ${invalidCount} invalid inputs and reads`);
        again.length = 0;
      }
      const before = snapshot();
      for (let i = 0; i < again.length; i += 16) {
        const batch = again.slice(i, i + 16);
        const answers = await Promise.all(batch.map((body) => post(channel, body)));
        answers.forEach(({ code }, k) => {
          if (code !== 'VALIDATION') problems.push(`${channel}: answered ${code} the second time for ${batch[k]!.slice(0, 300)}`);
        });
      }
      if (!same(before, snapshot())) problems.push(`${channel}: the ledger file changed while ${again.length} invalid inputs were sent again`);
      refused += invalidCount;
      const ms = performance.now() - t0;
      lines.push(`${channel.padEnd(28)} ${String(runs).padStart(5)} inputs ${(ms / 1000).toFixed(1).padStart(5)} s  ${Object.entries(codes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      if (process.env.FUZZ_PROFILE) console.log(lines[lines.length - 1], `files ${snapshot().map((b) => b.length).join('+')} bytes, sent again ${again.length}\n`, slowest.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([t, b]) => `${t.toFixed(0)}ms ${b}`).join('\n'));
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${lines.join('\n')}\nfuzz: ${total} inputs in ${seconds} s, ${refused} refused as invalid with the ledger byte for byte unchanged, ${problems.length} problems (FUZZ_SEED=${SEED})`);
    // Still serving after all of it.
    expect((await post('app.info', '{}')).code).toBe('ok');
    expect(problems).toEqual([]);
  });
});
