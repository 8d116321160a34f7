import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { openTestGateway } from '../../../src/main/payments/test-gateway';
import { silentLogger } from '../../../src/main/log';
import { openNodeRuntime } from '../../../src/main/runtime';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import { openLedger } from '../../../src/main/db/connection';
import { ledgerProblems } from '../../helpers/payments-fixtures';
import { tempDir } from '../../helpers/runtime';
import {
  CRASH_BANK_ACCOUNTS,
  CRASH_CARDS,
  MISMATCH_PREFIX,
  mulberry32,
  PAUSE_OPS,
  reconcileByKey,
  STALL_KINDS,
  type PauseOp,
  type StallKind,
} from './crash-plan';

/**
 * Kills a process that takes payments with SIGKILL at seeded random moments, lets the next
 * process recover, and checks at the end that the gateway's money and the ledger's match one to
 * one by key (counted, so a key charged or posted twice shows), that every captured payment's
 * standing applications are exactly what it meant to apply with nothing left unapplied (the
 * exact-payment rule), that no invoice is paid twice, that both files are intact, that every
 * invariant holds, and that no card number or security code reached any file of the data folder.
 *
 * Some kills are planned where they hurt: right after the gateway committed a charge, a refund or
 * a void and before the ledger heard of it (a pause), and inside an open ledger transaction (a
 * stall) while marking a charge captured, while posting its applications, and during start-up
 * recovery. Every run lands at least one of each; when the random plan has not, the run plans
 * them explicitly, and fails if they still do not land.
 *
 * Every line a child prints is read: a repeated key answered differently ("MISMATCH") fails the
 * test, and the failing child's log is quoted in the failure and kept on disk.
 *
 * CRASH_KILLS sets the number of kills (100 when CI=true, 40 otherwise); CRASH_SEED replays a run.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? (process.env.CI === 'true' ? 100 : 40));
const SEED = Number(process.env.CRASH_SEED ?? crypto.randomInt(1, 2 ** 31));
const root = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const bundles: string[] = [];
/** A failed run keeps its folder (ledger, gateway, every child's log) for a look afterwards. */
let keepFolder = false;
afterAll(() => {
  if (keepFolder) console.log(`crash test: kept ${dirs.join(', ')} for inspection`);
  else for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const f of bundles) fs.rmSync(f, { force: true });
});

/** The child bundled once, so each of the hundreds of starts costs a plain `node file.mjs`. */
async function bundleChild(): Promise<string[]> {
  const outfile = path.join(root, 'node_modules', '.cache', `crash-child-${process.pid}.mjs`);
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(import.meta.dirname, 'crash-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      // The child never asks for a printed or emailed confirmation, so the PDF code stays out of its start-up.
      // pg is CommonJS requiring Node built-ins, which an ESM bundle cannot: it is loaded from node_modules.
      external: ['better-sqlite3', 'pg', '../documents/documents.service'],
      outfile,
      logLevel: 'warning',
    });
    bundles.push(outfile);
    return [outfile];
  } catch {
    // Slower, but the same program.
    return ['--import', 'tsx', path.join(import.meta.dirname, 'crash-child.ts')];
  }
}

