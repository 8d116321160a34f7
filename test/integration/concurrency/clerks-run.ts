import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { openNodeRuntime } from '../../../src/main/runtime';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { memorySecretStore } from '../../../src/main/documents/ports';
import { silentLogger } from '../../../src/main/log';
import { openTestGateway, type TestGatewayPlace } from '../../../src/main/payments/test-gateway';
import { createTestDatabase, type TestDatabase } from '../../helpers/engine';
import { tempDir } from '../../helpers/runtime';
import { mulberry32 } from '../payments/crash-plan';
import { RESULT_PREFIX, type ClerkReport, type Workload } from './clerks-plan';
import { officeFigures, officeFindings, type OfficeFindings } from './office-checks';

/**
 * Runs the clerk processes of ten-clerks.test.ts against a fresh office ledger and reads what they
 * left: the clerks' reports, the checks of office-checks.ts and the ledger's figures.
 */

/**
 * Where the clerks' test gateway keeps its state: the office's one gateway, in its own schema on
 * the ledger's PostgreSQL server, which every clerk process reaches. `{ file: path.join(dir,
 * 'test-gateway.db') }` instead runs them all on one SQLite file (WAL lets several processes share it).
 */
function gatewayPlace(_dir: string, database: TestDatabase): TestGatewayPlace {
  return { databaseUrl: database.url };
}

const root = path.resolve(import.meta.dirname, '../../..');

/** How long ten clerks may take to start (well over what two busy cores need). */
const START_TIMEOUT_MS = 120_000;

/**
 * The clerks never make a PDF, and fontkit's start-up (unpacking its data) was a third of a clerk's
 * start-up CPU: in the bundle it is loaded on first use instead of at start.
 */
const fontkitOnFirstUse: Plugin = {
  name: 'fontkit-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^@pdf-lib\/fontkit$/ }, (a) =>
      a.namespace === 'on-first-use' ? { path: a.path, external: true } : { path: a.path, namespace: 'on-first-use' },
    );
    build.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (a) => ({
      contents: `let real; export default new Proxy({}, { get: (_, key) => (real ??= require(${JSON.stringify(a.path)}))[key] });`,
      loader: 'js',
    }));
  },
};

/**
 * The clerk's program bundled once, packages included (all but the native ones, which load from
 * node_modules beside the bundle): ten processes then start with plain `node` on one file, about
 * half the CPU of loading the same code module by module, which counts on two cores.
 */
async function clerkCommand(dir: string): Promise<string[]> {
  const entry = path.join(import.meta.dirname, 'clerk-child.ts');
  try {
    const esbuild = await import('esbuild');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const outfile = path.join(dir, 'clerk-child.mjs');
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      external: ['better-sqlite3', '@node-rs/argon2', 'pg-native'],
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile,
      // The CommonJS packages inside an ES module bundle still call require() for Node's own modules.
      banner: { js: "import { createRequire as clerkRequire } from 'node:module'; const require = clerkRequire(import.meta.url);" },
      plugins: [fontkitOnFirstUse],
      logLevel: 'warning',
    });
    return [outfile];
  } catch (e) {
    console.warn(`ten clerks: bundling the clerk failed (${(e as Error).message}); running it with tsx`);
    return ['--import', 'tsx', entry];
  }
}

/** Customers, invoices and credit memos through the import service, as an office loads its books. */
async function seed(runtime: Awaited<ReturnType<typeof openNodeRuntime>>, workload: Workload, rand: () => number): Promise<void> {
  const customers = workload === 'race' ? 2 : 6;
  const invoicesEach = workload === 'race' ? 5 : 40;
  const creditsEach = workload === 'race' ? 5 : 4;
  const prefix = workload === 'race' ? 'RC' : 'CK';
  const dollars = (cents: number) => (cents / 100).toFixed(2);
  const customerRows = ['customer_number,legal_name'];
  const invoiceRows = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
  const creditRows = ['credit_number,customer_number,issue_date,amount,reason'];
  for (let c = 1; c <= customers; c++) {
    const number = `${prefix}${100 + c}`;
    customerRows.push(`${number},Clerks Customer ${c}`);
    for (let i = 1; i <= invoicesEach; i++) {
      // The race: every invoice and credit $100, so any credit covers any invoice and two clerks want the same ones.
      const cents = workload === 'race' ? 10_000 : (20 + Math.floor(rand() * 280)) * 100;
      const paid = workload === 'mixed' && rand() < 0.1 ? (5 + Math.floor(rand() * 10)) * 100 : 0;
      const month = String(1 + ((i - 1) % 10)).padStart(2, '0');
      const day = String(1 + Math.floor((i - 1) / 10)).padStart(2, '0');
      invoiceRows.push(`${number}-${i},${number},2026-${month}-${day},2026-${month}-${day},${dollars(cents)},${paid ? dollars(paid) : ''}`);
    }
    for (let k = 1; k <= creditsEach; k++) {
      const cents = workload === 'race' ? 10_000 : (50 + Math.floor(rand() * 350)) * 100;
      creditRows.push(`${number}-C${k},${number},2026-06-0${k},${dollars(cents)},Seeded credit`);
    }
  }
  for (const [kind, rows] of [
    ['customers', customerRows],
    ['invoices', invoiceRows],
    ['credits', creditRows],
  ] as const) {
    const r = await runtime.core.imports.importCsv(kind, rows.join('\n'), 'seed', { source: `${kind}.csv` });
    if (!r.ok) throw new Error(`seeding ${kind}: ${JSON.stringify(r.errors)}`);
  }
}

