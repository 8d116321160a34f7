import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import type { AgingReport } from '../../../src/shared/contract/aging';
import type { LookupResults } from '../../../src/shared/contract/lookup';
import { formatCents } from '../../../src/shared/money';
import { tempDir } from '../../helpers/runtime';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'ledger.db');
  const seeded = await cli(['--db', db, 'seed', '--customers', '40', '--seed', '3', '--as-of', '2026-11-20']);
  expect(seeded.err).toMatch(/^Seeded 40 customers and \d+ invoices into .* in [0-9.]+ s\.$/m);
  expect(seeded.code).toBe(0);
  expect(JSON.parse(seeded.out)).toMatchObject({ seed: 3, asOf: '2026-11-20', customers: 40 });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const dollars = (cents: number) => formatCents(cents, { symbol: '', grouping: false });

describe('the aging, lookup and seed commands', () => {
  it('prints the aging report as JSON in exactly the report shape', async () => {
    const { code, out } = await cli(['--db', db, 'aging', '--as-of', '2026-11-20']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as AgingReport;
    expect(Object.keys(report)).toEqual(['asOf', 'basis', 'totals', 'customers']);
    expect(report.asOf).toBe('2026-11-20');
    expect(report.basis).toBe('due');
    expect(Object.keys(report.totals)).toEqual(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90', 'total', 'unapplied_credits_cents']);
    expect(Object.keys(report.customers[0]!)).toEqual([
      'customer_number',
      'legal_name',
      'current',
      'days_1_30',
      'days_31_60',
      'days_61_90',
      'days_over_90',
      'total',
      'unapplied_credits_cents',
      'disputed_cents',
    ]);
    const numbers = report.customers.map((c) => c.customer_number);
    expect(numbers).toEqual([...numbers].sort());
    expect(report.totals.total).toBe(report.customers.reduce((s, c) => s + c.total, 0));
    expect(report.customers.find((c) => c.customer_number === 'CL1042')).toMatchObject({ total: 113500, unapplied_credits_cents: 7500 });
    for (const c of report.customers) expect(c.total !== 0 || c.unapplied_credits_cents !== 0).toBe(true);
  });

  it('prints CSV with a header, one row per customer and a TOTAL row, in dollars', async () => {
    const json = JSON.parse((await cli(['--db', db, 'aging', '--as-of', '2026-11-20', '--basis', 'invoice'])).out) as AgingReport;
    const { code, out } = await cli(['--db', db, 'aging', '--as-of', '2026-11-20', '--basis', 'invoice', '--format', 'csv']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('customer_number,legal_name,current,days_1_30,days_31_60,days_61_90,days_over_90,total,unapplied_credits,disputed');
    expect(lines).toHaveLength(json.customers.length + 2);
    const harbor = json.customers.find((c) => c.customer_number === 'CL1042')!;
    expect(lines).toContain(
      `CL1042,Harbor Lane Dental LLC,${[harbor.current, harbor.days_1_30, harbor.days_31_60, harbor.days_61_90, harbor.days_over_90, harbor.total, harbor.unapplied_credits_cents, harbor.disputed_cents].map(dollars).join(',')}`,
    );
    const t = json.totals;
    const disputed = json.customers.reduce((s, c) => s + c.disputed_cents, 0);
    expect(lines.at(-1)).toBe(
      `TOTAL,,${[t.current, t.days_1_30, t.days_31_60, t.days_61_90, t.days_over_90, t.total, t.unapplied_credits_cents, disputed].map(dollars).join(',')}`,
    );
    expect(lines.at(-1)).toMatch(/^TOTAL,,(\d+\.\d{2},){7}\d+\.\d{2}$/);
  });

  it('prints lookup results as JSON', async () => {
    const byNumber = await cli(['--db', db, 'lookup', 'cl1042']);
    expect(byNumber.code).toBe(0);
    const results = (JSON.parse(byNumber.out) as LookupResults).results;
    expect(results[0]).toMatchObject({ customerNumber: 'CL1042', legalName: 'Harbor Lane Dental LLC', matchedBy: 'number', openCents: 113500 });
    const byPhone = JSON.parse((await cli(['--db', db, 'lookup', '(503) 555-0142', '--limit', '3'])).out) as LookupResults;
    expect(byPhone.results.map((r) => [r.customerNumber, r.matchedBy])).toEqual([['CL1042', 'phone']]);
  });

  it('refuses to seed a ledger that already has customers (exit 1)', async () => {
    const again = await cli(['--db', db, 'seed', '--customers', '5']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^CONFLICT: The ledger already has 40 customers/);
  });

  it('answers bad options with usage and exit 2', async () => {
    for (const args of [
      ['aging', '--basis', 'weekly'],
      ['aging', '--as-of', '2026-02-30'],
      ['aging', '--format', 'xml'],
      ['aging', '--bogus'],
      ['lookup'],
      ['lookup', 'a', 'b'],
      ['lookup', 'x', '--limit', '500'],
      ['seed', '--customers', '0'],
      ['seed', '--customers', 'ten'],
      ['seed', '--seed', '-4'],
      ['seed', '--as-of', 'tomorrow'],
    ]) {
      const r = await cli(['--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(new RegExp(`Usage: npm run cli -- ${args[0]}`));
    }
  });
});