/** Customers with invoices (and some with credits), in one transaction straight into SQLite. */
async function seedLedger(dir: string, rand: () => number): Promise<void> {
  const ledger = await openLedger(path.join(dir, 'ledger.db'));
  const db = ledger.sqlite;
  const at = '2026-01-01T00:00:00.000Z';
  const addCustomer = db.prepare(`INSERT INTO customers (customer_number, legal_name, name_search, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
  const addInvoice = db.prepare(
    `INSERT INTO invoices (invoice_number, customer_id, issue_date, due_date, subtotal_cents, tax_cents, total_cents, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, 'seed')`,
  );
  const addLine = db.prepare(`INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, unit_price_cents, amount_cents) VALUES (?, 1, 'Service', 1, ?, ?)`);
  const addCredit = db.prepare(
    `INSERT INTO credit_memos (credit_number, customer_id, issue_date, amount_cents, reason, created_at, created_by) VALUES (?, ?, '2026-06-01', ?, 'seed', ?, 'seed')`,
  );
  db.transaction(() => {
    for (let c = 1; c <= 400; c++) {
      const id = Number(addCustomer.run(`CR${c}`, `Crash Customer ${c}`, `crash customer ${c}`, at, at).lastInsertRowid);
      for (let i = 1; i <= 5; i++) {
        // Whole dollars from $12 to $2,500: no amount's digits can pass for a card number.
        const cents = (12 + Math.floor(rand() * 2489)) * 100;
        const invoiceId = Number(addInvoice.run(`C${c}-${i}`, id, `2026-0${i}-01`, `2026-0${i}-15`, cents, cents, at).lastInsertRowid);
        addLine.run(invoiceId, cents, cents);
      }
      if (c % 4 === 0) addCredit.run(`K${c}`, id, (5 + Math.floor(rand() * 200)) * 100, at);
    }
  })();
  await ledger.close();
}

interface ChildRun {
  child: ChildProcess;
  lines: string[];
  /** Settles once the process has exited and every line it wrote has been read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first of `wanted` the child prints, or null when none comes in time (or it exits). */
  waitFor(wanted: string | readonly string[], timeoutMs: number): Promise<string | null>;
}

function startChild(command: string[], dir: string, env: Record<string, string>, logFile: string): ChildRun {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, CRASH_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const lines: string[] = [];
  const waiters: { wanted: readonly string[]; resolve: (line: string | null) => void }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    buffer += chunk.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.wanted.includes(line))) w.resolve(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  // 'close', not 'exit': it comes after the pipes are drained, so no line the child wrote is lost.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      if (buffer.length > 0) lines.push(buffer);
      for (const w of waiters) w.resolve(null);
      log.end(() => resolve({ code, signal }));
    }),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (wanted, timeoutMs) => {
      const list = typeof wanted === 'string' ? [wanted] : wanted;
      const seen = lines.find((l) => list.includes(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string | null>((resolve) => {
        waiters.push({ wanted: list, resolve });
        setTimeout(() => resolve(null), timeoutMs);
      });
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every place a card number or security code could have leaked to, as text. */
function leakPatterns(): { what: string; text: string }[] {
  const patterns: { what: string; text: string }[] = [];
  for (const card of CRASH_CARDS) {
    patterns.push({ what: 'card number', text: card.number });
    patterns.push({ what: 'card number as typed', text: card.number.replace(/(\d{4})(?=\d)/g, '$1 ') });
    // A code on its own is 3 or 4 digits and turns up by chance in any binary file; it leaks
    // next to its card or labelled as a code, so those are the forms searched for.
    for (const form of [`"cvc":"${card.cvc}"`, `"cvc": "${card.cvc}"`, `cvc=${card.cvc}`, `cvc: '${card.cvc}'`, `cvc":${card.cvc}`, `${card.number.slice(-4)}${card.cvc}`, `${card.cvc}${card.number}`]) {
      patterns.push({ what: 'security code', text: form });
    }
  }
  for (const account of CRASH_BANK_ACCOUNTS) patterns.push({ what: 'bank account number', text: account });
  return patterns;
}

function scanFolder(dir: string): { files: number; bytes: number; hits: string[] } {
  const hits: string[] = [];
  let files = 0;
  let bytes = 0;
  const patterns = leakPatterns();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const content = fs.readFileSync(file);
        files += 1;
        bytes += content.length;
        for (const encoding of ['latin1', 'utf16le'] as const) {
          const text = content.toString(encoding);
          for (const p of patterns) if (text.includes(p.text)) hits.push(`${p.what} in ${path.relative(dir, file)} (${encoding})`);
        }
      }
    }
  };
  walk(dir);
  return { files, bytes, hits };
}

