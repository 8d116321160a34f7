/**
 * Speed of the clerk's everyday reads on a big generated ledger (figures, not pass/fail):
 *   npm run bench -- [--customers 50000] [--seed 42] [--as-of 2026-11-20] [--samples 500] [--reuse] [--db FILE] [--compare FILE]
 *                    [--database-url postgres://USER@HOST:PORT/bench_NAME]
 * Seeds a demo ledger (printing the seed time), then prints p50/p95 of lookups, account loads and
 * quotes, the full aging report (median of 3), the same report by one hand-written SQL query
 * through the plain driver and their ratio. Figures go to bench/results/latest.json too.
 * --reuse keeps the generated ledger (in the temp folder) and uses it again next time.
 *
 * It also writes every statement of the as-of date as a series of PDF files (bench/statements.ts), in a
 * process of its own (bench/statements-child.ts); --statements-only measures just that.
 *
 * The aging screen is also timed in Chromium through the HTTP bridge (bench/aging-screen.ts):
 * dev:web started on the same ledger, opening the screen, sorting by each column and filtering,
 * from click or keystroke to the first row on screen. --aging-screen-only measures just that
 * (its figures replace agingScreenInChromium in the engine's results file).
 *
 * --reads-only times just the lookups, account loads and quotes (p50/p95, printed only, no results
 * file written): the quick loop while working on one of those reads.
 *
 * With --database-url the same measurements run against PostgreSQL: the SQLite ledger is seeded
 * as without it (or reused), then copied into that database, which is dropped and re-created
 * first (its name must start with bench_; see postgres.ts) and dropped at the end unless --reuse.
 * The samples are drawn from the SQLite ledger in both cases, so both engines answer the same
 * questions. Figures go to bench/results/latest-postgres.json; `npx tsx bench/compare.ts` prints
 * the two files side by side.
 *
 * After the reads it writes: payments.submit and the confirmation PDF (p50/p95), then an hour of
 * the office in a process of its own (bench/day-child.ts) and that process's resident memory.
 * Start-up is timed from opening the ledger to the first lookup answered. --compare FILE prints
 * every timing and memory figure beside an earlier results file, with the ratio.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { fixedClock } from '../src/main/clock';
import { openLedger } from '../src/main/db/connection';
import { redactDatabaseUrl } from '../src/main/db/postgres';
import { silentLogger } from '../src/main/log';
import { openNodeRuntime, type NodeRuntime } from '../src/main/runtime';
import { memorySettingsStore } from '../src/main/settings/settings.store';
import { mulberry32, seedDemoLedger, type SeedSummary } from '../src/main/demo/seed';
import type { CopySummary } from '../src/main/demo/copy-to-postgres';
import { emailWords, nameWords } from '../src/main/ledger/search.rules';
import type { AgingReport } from '../src/shared/contract/aging';
import { addDays, isIsoDate } from '../src/shared/dates';
import { handWrittenAgingReport, handWrittenAgingReportPostgres } from './aging.handwritten';
import { measureAgingWindow, postgresFloor, printAgingWindow, sqliteFloor, type FloorQuery } from './aging-window';
import {
  benchDatabaseName,
  databaseUrlFor,
  describeServer,
  dropDatabase,
  plainClient,
  postgresLedgerFrom,
  recreateDatabase,
  serverCpuProbe,
} from './postgres';
import { bundledChild } from './child-bundle';
import { importBenchmark, printImportBenchmark } from './import';
import { mediansOf3Interleaved, timeEach, type Medians, type Timing } from './timing';
import { postingFigures, printComparison, type MemoryFigures } from './day';
import { spawnSync } from 'node:child_process';
import { printStatements, type StatementsSpeed } from './statements';
import { measureAgingScreen, printAgingScreen } from './aging-screen';

const here = path.dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '42' },
    'as-of': { type: 'string', default: '2026-11-20' },
    samples: { type: 'string', default: '500' },
    reuse: { type: 'boolean', default: false },
    db: { type: 'string' },
    'database-url': { type: 'string' },
    /** Only the billing run's figures (its own fresh ledger; no seeded ledger needed). */
    'billing-only': { type: 'boolean', default: false },
    /** An earlier results file: each figure is printed beside it with the ratio. */
    compare: { type: 'string' },
    /** Only the million-invoice CSV import (bench/import.ts; its own fresh ledger). */
    'import-only': { type: 'boolean', default: false },
    'import-rows': { type: 'string', default: '1000000' },
    /** Only the batch statements' figures, on the seeded ledger (copied to PostgreSQL with --database-url). */
    'statements-only': { type: 'boolean', default: false },
    /** Only the aging screen in Chromium (bench/aging-screen.ts), on the seeded ledger (copied to PostgreSQL with --database-url). */
    'aging-screen-only': { type: 'boolean', default: false },
    /** Only the timed reads (lookups, account loads, quotes), printed, on the seeded ledger (copied to PostgreSQL with --database-url). */
    'reads-only': { type: 'boolean', default: false },
  },
  strict: true,
});

