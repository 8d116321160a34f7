/**
 * The Payments screen's search on a large ledger, on both engines: 1,000,000 payments taken here
 * (plus imported prior payments, which the search leaves out) across 50,000 customers, each filter's
 * first page and count timed and its query plan printed. Figures, not pass/fail:
 *
 *   npx tsx bench/payment-search.ts [--database-url postgres://...] [--payments N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { openLedger, openPostgresLedger, type Ledger } from '../src/main/db/connection';
import type { DB } from '../src/main/db/schema';
import { countQuery, pageQuery, type PaymentSearchFilter } from '../src/main/payments/payments.search';

const args = process.argv.slice(2);
const urlAt = args.indexOf('--database-url');
const databaseUrl = urlAt >= 0 ? args[urlAt + 1] : undefined;
const nAt = args.indexOf('--payments');
const PAYMENTS = nAt >= 0 ? Number(args[nAt + 1]) : 1_000_000;
const CUSTOMERS = 50_000;

async function fill(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const existing = await sql<{ n: number }>`SELECT count(*) AS n FROM payments`.execute(db);
  if (Number(existing.rows[0]!.n) >= PAYMENTS) return;
  const series = dialect === 'postgres' ? (n: number) => sql.raw(`generate_series(1, ${n}) AS s(i)`) : (n: number) => sql.raw(`(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s) AS s`);
  const pad = dialect === 'postgres' ? (e: string, w: number) => `lpad((${e})::text, ${w}, '0')` : (e: string, w: number) => `substr('0000000000' || (${e}), -${w})`;
  const day = (e: string) =>
    dialect === 'postgres'
      ? `to_char(date '2024-01-01' + ((${e}) % 1000), 'YYYY-MM-DD')`
      : `date('2024-01-01', '+' || ((${e}) % 1000) || ' days')`;
  await sql`INSERT INTO customers (customer_number, legal_name, name_search, created_at, updated_at)
    SELECT ${sql.raw(`'BN' || ${pad('i', 6)}`)}, ${sql.raw(`'Customer ' || i`)}, ${sql.raw(`'customer ' || i`)}, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'
    FROM ${series(CUSTOMERS)}`.execute(db);
  const first = await sql<{ id: number }>`SELECT min(id) AS id FROM customers WHERE customer_number LIKE 'BN%'`.execute(db);
  const base = Number(first.rows[0]!.id);
  // Payments spread over 1,000 business days, 40 clerks, amounts of a few hundred values; every tenth an import.
  await sql`INSERT INTO payments (customer_id, kind, status, amount_cents, confirmation_number, received_on, created_at, created_by, delivery)
    SELECT ${sql.raw(`${base} + (i * 1009) % ${CUSTOMERS}`)},
      ${sql.raw(`CASE WHEN i % 10 = 0 THEN 'import' WHEN i % 7 = 0 THEN 'bank' ELSE 'card' END`)},
      ${sql.raw(`CASE WHEN i % 50 = 0 THEN 'declined' ELSE 'captured' END`)},
      ${sql.raw(`((i * 37) % 500 + 1) * 25`)},
      ${sql.raw(`CASE WHEN i % 10 = 0 THEN NULL ELSE 'B' || ${pad('i', 8)} END`)},
      ${sql.raw(day(`i * 1000 / ${PAYMENTS}`))},
      ${sql.raw(`${day(`i * 1000 / ${PAYMENTS}`)} || 'T' || ${pad(`(i % 24)`, 2)} || ':00:00.000Z'`)},
      ${sql.raw(`'clerk' || (i % 40)`)},
      'none'
    FROM ${series(PAYMENTS)}`.execute(db);
  await sql.raw(dialect === 'postgres' ? 'VACUUM ANALYZE payments' : 'ANALYZE').execute(db);
}

async function plan(ledger: Ledger, q: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
  const c = q.compile();
  const prefix = ledger.dialect === 'postgres' ? 'EXPLAIN (COSTS OFF) ' : 'EXPLAIN QUERY PLAN ';
  const r = await ledger.db.executeQuery<Record<string, string>>(CompiledQuery.raw(prefix + c.sql, [...c.parameters]));
  return r.rows.map((row) => row['QUERY PLAN'] ?? row.detail).join('\n    ');
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

async function main(): Promise<void> {
  const ledger = databaseUrl
    ? await openPostgresLedger(databaseUrl, { migrate: true })
    : await openLedger(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-search-')), 'ledger.db'));
  try {
    await fill(ledger.db, ledger.dialect);
    const customer = await ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'BN001234').executeTakeFirstOrThrow();
    const filters: Record<string, PaymentSearchFilter> = {
      'no filter': {},
      'confirmation': { confirmationNumber: 'B00001231' },
      'amount': { amountCents: 7_550 },
      'dates (one month)': { from: '2025-03-01', to: '2025-03-31' },
      'customer': { customerId: customer.id },
      'clerk': { clerk: 'clerk7' },
      'status declined': { status: 'declined' },
      'amount + dates': { amountCents: 7_550, from: '2025-01-01', to: '2025-12-31' },
    };
    console.log(`${ledger.dialect}: ${PAYMENTS} payments`);
    for (const [name, f] of Object.entries(filters)) {
      const [rows, pageMs] = await timed(() => pageQuery(ledger.db, f, { limit: 10, offset: 0 }).execute());
      const [count, countMs] = await timed(() => countQuery(ledger.db, f).executeTakeFirstOrThrow());
      console.log(`\n${name}: ${Number(count.n)} match, first page ${rows.length} rows in ${pageMs.toFixed(1)} ms, count in ${countMs.toFixed(1)} ms`);
      console.log(`  page:  ${await plan(ledger, pageQuery(ledger.db, f, { limit: 10, offset: 0 }))}`);
      console.log(`  count: ${await plan(ledger, countQuery(ledger.db, f))}`);
    }
  } finally {
    await ledger.close();
  }
}

void main();