/** Every text value stored in a database, read through SQLite (so the WAL's latest pages count too). */
function storedCodes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const codes = new Set(CRASH_CARDS.map((c) => c.cvc));
  const found: string[] = [];
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) {
          if (/^(cvc|cvv|cvv2|security_code|card_number|pan|account_number)$/i.test(column) && value !== null && !/^(pass|fail|unchecked|unavailable)$/.test(String(value))) {
            found.push(`${name}.${column} holds a value`);
          }
          // Ids written as text (the audit log's entity_id) are numbers that may equal a code by chance.
          if (typeof value === 'string' && codes.has(value) && !/(^|_)id$/.test(column)) found.push(`${name}.${column} = a security code`);
        }
      }
    }
  } finally {
    db.close();
  }
  return found;
}

/** A round's plan: where the child is killed. */
type Plan =
  /** Somewhere in start-up: opening the files or settling what the last one left. */
  | { mode: 'startup' }
  /** At a random moment while it takes payments. */
  | { mode: 'run' }
  /** Right after the gateway committed the at-th call of `op`, before the ledger heard of it. */
  | { mode: 'pause'; op: PauseOp; at: number }
  /** Inside an open ledger transaction of this kind. */
  | { mode: 'stall'; kind: StallKind };

function randomPlan(rand: () => number): Plan {
  const mode = rand();
  if (mode < 0.3) {
    const roll = rand();
    const op: PauseOp = roll < 0.7 ? 'charge' : roll < 0.85 ? 'refund' : 'void';
    return { mode: 'pause', op, at: 1 + Math.floor(rand() * (op === 'charge' ? 4 : 2)) };
  }
  if (mode < 0.45) return { mode: 'stall', kind: STALL_KINDS[Math.floor(rand() * STALL_KINDS.length)]! };
  if (mode >= 0.9) return { mode: 'startup' };
  return { mode: 'run' };
}

/** The last lines of a child's log, to quote in a failure. */
function logTail(file: string, lines = 15): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

/**
 * Every payment's money on the ledger against what it meant to apply (payment_allocations), under
 * the exact-payment rule the children use: nothing unapplied, the charge equal to its card or bank
 * share, and the standing applications (net of reversals, by invoice, source and credit) equal to
 * the intended ones unless a refund or void since took some back.
 */
function postingProblems(db: Database.Database): string[] {
  const group = (rows: { payment_id: number; invoice_id: number; source: string; credit_id: number | null; cents: number }[]) => {
    const out = new Map<number, Map<string, number>>();
    for (const r of rows) {
      const byPart = out.get(r.payment_id) ?? new Map<string, number>();
      const part = `${r.source === 'credit' ? `credit ${r.credit_id}` : 'payment'} on invoice ${r.invoice_id}`;
      byPart.set(part, (byPart.get(part) ?? 0) + r.cents);
      out.set(r.payment_id, byPart);
    }
    return out;
  };
  const intended = group(
    db.prepare(`SELECT payment_id, invoice_id, CASE source WHEN 'credit' THEN 'credit' ELSE 'payment' END AS source, credit_id, amount_cents AS cents FROM payment_allocations`).all() as never,
  );
  const standing = group(
    db.prepare(`SELECT payment_id, invoice_id, source, credit_id, amount_cents AS cents FROM applications WHERE payment_id IS NOT NULL`).all() as never,
  );
  const refunded = new Map(
    (db.prepare(`SELECT payment_id AS id, sum(amount_cents) AS cents FROM payment_reversals WHERE kind = 'refund' AND status = 'completed' GROUP BY payment_id`).all() as { id: number; cents: number }[]).map((r) => [r.id, r.cents]),
  );
  const payments = db.prepare(`SELECT id, kind, status, amount_cents, unapplied_cents, confirmation_number, idempotency_key FROM payments ORDER BY id`).all() as {
    id: number;
    kind: string;
    status: string;
    amount_cents: number;
    unapplied_cents: number;
    confirmation_number: string | null;
    idempotency_key: string | null;
  }[];
  const problems: string[] = [];
  const nonZero = (m: Map<string, number> | undefined) => [...(m ?? new Map<string, number>())].filter(([, c]) => c !== 0).sort();
  const sumOf = (m: Map<string, number> | undefined, part: (k: string) => boolean) => [...(m ?? new Map<string, number>())].filter(([k]) => part(k)).reduce((a, [, c]) => a + c, 0);
  const isMoney = (k: string) => k.startsWith('payment ');
  for (const p of payments) {
    if (p.kind === 'import') continue;
    const name = `payment ${p.id} (${p.kind}, ${p.status}, ${p.confirmation_number ?? p.idempotency_key})`;
    const want = intended.get(p.id);
    const have = standing.get(p.id);
    if (p.unapplied_cents !== 0) problems.push(`${name}: ${p.unapplied_cents} cents unapplied under the exact-payment rule`);
    if ((p.kind === 'card' || p.kind === 'bank') && (p.status === 'captured' || p.status === 'voided') && sumOf(want, isMoney) !== p.amount_cents) {
      problems.push(`${name}: charged ${p.amount_cents} cents but meant to apply ${sumOf(want, isMoney)}`);
    }
    const back = refunded.get(p.id) ?? 0;
    if (p.status === 'captured' && back === 0) {
      if (JSON.stringify(nonZero(have)) !== JSON.stringify(nonZero(want))) {
        problems.push(`${name}: stands at ${JSON.stringify(nonZero(have))}, meant ${JSON.stringify(nonZero(want))}`);
      }
    } else if (p.status === 'captured') {
      if (sumOf(have, isMoney) !== sumOf(want, isMoney) - back) {
        problems.push(`${name}: ${sumOf(have, isMoney)} cents stand after ${back} refunded of ${sumOf(want, isMoney)}`);
      }
    } else if (nonZero(have).length > 0) {
      problems.push(`${name}: a ${p.status} payment still has ${JSON.stringify(nonZero(have))} standing`);
    }
  }
  return problems;
}

