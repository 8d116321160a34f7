/**
 * The demo ledger: a deterministic, realistic generator of customers, invoices, payments and
 * credits, for demos, screenshots and the speed benchmark.
 *
 * It is a bulk generator, not a use case: to write a million invoices in well under two minutes it
 * goes straight through the raw better-sqlite3 connection with prepared statements inside ONE
 * transaction (all or nothing), bypassing the services. It fills the lookup columns exactly as
 * the customers service does (customerColumns/nameWords from the same rules) and keeps every
 * ledger invariant: line amount = quantity × unit price, total = subtotal + tax (the tax rule of
 * tax.rules.ts), status 'paid' exactly when the applications cover the total, every captured
 * payment fully applied, no credit used beyond its amount. One audit row ('seed') records the run.
 *
 * Same seed + same as-of date + same customer count -> the same ledger, row for row
 * (a small seeded PRNG, never Math.random).
 *
 * Well-known customers, always first and the same whatever the seed (handy for demos):
 * - CL1042 "Harbor Lane Dental LLC", Maria Okafor, (503) 555-0142, ap@harborlanedental.example,
 *   Portland OR, Net 30, billed monthly ($227.00). Everything due more than 120 days before the
 *   as-of date is paid; the rest is open: five invoices, one in each aging bucket (current, 1-30,
 *   31-60, 61-90, over 90 days past due), plus an unapplied $75.00 service outage credit.
 * - TO0007 "Café Rouge", 503.555.0107, hello@caferouge.example, Portland OR, billed monthly,
 *   pays promptly: only its newest invoice is open (current).
 * - AK5521 "Åkesson & Søn Bakery", +1 206 555 5521, Seattle WA, billed quarterly, pays slowly;
 *   its one open invoice, 31-60 days past due, is disputed.
 *
 * seed.data.ts             the word lists and price tables
 * rng.ts                   the seeded random stream
 * plan.ts                  what is decided for one customer before anything is written
 * random-customers.ts      the generated customers
 * well-known-customers.ts  CL1042, TO0007 and AK5521
 * writer.ts                the rows, through prepared statements
 * copy-to-postgres.ts      the same rows into an office's PostgreSQL ledger
 *
 * A PostgreSQL ledger is seeded through a SQLite ledger in the temp folder, which is then copied
 * into it row for row: one generator, so both engines hold the same demo data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { assertIsoDate } from '../../shared/dates';
import { AppError, validationError } from '../../shared/errors';
import { openLedger, type Ledger } from '../db/connection';
import { copyLedgerToPostgres } from './copy-to-postgres';
import { Rng } from './rng';
import { customerNumberFrom, randomCustomerPlan } from './random-customers';
import { wellKnownPlans } from './well-known-customers';
import { highestNumber, maxId, prepareStatements, stamp, writeCustomer, type WriteContext, type SeedSummary } from './writer';

export { mulberry32 } from './rng';
export type { SeedSummary } from './writer';

export interface SeedOptions {
  customers: number;
  seed: number;
  /** The last day of generated history, YYYY-MM-DD: nothing is issued or paid after it. */
  asOf: string;
  actor?: string;
  /** When the seed ran, for its audit row; defaults to noon UTC of asOf so the ledger stays deterministic. */
  at?: string;
}

export const DEFAULT_SEED_CUSTOMERS = 200;
export const MAX_SEED_CUSTOMERS = 500_000;

/**
 * Fills an empty ledger with a demo book of business (see the top of this file).
 * Refuses (CONFLICT) when the ledger already has customers.
 */
export async function seedDemoLedger(ledger: Ledger, options: SeedOptions): Promise<SeedSummary> {
  const { customers, seed, asOf } = options;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_SEED_CUSTOMERS) {
    throw validationError('customers', `must be a whole number from 1 to ${MAX_SEED_CUSTOMERS}, got ${customers}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw validationError('seed', `must be a whole number from 0 to ${0xffff_ffff}, got ${seed}`);
  }
  assertIsoDate(asOf, 'asOf');
  if (ledger.dialect === 'postgres') return seedThroughSqlite(ledger, options);
  const actor = options.actor ?? 'seed';
  const sqlite = ledger.sqlite;
  const summary: SeedSummary = {
    seed,
    asOf,
    customers: 0,
    cancelledCustomers: 0,
    invoices: 0,
    invoiceLines: 0,
    openInvoices: 0,
    disputedInvoices: 0,
    voidInvoices: 0,
    payments: 0,
    applications: 0,
    creditMemos: 0,
  };

  const run = sqlite.transaction(() => {
    const existing = (sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
    if (existing > 0) {
      throw alreadyHasCustomers(existing);
    }
    const ctx: WriteContext = {
      st: prepareStatements(sqlite),
      asOf,
      actor,
      summary,
      ids: {
        customer: maxId(sqlite, 'customers'),
        invoice: maxId(sqlite, 'invoices'),
        invoiceNumber: highestNumber(sqlite, 'invoices', 'invoice_number', 'INV-'),
        credit: maxId(sqlite, 'credit_memos'),
        creditNumber: highestNumber(sqlite, 'credit_memos', 'credit_number', 'CR-'),
        payment: maxId(sqlite, 'payments'),
      },
    };
    const taken = new Set<string>();
    // The well-known customers draw from their own fixed stream, so they look the same whatever the seed.
    const fixedRng = new Rng(0x5eed);
    for (const plan of wellKnownPlans(asOf).slice(0, customers)) {
      taken.add(plan.draft.customerNumber);
      writeCustomer(ctx, plan, fixedRng);
    }
    const rng = new Rng(seed);
    while (summary.customers < customers) {
      const number = customerNumberFrom(rng, taken);
      writeCustomer(ctx, randomCustomerPlan(rng, number, asOf), rng);
    }
    // Generated numbers continue after the seeded ones.
    const setCounter = sqlite.prepare(
      `INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
    );
    setCounter.run('invoice_number', ctx.ids.invoiceNumber);
    setCounter.run('credit_number', ctx.ids.creditNumber);
    sqlite
      .prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES (?, ?, 'seed', 'ledger', 'demo', ?)`)
      .run(options.at ?? stamp(asOf, 12), actor, JSON.stringify(summary));
  });

  // A bigger page cache for the one large transaction, put back afterwards.
  const previousCache = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -262144');
  try {
    run();
  } finally {
    sqlite.pragma(`cache_size = ${previousCache}`);
  }
  return summary;
}

function alreadyHasCustomers(existing: number): AppError {
  return new AppError('CONFLICT', `The ledger already has ${existing} customers; demo data goes only into an empty ledger.`, {
    customers: existing,
  });
}

/** PostgreSQL: the demo rows are generated into a throwaway SQLite ledger, then copied across. */
async function seedThroughSqlite(ledger: Ledger, options: SeedOptions): Promise<SeedSummary> {
  const { n } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM customers`.execute(ledger.db)).rows[0]!;
  if (n > 0) throw alreadyHasCustomers(n);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-seed-'));
  const scratch = await openLedger(path.join(dir, 'ledger.db'));
  try {
    // A file thrown away afterwards needs no flush to disk.
    scratch.sqlite.pragma('synchronous = OFF');
    const summary = await seedDemoLedger(scratch, options);
    await copyLedgerToPostgres(scratch.sqlite, ledger);
    return summary;
  } finally {
    await scratch.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
