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
import { mulberry32, seedDemoLedger, type SeedSummary } from '../src/main/ledger/seed';
import { nameWords } from '../src/main/ledger/search.rules';
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

interface Timing {
  p50: number;
  p95: number;
  samples: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

async function timeEach<T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>): Promise<Timing> {
  // A few untimed calls first, so the figures are of a warm process.
  for (const input of inputs.slice(0, 20)) await fn(input);
  const times: number[] = [];
  for (const input of inputs) {
    const t = performance.now();
    await fn(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), samples: times.length };
}

async function medianOf3(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1]!;
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
  const all = sqlite.prepare('SELECT customer_number, legal_name, phone FROM customers').all() as {
    customer_number: string;
    legal_name: string;
    phone: string | null;
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

  const lookup = (query: string) => core.lookup.search({ query });
  const timings: Record<string, Timing> = {};
  console.log(`Timing ${n} samples each ...`);
  timings['lookup: customer number'] = await timeEach(numberQueries, lookup);
  timings['lookup: name prefix'] = await timeEach(nameQueries, lookup);
  timings['lookup: phone'] = await timeEach(phoneQueries, lookup);
  timings['lookup: invoice number'] = await timeEach(invoiceQueries, lookup);
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
  const agingMs = await medianOf3(() => core.aging.report({ asOf }));
  const handMs = await medianOf3(() => handWrittenAgingReport(sqlite, asOf, 'due'));
  const yearAgo = addDays(asOf, -365);
  const agingYearAgoMs = await medianOf3(() => core.aging.report({ asOf: yearAgo }));
  const handYearAgoMs = await medianOf3(() => handWrittenAgingReport(sqlite, yearAgo, 'due'));

  const targets: Record<string, number> = {
    'lookup: customer number': 10,
    'lookup: name prefix': 10,
    'lookup: phone': 10,
    'lookup: invoice number': 10,
    'account load (customers.account + aging.customer)': 15,
    'quote (payments.quote, Pay All)': 5,
  };
  const fmt = (ms: number) => ms.toFixed(2).padStart(9);
  console.log('');
  console.log(`Ledger: ${counts.customers} customers, ${counts.invoices} invoices (${counts.open_invoices} open), ${counts.applications} applications`);
  if (seedSeconds !== null) console.log(`Seed: ${seedSeconds.toFixed(1)} s (target < 120 s)`);
  console.log('');
  console.log(`${'operation'.padEnd(52)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)}  target p95`);
  for (const [name, t] of Object.entries(timings)) {
    const target = targets[name];
    const verdict = target === undefined ? '' : `<= ${target} ms ${t.p95 <= target ? 'met' : 'MISSED'}`;
    console.log(`${name.padEnd(52)} ${fmt(t.p50)} ${fmt(t.p95)}  ${verdict}`);
  }
  console.log('');
  const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(52)} ${value.padStart(9)}  ${note}`);
  const ratio = agingMs / handMs;
  row(`aging report as of ${asOf} (median of 3), ms`, agingMs.toFixed(1), `<= 1500 ms ${agingMs <= 1500 ? 'met' : 'MISSED'}`);
  row('  hand-written SQL through better-sqlite3, ms', handMs.toFixed(1));
  row('  ratio ours / hand-written', ratio.toFixed(2), `<= 1.3 ${ratio <= 1.3 ? 'met' : 'MISSED'}`);
  row('  same figures as the hand-written query', agree ? 'yes' : 'NO');
  row(`aging report as of ${yearAgo}, ms`, agingYearAgoMs.toFixed(1));
  row('  hand-written SQL, ms', handYearAgoMs.toFixed(1));

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version },
    ledger: { path: ledgerPath, seed, asOf, ...counts },
    seedSeconds,
    seedSummary: summary,
    timingsMs: timings,
    aging: {
      asOf,
      oursMs: agingMs,
      handWrittenMs: handMs,
      ratio: agingMs / handMs,
      sameFigures: agree,
      customersInReport: ours.customers.length,
      totals: ours.totals,
      yearEarlier: { asOf: yearAgo, oursMs: agingYearAgoMs, handWrittenMs: handYearAgoMs },
    },
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
  await rt.close();
  if (!args.reuse) removeLedger();
}

await main();