const customers = Number(args.customers);
const seed = Number(args.seed);
const asOf = args['as-of'];
const samples = Number(args.samples);
if (!Number.isSafeInteger(customers) || customers < 1) throw new Error('--customers must be a positive whole number');
if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('--seed must be a whole number');
if (!isIsoDate(asOf)) throw new Error('--as-of must be YYYY-MM-DD');
if (!Number.isSafeInteger(samples) || samples < 10) throw new Error('--samples must be at least 10');

const ledgerPath = path.resolve(args.db ?? path.join(os.tmpdir(), 'ar-desk-bench', `ledger-${customers}-${seed}-${asOf}.db`));
const resultsDir = path.join(here, 'results');
const databaseUrl = args['database-url'];
if (databaseUrl !== undefined) benchDatabaseName(databaseUrl);
const engine = databaseUrl === undefined ? 'sqlite' : 'postgres';
/** On PostgreSQL this folder keeps only what belongs to the workstation (its id, its settings). */
const workstationLedgerPath = path.join(os.tmpdir(), 'ar-desk-bench', 'postgres-workstation', 'ledger.db');

async function openLedgerRuntime(): Promise<NodeRuntime> {
  return openNodeRuntime({
    ...(databaseUrl === undefined ? { ledgerPath } : { ledgerPath: workstationLedgerPath, databaseUrl }),
    clock: fixedClock(`${asOf}T17:00:00Z`),
    settings: memorySettingsStore({ timeZone: 'UTC' }),
    log: silentLogger,
  });
}

