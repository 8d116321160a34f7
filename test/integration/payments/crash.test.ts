import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestGateway } from '../../../src/main/payments/test-gateway';
import { silentLogger } from '../../../src/main/log';
import { openNodeRuntime } from '../../../src/main/runtime';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import { openLedger } from '../../../src/main/db/connection';
import { ledgerProblems } from '../../helpers/payments-fixtures';
import { tempDir } from '../../helpers/runtime';
import { CRASH_BANK_ACCOUNTS, CRASH_CARDS, mulberry32 } from './crash-plan';

/**
 * Kills a process that takes payments with SIGKILL at seeded random moments (some exactly after
 * the gateway committed a charge, refund or void and before the ledger heard of it), lets the next
 * process recover, and checks at the end that the gateway's money and the ledger's match one to
 * one, that no invoice is paid twice, that both files are intact, that every invariant holds, and
 * that no card number or security code reached any file of the data folder.
 *
 * CRASH_KILLS sets the number of kills (200 when CI=true, 40 otherwise); CRASH_SEED replays a run.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? (process.env.CI === 'true' ? 200 : 40));
const SEED = Number(process.env.CRASH_SEED ?? crypto.randomInt(1, 2 ** 31));
const root = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const bundles: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
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
      external: ['better-sqlite3', '../documents/documents.service'],
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
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(line: string, timeoutMs: number): Promise<boolean>;
}

function startChild(command: string[], dir: string, env: Record<string, string>, logFile: string): ChildRun {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, CRASH_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const lines: string[] = [];
  const waiters: { line: string; resolve: (ok: boolean) => void }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    buffer += chunk.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.line === line)) w.resolve(true);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters) w.resolve(false);
      log.end(() => resolve({ code, signal }));
    }),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (line, timeoutMs) =>
      lines.includes(line)
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            waiters.push({ line, resolve });
            setTimeout(() => resolve(false), timeoutMs);
          }),
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

describe('payments survive being killed at any moment', () => {
  it(
    `reconciles the gateway and the ledger one to one after ${KILLS} kills (CRASH_SEED=${SEED})`,
    async () => {
      console.log(`crash test: CRASH_SEED=${SEED} CRASH_KILLS=${KILLS}`);
      const rand = mulberry32(SEED);
      const dir = tempDir('ar-desk-crash-');
      dirs.push(dir);
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      await seedLedger(dir, rand);
      const command = await bundleChild();

      let kills = 0;
      let pausedKills = 0;
      let starts = 0;
      const exits: string[] = [];
      for (let round = 0; kills < KILLS; round++) {
        if (round > KILLS * 3) throw new Error(`CRASH_SEED=${SEED}: the child keeps exiting by itself (${exits.slice(-5).join('; ')})`);
        const mode = rand();
        const env: Record<string, string> = { CRASH_CHILD_SEED: String(Math.floor(rand() * 2 ** 31)), CRASH_MAX_OPS: '400' };
        const pause = mode < 0.4;
        if (pause) {
          const op = rand();
          env.CRASH_PAUSE_OP = op < 0.75 ? 'charge' : op < 0.9 ? 'refund' : 'void';
          env.CRASH_PAUSE_AT = String(1 + Math.floor(rand() * (env.CRASH_PAUSE_OP === 'charge' ? 4 : 2)));
        }
        const run = startChild(command, dir, env, path.join(logs, `child-${round}.log`));
        starts += 1;
        if (mode >= 0.9) {
          // Somewhere in start-up: opening the files or settling what the last one left.
          await sleep(Math.floor(rand() * 150));
        } else if (pause) {
          await run.waitFor('paused', 4_000);
        } else {
          await run.waitFor('ready', 4_000);
          await sleep(Math.floor(rand() * 300));
        }
        const wasRunning = run.child.exitCode === null && run.child.signalCode === null;
        run.child.kill('SIGKILL');
        const exit = await run.exited;
        if (wasRunning && exit.signal === 'SIGKILL') {
          kills += 1;
          if (pause && run.lines.includes('paused')) pausedKills += 1;
        } else {
          exits.push(`round ${round}: code ${exit.code}`);
          expect(exit.code, `CRASH_SEED=${SEED}: child ${round} failed; see its log`).toBe(0);
        }
      }

      for (const f of bundles.splice(0)) fs.rmSync(f, { force: true });

      // As the last killed process left the folder: WAL and shared-memory files included.
      const crashedScan = scanFolder(dir);

      // Whatever the last process left pending, settled the way the app does at start-up.
      const gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db') });
      const runtime = await openNodeRuntime({ ledgerPath: path.join(dir, 'ledger.db'), gateway, log: silentLogger, settings: memorySettingsStore() });
      const final = await recoverPendingPayments(runtime.core, { staleAfterMs: 0 });
      expect(final.stillPending, `CRASH_SEED=${SEED}`).toEqual({ payments: 0, reversals: 0 });
      const db = runtime.ledger.sqlite;

      const records = gateway.records();
      const charged = new Map(records.filter((r) => r.kind === 'charge' && r.outcome === 'approved').map((r) => [r.idempotencyKey, r.amountCents]));
      const refunded = new Map(records.filter((r) => r.kind === 'refund' && r.outcome === 'approved').map((r) => [r.idempotencyKey, r.amountCents]));
      const voided = new Map(records.filter((r) => r.kind === 'void' && r.outcome === 'approved').map((r) => [r.idempotencyKey, r.amountCents]));
      const captured = new Map(
        (db.prepare(`SELECT idempotency_key AS k, amount_cents AS a FROM payments WHERE kind IN ('card', 'bank') AND status IN ('captured', 'voided')`).all() as { k: string; a: number }[]).map((r) => [r.k, r.a]),
      );
      const ledgerRefunds = new Map(
        (db.prepare(`SELECT idempotency_key AS k, amount_cents AS a FROM payment_reversals WHERE kind = 'refund' AND status = 'completed'`).all() as { k: string; a: number }[]).map((r) => [r.k, r.a]),
      );
      const ledgerVoids = new Map(
        (db.prepare(`SELECT r.idempotency_key AS k, r.amount_cents AS a FROM payment_reversals r JOIN payments p ON p.id = r.payment_id WHERE r.kind = 'void' AND r.status = 'completed' AND p.kind <> 'credit_only'`).all() as { k: string; a: number }[]).map((r) => [r.k, r.a]),
      );
      const pending = db.prepare(`SELECT (SELECT count(*) FROM payments WHERE status = 'pending') AS p, (SELECT count(*) FROM payment_reversals WHERE status = 'pending') AS r`).get();
      const overpaid = db
        .prepare(`SELECT i.invoice_number FROM invoices i WHERE i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) < 0`)
        .all();
      const counts = db.prepare(`SELECT status, count(*) AS n FROM payments GROUP BY status ORDER BY status`).all();

      expect([...captured].sort(), `CRASH_SEED=${SEED}: ledger captured payments vs gateway charges`).toEqual([...charged].sort());
      expect([...ledgerRefunds].sort(), `CRASH_SEED=${SEED}: ledger refunds vs gateway refunds`).toEqual([...refunded].sort());
      expect([...ledgerVoids].sort(), `CRASH_SEED=${SEED}: ledger voids vs gateway voids`).toEqual([...voided].sort());
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
        `crash test: ${kills} kills survived (${pausedKills} right after the gateway committed), ${starts} starts, ` +
          `${charged.size} charges, ${refunded.size} refunds and ${voided.size} voids reconciled one to one by key and amount, ` +
          `payments by status ${JSON.stringify(counts)}, final recovery settled ${final.payments.length + final.reversals.length}; ` +
          `card-data scan of ${scan.files} files (${scan.bytes} bytes, before and after the final recovery): ${scan.hits.length + stored.length} hits`,
      );
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(pausedKills, 'some kills land between the gateway and the ledger').toBeGreaterThan(0);
      expect(charged.size).toBeGreaterThan(0);
      expect(scan.hits, `CRASH_SEED=${SEED}`).toEqual([]);
      expect(stored, `CRASH_SEED=${SEED}`).toEqual([]);
    },
    300_000,
  );
});