describe('the crash test’s own checks', () => {
  it('counts records per key, so a key charged or posted twice is caught', () => {
    const once = [{ key: 'k1', amountCents: 500 }, { key: 'k2', amountCents: 700 }];
    expect(reconcileByKey('charge', once, [...once].reverse())).toEqual([]);
    expect(reconcileByKey('charge', [...once, { key: 'k1', amountCents: 500 }], once)).toEqual([
      'charge k1: the gateway has 2 (500, 500 cents), the ledger 1 (500 cents)',
    ]);
    expect(reconcileByKey('charge', once, [...once, { key: 'k2', amountCents: 700 }])).toEqual([
      'charge k2: the gateway has 1 (700 cents), the ledger 2 (700, 700 cents)',
    ]);
    expect(reconcileByKey('refund', once, [{ key: 'k1', amountCents: 499 }])).toEqual([
      'refund k1: the gateway has 1 (500 cents), the ledger 1 (499 cents)',
      'refund k2: the gateway has 1 (700 cents), the ledger 0 ( cents)',
    ]);
  });
});

describe('payments survive being killed at any moment', () => {
  it(
    `reconciles the gateway and the ledger one to one after ${KILLS} kills (CRASH_SEED=${SEED})`,
    async () => {
      onTestFailed(() => {
        keepFolder = true;
      });
      console.log(`crash test: CRASH_SEED=${SEED} CRASH_KILLS=${KILLS}`);
      const rand = mulberry32(SEED);
      const dir = tempDir('ar-desk-crash-');
      dirs.push(dir);
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      await seedLedger(dir, rand);
      const command = await bundleChild();

      let kills = 0;
      let starts = 0;
      let round = 0;
      const exits: string[] = [];
      /** Lines children printed about a repeated key answered differently, with where to look. */
      const mismatches: string[] = [];
      /** Planned kills that landed where planned: "pause charge", "stall recovery"... */
      const landed = new Map<string, number>();

      const runRound = async (plan: Plan): Promise<void> => {
        const env: Record<string, string> = { CRASH_CHILD_SEED: String(Math.floor(rand() * 2 ** 31)), CRASH_MAX_OPS: '400' };
        if (plan.mode === 'pause') {
          env.CRASH_PAUSE_OP = plan.op;
          env.CRASH_PAUSE_AT = String(plan.at);
        }
        if (plan.mode === 'stall') env.CRASH_STALL = plan.kind;
        const logFile = path.join(logs, `child-${round}.log`);
        const run = startChild(command, dir, env, logFile);
        starts += 1;
        let where: string | null = null;
        if (plan.mode === 'startup') {
          await sleep(Math.floor(rand() * 150));
        } else if (plan.mode === 'pause') {
          if ((await run.waitFor('paused', 4_000)) === 'paused') where = `pause ${plan.op}`;
        } else if (plan.mode === 'stall') {
          // Start-up recovery has nothing to write when the last child left nothing pending: "ready" then says so.
          const seen = await run.waitFor([`stalled ${plan.kind}`, ...(plan.kind === 'recovery' ? ['ready'] : [])], 4_000);
          if (seen === `stalled ${plan.kind}`) where = `stall ${plan.kind}`;
        } else {
          await run.waitFor('ready', 4_000);
          await sleep(Math.floor(rand() * 300));
        }
        const wasRunning = run.child.exitCode === null && run.child.signalCode === null;
        run.child.kill('SIGKILL');
        const exit = await run.exited;
        for (const line of run.lines.filter((l) => l.startsWith(MISMATCH_PREFIX))) {
          mismatches.push(`child ${round} (${logFile}): ${line}\n${logTail(logFile)}`);
        }
        if (wasRunning && exit.signal === 'SIGKILL') {
          kills += 1;
          if (where) landed.set(where, (landed.get(where) ?? 0) + 1);
        } else {
          exits.push(`round ${round}: code ${exit.code}`);
          expect(exit.code, `CRASH_SEED=${SEED}: child ${round} failed:\n${logTail(logFile)}`).toBe(0);
        }
        round += 1;
      };

      for (; kills < KILLS; ) {
        if (round > KILLS * 3) throw new Error(`CRASH_SEED=${SEED}: the child keeps exiting by itself (${exits.slice(-5).join('; ')})`);
        await runRound(randomPlan(rand));
      }

      // Every run lands at least one pause after each kind of gateway call and one kill inside each
      // kind of ledger transaction. What the random plan missed is planned now; a kill in recovery
      // needs something to recover, so a pause after a charge goes first.
      const required = [...PAUSE_OPS.map((op) => `pause ${op}`), ...STALL_KINDS.map((kind) => `stall ${kind}`)];
      const missing = () => required.filter((r) => !landed.has(r));
      const randomlyLanded = required.length - missing().length;
      let replanned = 0;
      for (let attempt = 0; missing().length > 0 && attempt < 8; attempt++) {
        for (const need of missing()) {
          const [mode, what] = need.split(' ') as ['pause' | 'stall', string];
          if (need === 'stall recovery') {
            await runRound({ mode: 'pause', op: 'charge', at: 1 });
            replanned += 1;
          }
          await runRound(mode === 'pause' ? { mode, op: what as PauseOp, at: 1 } : { mode, kind: what as StallKind });
          replanned += 1;
        }
      }
      expect(missing(), `CRASH_SEED=${SEED}: planned kills that never landed, even after ${replanned} re-planned rounds`).toEqual([]);

      for (const f of bundles.splice(0)) fs.rmSync(f, { force: true });

      // As the last killed process left the folder: WAL and shared-memory files included.
      const crashedScan = scanFolder(dir);

      // Whatever the last process left pending, settled the way the app does at start-up.
      const gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db') });
      const runtime = await openNodeRuntime({ ledgerPath: path.join(dir, 'ledger.db'), gateway, log: silentLogger, settings: memorySettingsStore() });
      const final = await recoverPendingPayments(runtime.core, { staleAfterMs: 0 });
      expect(final.stillPending, `CRASH_SEED=${SEED}`).toEqual({ payments: 0, reversals: 0 });
      const db = runtime.ledger.sqlite;

      const records = await gateway.records();
      const approved = (kind: 'charge' | 'refund' | 'void') =>
        records.filter((r) => r.kind === kind && r.outcome === 'approved').map((r) => ({ key: r.idempotencyKey, amountCents: r.amountCents }));
      const ledgerRows = (query: string) => db.prepare(query).all() as { key: string; amountCents: number }[];
      const chargeProblems = reconcileByKey(
        'charge',
        approved('charge'),
        ledgerRows(`SELECT idempotency_key AS key, amount_cents AS amountCents FROM payments WHERE kind IN ('card', 'bank') AND status IN ('captured', 'voided')`),
      );
      const refundProblems = reconcileByKey(
        'refund',
        approved('refund'),
        ledgerRows(`SELECT idempotency_key AS key, amount_cents AS amountCents FROM payment_reversals WHERE kind = 'refund' AND status = 'completed'`),
      );
      const voidProblems = reconcileByKey(
        'void',
        approved('void'),
        ledgerRows(
          `SELECT r.idempotency_key AS key, r.amount_cents AS amountCents FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
           WHERE r.kind = 'void' AND r.status = 'completed' AND p.kind <> 'credit_only'`,
        ),
      );
      const pending = db.prepare(`SELECT (SELECT count(*) FROM payments WHERE status = 'pending') AS p, (SELECT count(*) FROM payment_reversals WHERE status = 'pending') AS r`).get();
      const overpaid = db
        .prepare(`SELECT i.invoice_number FROM invoices i WHERE i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) < 0`)
        .all();
      const counts = db.prepare(`SELECT status, count(*) AS n FROM payments GROUP BY status ORDER BY status`).all();

      expect(mismatches, `CRASH_SEED=${SEED}: children saw a repeated key answered differently`).toEqual([]);
      expect(chargeProblems, `CRASH_SEED=${SEED}: ledger captured payments vs gateway charges, by key`).toEqual([]);
      expect(refundProblems, `CRASH_SEED=${SEED}: ledger refunds vs gateway refunds, by key`).toEqual([]);
      expect(voidProblems, `CRASH_SEED=${SEED}: ledger voids vs gateway voids, by key`).toEqual([]);
      expect(postingProblems(db), `CRASH_SEED=${SEED}: payments applied otherwise than intended`).toEqual([]);
      expect(pending).toEqual({ p: 0, r: 0 });
      expect(overpaid, `CRASH_SEED=${SEED}: invoices paid twice`).toEqual([]);
      expect(await ledgerProblems(runtime.ledger.db), `CRASH_SEED=${SEED}`).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      await runtime.close();
      gateway.close();
      const gw = new Database(path.join(dir, 'test-gateway.db'));
      expect(gw.pragma('integrity_check', { simple: true })).toBe('ok');
      gw.close();

      const closedScan = scanFolder(dir);
      const scan = { files: crashedScan.files + closedScan.files, bytes: crashedScan.bytes + closedScan.bytes, hits: [...crashedScan.hits, ...closedScan.hits] };
      const stored = [...storedCodes(path.join(dir, 'ledger.db')), ...storedCodes(path.join(dir, 'test-gateway.db'))];
      console.log(
        `crash test: ${kills} kills survived in ${starts} starts; landed as planned: ${JSON.stringify(Object.fromEntries([...landed].sort()))} ` +
          `(${randomlyLanded} of ${required.length} kinds by the random plan, ${replanned} rounds re-planned); ` +
          `${approved('charge').length} charges, ${approved('refund').length} refunds and ${approved('void').length} voids reconciled one to one by key and amount, ` +
          `payments by status ${JSON.stringify(counts)}, final recovery settled ${final.payments.length + final.reversals.length}; ` +
          `card-data scan of ${scan.files} files (${scan.bytes} bytes, before and after the final recovery): ${scan.hits.length + stored.length} hits`,
      );
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(approved('charge').length).toBeGreaterThan(0);
      expect(scan.hits, `CRASH_SEED=${SEED}`).toEqual([]);
      expect(stored, `CRASH_SEED=${SEED}`).toEqual([]);
    },
    600_000,
  );
});