function removeLedger(): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${ledgerPath}${suffix}`, { force: true });
}

/**
 * One CSV import of 10,000 invoices (a third arriving part paid) into a fresh ledger of its own, as
 * a clerk's first import would run: how long the all-or-nothing write takes (target under 10 s).
 * On PostgreSQL the fresh ledger is a database of its own beside the benchmark's (NAME_import).
 */
async function importSpeed(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-bench-import-'));
  const importUrl = databaseUrl === undefined ? undefined : databaseUrlFor(databaseUrl, `${benchDatabaseName(databaseUrl)}_import`);
  if (importUrl) await recreateDatabase(importUrl);
  const rt = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
    databaseUrl: importUrl,
    clock: fixedClock(`${asOf}T17:00:00Z`),
    settings: memorySettingsStore({ timeZone: 'UTC' }),
    log: silentLogger,
  });
  try {
    await rt.core.imports.importCsv('customers', 'customer_number,legal_name\nCL1042,Harbor Lane Dental LLC\nAK5521,Akesson Bakery', 'bench');
    const lines = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
    for (let n = 0; n < 10_000; n++) {
      lines.push(`B-${n},${n % 2 ? 'CL1042' : 'AK5521'},2026-10-01,2026-10-31,${((1_000 + n) / 100).toFixed(2)},${n % 3 === 0 ? '5.00' : ''}`);
    }
    const started = performance.now();
    const r = await rt.core.imports.importCsv('invoices', lines.join('\n'), 'bench');
    const ms = performance.now() - started;
    if (!r.ok) throw new Error(`the benchmark's import was refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
    return ms;
  } finally {
    await rt.close();
    if (importUrl) await dropDatabase(importUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface BillingSpeed {
  subscriptions: number;
  importSubscriptionsMs: number;
  firstRunMs: number;
  invoicesMade: number;
  repeatRunMs: number;
  repeatInvoicesMade: number;
}

/**
 * The billing run at office scale, in a fresh ledger of its own (on PostgreSQL a database of its
 * own, NAME_billing): as many monthly subscriptions as the benchmark has customers, one each,
 * imported, then billed for the as-of date (target: 50,000 invoices in at most 30 s), then the
 * same date run again (target: at most 5 s, making nothing).
 */
async function billingSpeed(): Promise<BillingSpeed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-bench-billing-'));
  const billingUrl = databaseUrl === undefined ? undefined : databaseUrlFor(databaseUrl, `${benchDatabaseName(databaseUrl)}_billing`);
  if (billingUrl) await recreateDatabase(billingUrl);
  const rt = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
    databaseUrl: billingUrl,
    clock: fixedClock(`${asOf}T17:00:00Z`),
    settings: memorySettingsStore({ timeZone: 'UTC', defaultTaxRateBp: 825 }),
    log: silentLogger,
  });
  try {
    const people = ['customer_number,legal_name,terms_days'];
    const subs = ['customer_number,description,unit_price,quantity,taxable,period,start_date,end_date,anchor_day'];
    for (let n = 0; n < customers; n++) {
      const number = `SB${String(n).padStart(6, '0')}`;
      people.push(`${number},Subscriber ${n},30`);
      // Anchors spread over the month; every subscription has its period starting on the as-of date.
      subs.push(`${number},Managed service,${(20 + (n % 80)).toFixed(2)},${1 + (n % 3)},${n % 2 === 0},monthly,${asOf},,`);
    }
    const peopleResult = await rt.core.imports.importCsv('customers', people.join('\n'), 'bench');
    if (!peopleResult.ok) throw new Error(`the billing benchmark's customers were refused: ${JSON.stringify(peopleResult.errors.slice(0, 3))}`);
    let started = performance.now();
    const imported = await rt.core.subscriptions.importCsv(subs.join('\n'), 'bench');
    const importSubscriptionsMs = performance.now() - started;
    if (!imported.ok) throw new Error(`the billing benchmark's subscriptions were refused: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    started = performance.now();
    const first = await rt.core.billing.run({ asOf, dryRun: false }, 'bench');
    const firstRunMs = performance.now() - started;
    started = performance.now();
    const repeat = await rt.core.billing.run({ asOf, dryRun: false }, 'bench');
    const repeatRunMs = performance.now() - started;
    return { subscriptions: imported.subscriptions, importSubscriptionsMs, firstRunMs, invoicesMade: first.invoices.length, repeatRunMs, repeatInvoicesMade: repeat.invoices.length };
  } finally {
    await rt.close();
    if (billingUrl) await dropDatabase(billingUrl);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printBilling(billing: BillingSpeed): void {
  const fmt = (ms: number) => ms.toFixed(2).padStart(8);
  const verdict = (ms: number, target: number) => `${ms <= target ? 'met' : 'MISSED'}`;
  console.log(`${`import ${billing.subscriptions} subscriptions (ms)`.padEnd(52)} ${fmt(billing.importSubscriptionsMs)}`);
  console.log(`${`billing run: ${billing.invoicesMade} invoices (ms)`.padEnd(52)} ${fmt(billing.firstRunMs)}  <= 30000: ${verdict(billing.firstRunMs, 30_000)}`);
  console.log(`${`billing run again, same date: ${billing.repeatInvoicesMade} invoices (ms)`.padEnd(52)} ${fmt(billing.repeatRunMs)}  <= 5000: ${verdict(billing.repeatRunMs, 5_000)}`);
}

/** The simulated hour (bench/day.ts) in a child process that holds only the ledger, as the app's main process does. */
function dayInItsOwnProcess(): MemoryFigures {
  const ledgerArgs = databaseUrl === undefined ? ['--db', ledgerPath] : ['--database-url', databaseUrl];
  const r = spawnSync(process.execPath, [bundledChild('day-child'), ...ledgerArgs, '--as-of', asOf], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the simulated hour failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as MemoryFigures;
}

/** The batch statements in a process of their own (bench/statements-child.ts), so the peak memory is theirs alone; progress shown when asked. */
function statementsInTheirOwnProcess(showProgress: boolean): StatementsSpeed {
  const ledgerArgs = databaseUrl === undefined ? ['--db', ledgerPath] : ['--database-url', databaseUrl];
  const r = spawnSync(process.execPath, [bundledChild('statements-child'), ...ledgerArgs, '--as-of', asOf], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', showProgress ? 'inherit' : 'pipe'],
  });
  if (r.status !== 0) throw new Error(`the batch statements failed: ${(r.stderr ?? '').slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as StatementsSpeed;
}

/** The seeded SQLite ledger: the one measured on SQLite, and the source of the PostgreSQL copy. */
async function seededSqliteLedger(): Promise<{ seedSeconds: number | null; summary: SeedSummary | null }> {
  const reusable = args.reuse && fs.existsSync(ledgerPath);
  if (!reusable) removeLedger();
  const ledger = await openLedger(ledgerPath);
  try {
    const existing = ledger.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    if (existing > 0) {
      console.log(`Reusing ${ledgerPath} (${existing} customers)`);
      return { seedSeconds: null, summary: null };
    }
    console.log(`Seeding ${customers} customers (seed ${seed}, as of ${asOf}) into ${ledgerPath} ...`);
    const t = performance.now();
    const summary = await seedDemoLedger(ledger, { customers, seed, asOf, actor: 'bench' });
    const seedSeconds = (performance.now() - t) / 1000;
    console.log(`Seeded ${summary.customers} customers, ${summary.invoices} invoices in ${seedSeconds.toFixed(1)} s`);
    return { seedSeconds, summary };
  } finally {
    await ledger.close();
  }
}

interface Counts {
  customers: number;
  invoices: number;
  open_invoices: number;
  applications: number;
}

const COUNTS_SQL = `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM invoices) AS invoices,
  (SELECT count(*) FROM invoices WHERE status = 'open') AS open_invoices, (SELECT count(*) FROM applications) AS applications`;

/** The plain driver's side of the comparison: the hand-written aging query and the row counts, on the measured engine. */
interface PlainSide {
  label: string;
  aging(asOf: string): Promise<AgingReport>;
  /** One pass over the open invoices with their applied sums: the aging report's floor (aging-window.ts). */
  floor: FloorQuery;
  counts(): Promise<Counts>;
  close(): Promise<void>;
}

async function plainSide(rt: NodeRuntime): Promise<PlainSide> {
  if (databaseUrl === undefined) {
    const sqlite = rt.ledger.sqlite;
    return {
      label: 'better-sqlite3',
      aging: async (date) => handWrittenAgingReport(sqlite, date, 'due'),
      floor: sqliteFloor(sqlite),
      counts: async () => sqlite.prepare(COUNTS_SQL).get() as Counts,
      close: async () => undefined,
    };
  }
  const client: pg.Client = await plainClient(databaseUrl);
  return {
    label: 'pg',
    aging: (date) => handWrittenAgingReportPostgres(client, date, 'due'),
    floor: postgresFloor(client),
    counts: async () => (await client.query<Counts>(COUNTS_SQL)).rows[0]!,
    close: () => client.end(),
  };
}

async function main(): Promise<void> {
  if (args['billing-only']) {
    printBilling(await billingSpeed());
    return;
  }
  const bigImport = () => importBenchmark({ rows: Number(args['import-rows']), customers, asOf, databaseUrl });
  if (args['import-only']) {
    printImportBenchmark(await bigImport());
    return;
  }
  const { seedSeconds, summary } = await seededSqliteLedger();
  // Samples and the copy read the SQLite ledger through a connection of their own.
  const source = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  let copy: CopySummary | null = null;
  if (databaseUrl !== undefined) {
    copy = await postgresLedgerFrom(source, databaseUrl, args.reuse);
    if (copy) console.log(`Copied ${copy.rows} rows in ${copy.seconds.toFixed(1)} s (VACUUM ANALYZE ${copy.vacuumSeconds.toFixed(1)} s)`);
    else console.log(`Reusing ${redactDatabaseUrl(databaseUrl)}`);
  }
  if (args['statements-only']) {
    try {
      console.log(`Writing every statement as of ${asOf} (${engine}, in a process of their own) ...`);
      printStatements(statementsInTheirOwnProcess(true));
    } finally {
      source.close();
      if (!args.reuse) {
        removeLedger();
        if (databaseUrl !== undefined) await dropDatabase(databaseUrl);
      }
    }
    return;
  }
  if (args['aging-screen-only']) {
    const rt = await openLedgerRuntime();
    try {
      const figures = await measureAgingScreen(rt, screenLedger(), { onProgress: (line) => console.log(line) });
      printAgingScreen(figures);
      // The other figures of the engine's results file stay as its last full run left them.
      const resultsFile = path.join(resultsDir, engine === 'sqlite' ? 'latest.json' : 'latest-postgres.json');
      const earlier = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
      fs.mkdirSync(resultsDir, { recursive: true });
      fs.writeFileSync(resultsFile, `${JSON.stringify({ ...earlier, agingScreenInChromium: { at: new Date().toISOString(), ...figures } }, null, 2)}\n`);
      console.log(`\nWrote agingScreenInChromium in ${path.relative(process.cwd(), resultsFile)}`);
    } finally {
      await rt.close();
      source.close();
      if (!args.reuse) {
        removeLedger();
        if (databaseUrl !== undefined) await dropDatabase(databaseUrl);
      }
    }
    return;
  }

  // Start-up: opening the ledger must not wait for the whole-file check, which finishes on its own thread.
  const openStarted = performance.now();
  const rt = await openLedgerRuntime();
  const openMs = performance.now() - openStarted;
  // Start-up as the clerk sees it: from opening the ledger to the first lookup answered.
  const firstLookup = await rt.core.lookup.search({ query: 'CL1' });
  const firstLookupMs = performance.now() - openStarted;
  if (firstLookup.results.length === 0) console.log('(the first lookup found nothing)');
  const startCheck = await rt.ledger.health.verdict;
  const checkMs = performance.now() - openStarted;
  const { core } = rt;
  const plain = await plainSide(rt);
  const counts = await plain.counts();
  const server = databaseUrl === undefined ? null : await describePostgres(databaseUrl);
  // On PostgreSQL the queries' work is in the server's processes, read when the server is on this machine.
  const meter = databaseUrl === undefined ? null : await serverCpuProbe(databaseUrl);
  const probe = meter?.probe;
  const time = <T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>) => timeEach(inputs, fn, probe);

  // Deterministic samples drawn from the ledger itself.
  const random = mulberry32(seed ^ 0x9e3779b9);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const all = source.prepare('SELECT customer_number, legal_name, phone, billing_contact, email FROM customers').all() as {
    customer_number: string;
    legal_name: string;
    phone: string | null;
    billing_contact: string | null;
    email: string | null;
  }[];
  const withOpen = source
    .prepare(`SELECT DISTINCT c.customer_number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.status = 'open' AND i.disputed = 0`)
    .pluck()
    .all() as string[];
  const maxInvoiceId = (source.prepare('SELECT max(id) FROM invoices').pluck().get() as number) ?? 0;
  const invoiceNumberOf = source.prepare('SELECT invoice_number FROM invoices WHERE id >= ? ORDER BY id LIMIT 1').pluck();

  const n = samples;
  const numberQueries = Array.from({ length: n }, () => {
    const c = pick(all).customer_number;
    return random() < 0.5 ? c : c.toLowerCase();
  });
  const nameQueries = Array.from({ length: n }, () => {
    const words = nameWords(pick(all).legal_name);
    const word = words[0] ?? 'a';
    return word.slice(0, Math.min(word.length, 3 + Math.floor(random() * 4)));
  });
  const phones = all.filter((c) => c.phone !== null).map((c) => c.phone!);
  const phoneQueries = Array.from({ length: n }, () => {
    const phone = pick(phones);
    const digits = phone.replace(/\D+/g, '');
    // Half typed as the local number only ("555-0142"), half as stored.
    return random() < 0.5 ? `${digits.slice(-7, -4)}-${digits.slice(-4)}` : phone;
  });
  const invoiceQueries = Array.from({ length: n }, () => {
    const number = invoiceNumberOf.get(1 + Math.floor(random() * maxInvoiceId)) as string;
    return random() < 0.5 ? number : number.toLowerCase();
  });
  const accountCustomers = Array.from({ length: n }, () => pick(withOpen));
  // Drawn last, so the samples above stay the same as before these were added.
  const contactOrEmailQueries = Array.from({ length: n }, () => {
    const c = pick(all);
    const words = c.billing_contact && random() < 0.5 ? nameWords(c.billing_contact) : emailWords(c.email ?? c.legal_name);
    const word = words[words.length - 1] ?? 'a';
    return word.slice(0, Math.min(word.length, 3 + Math.floor(random() * 4)));
  });

  const lookup = (query: string) => core.lookup.search({ query });
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const timings: Record<string, Timing> = {};
  console.log(`Timing ${n} samples each ...`);
  timings['lookup: customer number'] = await time(numberQueries, lookup);
  timings['lookup: name prefix'] = await time(nameQueries, lookup);
  timings['lookup: phone'] = await time(phoneQueries, lookup);
  timings['lookup: invoice number'] = await time(invoiceQueries, lookup);
  timings['lookup: contact or email word'] = await time(contactOrEmailQueries, lookup);
  timings['account load (customers.account + aging.customer)'] = await time(accountCustomers, async (customerNumber) => {
    await core.customers.account(customerNumber);
    await core.aging.customer({ customerNumber });
  });
  timings['  customers.account alone'] = await time(accountCustomers, (customerNumber) => core.customers.account(customerNumber));
  timings['  aging.customer alone'] = await time(accountCustomers, (customerNumber) => core.aging.customer({ customerNumber }));
  timings['quote (payments.quote, Pay All)'] = await time(accountCustomers, (customerNumber) =>
    core.payments.quote({ customerNumber, invoiceNumbers: 'all', creditNumbers: [] }),
  );
  if (args['reads-only']) {
    console.log(`Engine: ${engine}; load average ${loadBefore} -> ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
    printTimings(timings);
    await plain.close();
    await meter?.close();
    await rt.close();
    source.close();
    return;
  }

  // The full report: ours through Kysely, then the hand-written query; both must agree.
  const ours = await core.aging.report({ asOf });
  const theirs = await plain.aging(asOf);
  const agree = JSON.stringify(ours) === JSON.stringify(theirs);
  // On PostgreSQL, also the same figures as the SQLite ledger it was copied from.
  const sameAsSqlite = engine === 'postgres' ? JSON.stringify(ours) === JSON.stringify(handWrittenAgingReport(source, asOf, 'due')) : null;
  // From nothing kept each time, as a first report (the kept sums are measured in bench/aging-window.ts).
  const coldReport = (date: string) => {
    core.aging.forgetKept();
    return core.aging.report({ asOf: date });
  };
  const [aging, hand] = await mediansOf3Interleaved(
    () => coldReport(asOf),
    () => plain.aging(asOf),
    probe,
  );
  const agingScreen = await measureAgingWindow(rt, plain.floor, asOf, 'dental');
  // The same screen in Chromium, dev:web serving it from a process of its own on this ledger.
  const agingScreenInChromium = await measureAgingScreen(rt, screenLedger());
  // Writes: payments (and their PDFs), then an hour of the office; after every read above.
  const posted = [...new Set(accountCustomers)].slice(0, 300);
  const posting = await postingFigures(rt, posted, probe);
  const day = dayInItsOwnProcess();
  const importMs = await importSpeed();
  const billing = await billingSpeed();
  const millionImport = await bigImport();
  const statements = statementsInTheirOwnProcess(false);
  const yearAgo = addDays(asOf, -365);
  const [agingYearAgo, handYearAgo] = await mediansOf3Interleaved(
    () => coldReport(yearAgo),
    () => plain.aging(yearAgo),
    probe,
  );

  console.log('');
  console.log(server === null ? `Engine: SQLite, ${ledgerPath}` : `Engine: PostgreSQL, ${redactDatabaseUrl(databaseUrl!)}: ${server}`);
  console.log(`Ledger: ${counts.customers} customers, ${counts.invoices} invoices (${counts.open_invoices} open), ${counts.applications} applications`);
  if (seedSeconds !== null) console.log(`Seed: ${seedSeconds.toFixed(1)} s wall (target < 120 s)`);
  if (copy !== null) {
    console.log(`Copy to PostgreSQL: ${copy.seconds.toFixed(1)} s wall for ${copy.rows} rows (of which VACUUM ANALYZE ${copy.vacuumSeconds.toFixed(1)} s; triggers off by ${copy.triggersOff})`);
  }
  if (engine === 'sqlite') {
    console.log(`Start: ledger open in ${openMs.toFixed(0)} ms; whole-file quick_check ${startCheck.ok ? 'ok' : 'FOUND DAMAGE'} after ${checkMs.toFixed(0)} ms (on its own thread)`);
  } else {
    console.log(`Start: ledger open (connect, schema check) in ${openMs.toFixed(0)} ms`);
  }
  console.log(`Start-up to the first lookup answered: ${firstLookupMs.toFixed(0)} ms (target <= 1000: ${verdict(firstLookupMs, 1000)})`);
  console.log(`Load average while measuring: ${loadBefore} -> ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log('');
  printTimings(timings);
  console.log('');
  console.log(`${'aging report (median of 3, ms)'.padEnd(52)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}${srvHead('srv cpu')}`);
  const agingRow = (label: string, m: Medians, note = '') => console.log(`${label.padEnd(52)} ${fmt(m.wall)} ${fmt(m.cpu)}${srv(m.server)}  ${note}`);
  const serverRatio = (a: Medians, b: Medians) => (a.server === null || b.server === null || b.server === 0 ? null : a.server / b.server);
  const ratioText = (x: number | null) => (x === null ? '-' : x.toFixed(2)).padStart(8);
  agingRow(`ours, as of ${asOf}`, aging, `<= 1500: ${verdict(aging.wall, 1500)} / ${verdict(aging.cpu, 1500)}`);
  agingRow(`  one hand-written SQL query, ${plain.label}`, hand);
  // On PostgreSQL most of the cost is the server's: the CPU verdict there is on this process and the server together.
  const totalCpu = (m: Medians) => m.cpu + (m.server ?? 0);
  const ratio = { wall: aging.wall / hand.wall, cpu: aging.cpu / hand.cpu, server: serverRatio(aging, hand), totalCpu: totalCpu(aging) / totalCpu(hand) };
  const cpuVerdict = engine === 'postgres' && ratio.server !== null ? `${verdict(ratio.totalCpu, 1.3)} (cpu + srv cpu: ${ratio.totalCpu.toFixed(2)})` : verdict(ratio.cpu, 1.3);
  console.log(
    `${'  ratio ours / hand-written'.padEnd(52)} ${ratioText(ratio.wall)} ${ratioText(ratio.cpu)}${engine === 'sqlite' ? '' : ` ${ratioText(ratio.server)}`}  <= 1.3: ${verdict(ratio.wall, 1.3)} / ${cpuVerdict}`,
  );
  console.log(`${'  same figures as the hand-written query'.padEnd(52)} ${(agree ? 'yes' : 'NO').padStart(8)}`);
  if (sameAsSqlite !== null) console.log(`${'  same figures as the SQLite ledger'.padEnd(52)} ${(sameAsSqlite ? 'yes' : 'NO').padStart(8)}`);
  agingRow(`ours, as of ${yearAgo}`, agingYearAgo);
  agingRow(`  one hand-written SQL query, ${plain.label}`, handYearAgo);
  console.log(
    `${'  ratio ours / hand-written'.padEnd(52)} ${ratioText(agingYearAgo.wall / handYearAgo.wall)} ${ratioText(agingYearAgo.cpu / handYearAgo.cpu)}${engine === 'sqlite' ? '' : ` ${ratioText(serverRatio(agingYearAgo, handYearAgo))}`}`,
  );

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version },
    engine,
    server,
    ledger: { path: databaseUrl === undefined ? ledgerPath : redactDatabaseUrl(databaseUrl), source: ledgerPath, seed, asOf, ...counts },
    seedSeconds,
    copy,
    start: { openMs, firstLookupMs, quickCheckMs: checkMs, quickCheckOk: startCheck.ok },
    posting,
    day,
    seedSummary: summary,
    timingsMs: timings,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    importTenThousandInvoicesMs: importMs,
    billing,
    millionImport,
    statements,
    aging: {
      asOf,
      oursMs: aging,
      handWrittenMs: hand,
      ratio,
      sameFigures: agree,
      sameAsSqlite,
      customersInReport: ours.customers.length,
      totals: ours.totals,
      yearEarlier: { asOf: yearAgo, oursMs: agingYearAgo, handWrittenMs: handYearAgo },
    },
    agingScreen,
    agingScreenInChromium,
  };
  const resultsFile = path.join(resultsDir, engine === 'sqlite' ? 'latest.json' : 'latest-postgres.json');
  // Read before this run's results are written: the earlier run may be the file about to be replaced.
  const earlier: unknown = args.compare ? JSON.parse(fs.readFileSync(args.compare, 'utf8')) : null;
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  printAgingWindow(agingScreen);
  printAgingScreen(agingScreenInChromium);
  console.log('');
  console.log(`${'import 10,000 invoices into a new ledger (ms)'.padEnd(52)} ${fmt(importMs)}  <= 10000: ${verdict(importMs, 10_000)}`);
  printBilling(billing);
  console.log('');
  console.log(`${`payments.submit, ${posting.payments} payments (p50 / p95 ms)`.padEnd(52)} ${fmt(posting.submit.p50)} ${fmt(posting.submit.p95)}  ${engine === 'sqlite' ? `<= 15: ${verdict(posting.submit.p95, 15)}` : '(the 15 ms target is SQLite\'s; this is PostgreSQL\'s figure beside it)'}`);
  console.log(`${'confirmation PDF (p50 / p95 ms)'.padEnd(52)} ${fmt(posting.confirmationPdf.p50)} ${fmt(posting.confirmationPdf.p95)}  <= 50: ${verdict(posting.confirmationPdf.p95, 50)}`);
  const o = day.operations;
  console.log(
    `${'an hour of the office in this process'.padEnd(52)} ${day.seconds.toFixed(1)} s: ${o.lookups} lookups, ${o.accountLoads} account loads, ${o.quotes} quotes, ${o.payments} payments + PDFs, ${o.agingReports} aging reports, ${o.statements} statements`,
  );
  console.log(`${'  resident memory after it (MB)'.padEnd(52)} ${fmt(day.rssMbAfter)}  (before ${day.rssMbBefore}, peak ${day.rssMbPeak}, heap used ${day.heapUsedMbAfter}) <= 300: ${verdict(day.rssMbAfter, 300)}`);
  printImportBenchmark(millionImport);
  printStatements(statements);
  console.log(`\nWrote ${path.relative(process.cwd(), resultsFile)}`);
  if (earlier) printComparison(result, earlier, args.compare!);
  await plain.close();
  await meter?.close();
  await rt.close();
  source.close();
  if (!args.reuse) {
    removeLedger();
    if (databaseUrl !== undefined) await dropDatabase(databaseUrl);
  }
}

const targets: Record<string, number> = {
  'lookup: customer number': 10,
  'lookup: name prefix': 10,
  'lookup: phone': 10,
  'lookup: invoice number': 10,
  'lookup: contact or email word': 10,
  'account load (customers.account + aging.customer)': 15,
  'quote (payments.quote, Pay All)': 5,
};
const fmt = (ms: number) => ms.toFixed(2).padStart(8);
// The server's CPU column, on PostgreSQL only: a mean per call for the series, a median for the report.
const srv = (ms: number | null) => (engine === 'sqlite' ? '' : ` ${ms === null ? '-'.padStart(8) : fmt(ms)}`);
const srvHead = (label: string) => (engine === 'sqlite' ? '' : ` ${label.padStart(8)}`);
const verdict = (ms: number, target: number) => `${ms <= target ? 'met' : 'MISSED'}`;

/** The timed reads' table: p50/p95 wall and CPU, the server's CPU on PostgreSQL, and each target's verdict. */
function printTimings(timings: Record<string, Timing>): void {
  if (engine === 'postgres') console.log('cpu: this process; srv cpu: the server\'s processes for this database (mean per call; - when not readable)');
  console.log(
    `${'operation'.padEnd(52)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'cpu p50'.padStart(8)} ${'cpu p95'.padStart(8)}${srvHead('srv cpu')}  target p95 (ms): wall / cpu`,
  );
  for (const [name, t] of Object.entries(timings)) {
    const target = targets[name];
    const note = target === undefined ? '' : `<= ${target}: ${verdict(t.p95, target)} / ${verdict(t.cpuP95, target)}`;
    console.log(`${name.padEnd(52)} ${fmt(t.p50)} ${fmt(t.p95)} ${fmt(t.cpuP50)} ${fmt(t.cpuP95)}${srv(t.serverCpuMean)}  ${note}`);
  }
}

/** The ledger dev:web serves for the aging screen in Chromium: the measured one. */
function screenLedger(): { ledgerPath?: string; databaseUrl?: string } {
  return databaseUrl === undefined ? { ledgerPath } : { databaseUrl };
}

async function describePostgres(url: string): Promise<string> {
  const client = await plainClient(url);
  try {
    return await describeServer(client);
  } finally {
    await client.end();
  }
}

await main();