interface Clerk {
  child: ChildProcess;
  workstation: string;
  lines: string[];
  logFile: string;
  ready: Promise<boolean>;
  exited: Promise<number | null>;
}

function startClerk(command: string[], workstation: string, env: Record<string, string>, dir: string): Clerk {
  fs.mkdirSync(path.join(dir, workstation), { recursive: true });
  const { AR_DESK_TEST_NO_CUSTOMER_LOCK: _off, ...inherited } = process.env;
  const child = spawn(process.execPath, command, {
    env: { ...inherited, ...env, CLERKS_WORKSTATION: workstation, CLERKS_DIR: path.join(dir, workstation) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logFile = path.join(dir, `${workstation}.log`);
  const log = fs.createWriteStream(logFile);
  const lines: string[] = [];
  let buffer = '';
  let onReady: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      if (line === 'ready') onReady(true);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (buffer) lines.push(buffer);
      onReady(false);
      log.end(() => resolve(code));
    }),
  );
  return { child, workstation, lines, logFile, ready, exited };
}

function logTail(file: string, n = 20): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n') : '(no log)';
}

export interface ClerksRun {
  reports: ClerkReport[];
  findings: OfficeFindings;
  figures: Record<string, unknown>;
  /** Settled by the recovery run after the clerks stopped (what their timeouts left pending). */
  finallyRecovered: { payments: number; reversals: number };
  /** Wall time of the clerks' working period, from "go" until the last one stopped. */
  workedMs: number;
  /** Seeding the ledger, and then bundling and starting the clerks until every one was ready. */
  seededMs: number;
  startedMs: number;
}

export async function runClerks(options: { workload: Workload; seconds: number; clerks: number; seed: number; customerLocks: boolean }): Promise<ClerksRun> {
  const rand = mulberry32(options.seed);
  const database = await createTestDatabase();
  const dir = tempDir('ar-desk-clerks-');
  let keep = false;
  const place = gatewayPlace(dir, database);
  const open = async (gateway: ReturnType<typeof openTestGateway>) =>
    openNodeRuntime({
      ledgerPath: path.join(dir, 'office', 'ledger.db'),
      databaseUrl: database.url,
      workstation: 'ws-office',
      gateway,
      log: silentLogger,
      settings: memorySettingsStore(),
      secrets: memorySecretStore(),
    });
  const clerks: Clerk[] = [];
  const begun = Date.now();
  try {
    const seedGateway = openTestGateway({ ...place });
    const seeding = await open(seedGateway);
    await seed(seeding, options.workload, rand);
    await seeding.close();
    await seedGateway.close();

    const seededMs = Date.now() - begun;
    const command = await clerkCommand(dir);
    const env: Record<string, string> = {
      CLERKS_DATABASE_URL: database.url,
      CLERKS_GATEWAY: JSON.stringify(place),
      CLERKS_WORKLOAD: options.workload,
      CLERKS_DURATION_MS: String(options.seconds * 1000),
      ...(options.customerLocks ? {} : { AR_DESK_TEST_NO_CUSTOMER_LOCK: '1' }),
    };
    for (let n = 1; n <= options.clerks; n++) {
      clerks.push(startClerk(command, `ws-${n}`, { ...env, CLERKS_SEED: String(Math.floor(rand() * 2 ** 31)) }, dir));
    }
    const startup = new Promise<false>((resolve) => setTimeout(() => resolve(false), START_TIMEOUT_MS).unref());
    const ready = await Promise.all(clerks.map((c) => Promise.race([c.ready, startup])));
    const notReady = clerks.filter((_, i) => !ready[i]);
    if (notReady.length > 0) throw new Error(`clerks that did not start:\n${notReady.map((c) => `${c.workstation}:\n${logTail(c.logFile)}`).join('\n')}`);
    const started = Date.now();
    const startedMs = started - begun - seededMs;
    for (const c of clerks) c.child.stdin!.write('go\n');
    const overdue = setTimeout(() => clerks.forEach((c) => c.child.kill('SIGKILL')), options.seconds * 1000 + 30_000);
    const codes = await Promise.all(clerks.map((c) => c.exited));
    clearTimeout(overdue);
    const workedMs = Date.now() - started;

    const reports: ClerkReport[] = [];
    clerks.forEach((c, i) => {
      const line = c.lines.find((l) => l.startsWith(RESULT_PREFIX));
      if (codes[i] !== 0 || !line) throw new Error(`${c.workstation} exited with ${codes[i]} without its report:\n${logTail(c.logFile)}`);
      reports.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as ClerkReport);
    });

    // What the clerks' gateway timeouts left pending, settled as the office's recovery does once no clerk is mid-request.
    const gateway = openTestGateway({ ...place });
    const office = await open(gateway);
    try {
      const recovered = await office.core.payments.recover('ten-clerks.check', { staleAfterMs: 0 });
      const records = await gateway.records();
      const findings = await officeFindings(office.ledger.db, records);
      const figures = await officeFigures(office.ledger.db, records);
      return {
        reports,
        findings,
        figures,
        finallyRecovered: { payments: recovered.payments.length, reversals: recovered.reversals.length },
        workedMs,
        seededMs,
        startedMs,
      };
    } finally {
      await office.close();
      await gateway.close();
    }
  } catch (e) {
    keep = true;
    throw new Error(`${(e as Error).message}\n(clerks' logs kept in ${dir})`, { cause: e });
  } finally {
    for (const c of clerks) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await database.drop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
