/**
 * Speed of the clerk's everyday reads on a big generated ledger (figures, not pass/fail):
 *   npm run bench -- [--customers 50000] [--seed 42] [--as-of 2026-11-20] [--samples 500] [--reuse] [--db FILE]
 * Seeds a demo ledger (printing the seed time), then prints p50/p95 of lookups, account loads and
 * quotes, the full aging report (median of 3), the same report by one hand-written SQL query
 * through better-sqlite3 and their ratio. Figures go to bench/results/latest.json too.
 * --reuse keeps the generated ledger (in the temp folder) and uses it again next time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/main/clock';
import { silentLogger } from '../src/main/log';
import { openNodeRuntime, type NodeRuntime } from '../src/main/runtime';
import { memorySettingsStore } from '../src/main/settings/settings.store';
import { mulberry32, seedDemoLedger, type SeedSummary } from '../src/main/demo/seed';
import { emailWords, nameWords } from '../src/main/ledger/search.rules';
import { addDays, isIsoDate } from '../src/shared/dates';
import { handWrittenAgingReport } from './aging.handwritten';

const here = path.dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '42' },
    'as-of': { type: 'string', default: '2026-11-20' },
    samples: { type: 'string', default: '500' },
    reuse: { type: 'boolean', default: false },
    db: { type: 'string' },
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

/**
 * Wall-clock figures are what a clerk feels; CPU figures (this process's user + system time) are
 * what the code costs, and stay meaningful when other programs are busy on the same machine.
 */
interface Timing {
  p50: number;
  p95: number;
  cpuP50: number;
  cpuP95: number;
  samples: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const byValue = (x: number, y: number) => x - y;

/** Wall and CPU milliseconds of one call. */
async function measure(fn: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function timeEach<T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>): Promise<Timing> {
  // A few untimed calls first, so the figures are of a warm process.
  for (const input of inputs.slice(0, 20)) await fn(input);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const input of inputs) {
    const m = await measure(() => fn(input));
    wall.push(m.wall);
    cpu.push(m.cpu);
  }
  wall.sort(byValue);
  cpu.sort(byValue);
  return { p50: percentile(wall, 50), p95: percentile(wall, 95), cpuP50: percentile(cpu, 50), cpuP95: percentile(cpu, 95), samples: wall.length };
}

interface Medians {
  wall: number;
  cpu: number;
}

/** Median of 3 runs of each, taken in turns so a busy machine slows both alike. */
async function mediansOf3Interleaved(a: () => Promise<unknown> | unknown, b: () => Promise<unknown> | unknown): Promise<[Medians, Medians]> {
  const runs: { wall: number; cpu: number }[][] = [[], []];
  for (let i = 0; i < 3; i++) {
    runs[0]!.push(await measure(a));
    runs[1]!.push(await measure(b));
  }
  const median = (xs: number[]) => xs.sort(byValue)[1]!;
  return runs.map((r) => ({ wall: median(r.map((x) => x.wall)), cpu: median(r.map((x) => x.cpu)) })) as [Medians, Medians];
}

async function openLedgerRuntime(): Promise<NodeRuntime> {
  return openNodeRuntime({
    ledgerPath,
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
 */
async function importSpeed(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-bench-import-'));
  const rt = await openNodeRuntime({
    ledgerPath: path.join(dir, 'ledger.db'),
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
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let seedSeconds: number | null = null;
  let summary: SeedSummary | null = null;
  const reusable = args.reuse && fs.existsSync(ledgerPath);
  if (!reusable) removeLedger();
  let rt = await openLedgerRuntime();
  const existing = (rt.ledger.sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  if (existing === 0) {
    console.log(`Seeding ${customers} customers (seed ${seed}, as of ${asOf}) into ${ledgerPath} ...`);
    const t = performance.now();
    summary = await seedDemoLedger(rt.ledger, { customers, seed, asOf, actor: 'bench' });
    seedSeconds = (performance.now() - t) / 1000;
    console.log(`Seeded ${summary.customers} customers, ${summary.invoices} invoices in ${seedSeconds.toFixed(1)} s`);
    // Measure reads on a freshly opened ledger, as the app would see it after a restart.
    await rt.close();
    rt = await openLedgerRuntime();
  } else {
    console.log(`Reusing ${ledgerPath} (${existing} customers)`);
  }
  // Start-up: opening the ledger must not wait for the whole-file check, which finishes on its own thread.
  await rt.close();
  const openStarted = performance.now();
  rt = await openLedgerRuntime();
  const openMs = performance.now() - openStarted;
  const startCheck = await rt.ledger.health.verdict;
  const checkMs = performance.now() - openStarted;
  const { core, ledger } = rt;
  const sqlite = ledger.sqlite;
  const counts = sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM invoices) AS invoices,
        (SELECT count(*) FROM invoices WHERE status = 'open') AS open_invoices, (SELECT count(*) FROM applications) AS applications`,
    )
    .get() as { customers: number; invoices: number; open_invoices: number; applications: number };

  // Deterministic samples drawn from the ledger itself.
  const random = mulberry32(seed ^ 0x9e3779b9);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const all = sqlite.prepare('SELECT customer_number, legal_name, phone, billing_contact, email FROM customers').all() as {
    customer_number: string;
    legal_name: string;
    phone: string | null;
    billing_contact: string | null;
    email: string | null;
  }[];
  const withOpen = sqlite
    .prepare(`SELECT DISTINCT c.customer_number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.status = 'open' AND i.disputed = 0`)
    .pluck()
    .all() as string[];
  const maxInvoiceId = (sqlite.prepare('SELECT max(id) FROM invoices').pluck().get() as number) ?? 0;
  const invoiceNumberOf = sqlite.prepare('SELECT invoice_number FROM invoices WHERE id >= ? ORDER BY id LIMIT 1').pluck();

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
  timings['lookup: customer number'] = await timeEach(numberQueries, lookup);
  timings['lookup: name prefix'] = await timeEach(nameQueries, lookup);
  timings['lookup: phone'] = await timeEach(phoneQueries, lookup);
  timings['lookup: invoice number'] = await timeEach(invoiceQueries, lookup);
  timings['lookup: contact or email word'] = await timeEach(contactOrEmailQueries, lookup);
  timings['account load (customers.account + aging.customer)'] = await timeEach(accountCustomers, async (customerNumber) => {
    await core.customers.account(customerNumber);
    await core.aging.customer({ customerNumber });
  });
  timings['  customers.account alone'] = await timeEach(accountCustomers, (customerNumber) => core.customers.account(customerNumber));
  timings['  aging.customer alone'] = await timeEach(accountCustomers, (customerNumber) => core.aging.customer({ customerNumber }));
  timings['quote (payments.quote, Pay All)'] = await timeEach(accountCustomers, (customerNumber) =>
    core.payments.quote({ customerNumber, invoiceNumbers: 'all', creditNumbers: [] }),
  );

  // The full report: ours through Kysely, then the hand-written query; both must agree.
  const ours = await core.aging.report({ asOf });
  const theirs = handWrittenAgingReport(sqlite, asOf, 'due');
  const agree = JSON.stringify(ours) === JSON.stringify(theirs);
  const [aging, hand] = await mediansOf3Interleaved(
    () => core.aging.report({ asOf }),
    () => handWrittenAgingReport(sqlite, asOf, 'due'),
  );
  const importMs = await importSpeed();
  const yearAgo = addDays(asOf, -365);
  const [agingYearAgo, handYearAgo] = await mediansOf3Interleaved(
    () => core.aging.report({ asOf: yearAgo }),
    () => handWrittenAgingReport(sqlite, yearAgo, 'due'),
  );

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
  const verdict = (ms: number, target: number) => `${ms <= target ? 'met' : 'MISSED'}`;
  console.log('');
  console.log(`Ledger: ${counts.customers} customers, ${counts.invoices} invoices (${counts.open_invoices} open), ${counts.applications} applications`);
  if (seedSeconds !== null) console.log(`Seed: ${seedSeconds.toFixed(1)} s wall (target < 120 s)`);
  console.log(`Start: ledger open in ${openMs.toFixed(0)} ms; whole-file quick_check ${startCheck.ok ? 'ok' : 'FOUND DAMAGE'} after ${checkMs.toFixed(0)} ms (on its own thread)`);
  console.log(`Load average while measuring: ${loadBefore} -> ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log('');
  console.log(`${'operation'.padEnd(52)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'cpu p50'.padStart(8)} ${'cpu p95'.padStart(8)}  target p95 (ms): wall / cpu`);
  for (const [name, t] of Object.entries(timings)) {
    const target = targets[name];
    const note = target === undefined ? '' : `<= ${target}: ${verdict(t.p95, target)} / ${verdict(t.cpuP95, target)}`;
    console.log(`${name.padEnd(52)} ${fmt(t.p50)} ${fmt(t.p95)} ${fmt(t.cpuP50)} ${fmt(t.cpuP95)}  ${note}`);
  }
  console.log('');
  console.log(`${'aging report (median of 3, ms)'.padEnd(52)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}`);
  const agingRow = (label: string, m: Medians, note = '') => console.log(`${label.padEnd(52)} ${fmt(m.wall)} ${fmt(m.cpu)}  ${note}`);
  agingRow(`ours, as of ${asOf}`, aging, `<= 1500: ${verdict(aging.wall, 1500)} / ${verdict(aging.cpu, 1500)}`);
  agingRow('  one hand-written SQL query, better-sqlite3', hand);
  const ratio = { wall: aging.wall / hand.wall, cpu: aging.cpu / hand.cpu };
  console.log(`${'  ratio ours / hand-written'.padEnd(52)} ${ratio.wall.toFixed(2).padStart(8)} ${ratio.cpu.toFixed(2).padStart(8)}  <= 1.3: ${verdict(ratio.wall, 1.3)} / ${verdict(ratio.cpu, 1.3)}`);
  console.log(`${'  same figures as the hand-written query'.padEnd(52)} ${(agree ? 'yes' : 'NO').padStart(8)}`);
  agingRow(`ours, as of ${yearAgo}`, agingYearAgo);
  agingRow('  one hand-written SQL query, better-sqlite3', handYearAgo);
  console.log(`${'  ratio ours / hand-written'.padEnd(52)} ${(agingYearAgo.wall / handYearAgo.wall).toFixed(2).padStart(8)} ${(agingYearAgo.cpu / handYearAgo.cpu).toFixed(2).padStart(8)}`);

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version },
    ledger: { path: ledgerPath, seed, asOf, ...counts },
    seedSeconds,
    start: { openMs, quickCheckMs: checkMs, quickCheckOk: startCheck.ok },
    seedSummary: summary,
    timingsMs: timings,
    loadAverage: { before: loadBefore, after: os.loadavg() },
    importTenThousandInvoicesMs: importMs,
    aging: {
      asOf,
      oursMs: aging,
      handWrittenMs: hand,
      ratio,
      sameFigures: agree,
      customersInReport: ours.customers.length,
      totals: ours.totals,
      yearEarlier: { asOf: yearAgo, oursMs: agingYearAgo, handWrittenMs: handYearAgo },
    },
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('');
  console.log(`${'import 10,000 invoices into a new ledger (ms)'.padEnd(52)} ${fmt(importMs)}  <= 10000: ${verdict(importMs, 10_000)}`);
  console.log(`\nWrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
  await rt.close();
  if (!args.reuse) removeLedger();
}

await main();
