import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../../src/main/ledger/import.service';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { expectHealthy, failure, rowCount } from './fixtures';

const ROWS = 20_000;
const CUSTOMERS = 40;
const customerNumber = (n: number) => `ST${String(n % CUSTOMERS).padStart(4, '0')}`;

let rt: TestRuntime;
let file: string;

/** A file of ROWS invoices (every third part paid); `line` (2 being the first invoice) may be replaced. */
function writeInvoices(replace: Record<number, string> = {}): { amountCents: number; paidCents: number } {
  const lines = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
  let amountCents = 0;
  let paidCents = 0;
  for (let n = 1; n <= ROWS; n++) {
    const amount = 1_000 + ((n * 7919) % 100_000);
    const paid = n % 3 === 0 ? Math.floor(amount / 3) : 0;
    amountCents += amount;
    paidCents += paid;
    lines.push(replace[n + 1] ?? `SI-${n},${customerNumber(n)},2026-10-01,2026-10-31,${(amount / 100).toFixed(2)},${paid ? (paid / 100).toFixed(2) : ''}`);
  }
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return { amountCents, paidCents };
}

async function ledgerRows(): Promise<Record<string, number>> {
  const tables = ['invoices', 'invoice_lines', 'payments', 'applications', 'audit_log', 'change_log'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await rowCount(rt, t)] as const)));
}

beforeEach(async () => {
  rt = await openTestRuntime();
  file = path.join(rt.dir, 'invoices.csv');
  const people = ['customer_number,legal_name'];
  for (let n = 0; n < CUSTOMERS; n++) people.push(`${customerNumber(n)},Stream Customer ${n}`);
  expect((await rt.core.imports.importCsv('customers', people.join('\n'), 'admin')).ok).toBe(true);
});
afterEach(async () => {
  await rt.dispose();
});

describe('a streamed import of a large file', () => {
  it('imports every row of a 20,000-line file, reconciling to the cent, and reports growing progress in both passes', async () => {
    const expected = writeInvoices();
    const progress: ImportProgress[] = [];
    const r = await rt.core.imports.importCsvFile('invoices', file, 'admin', { source: 'invoices.csv', onProgress: (p) => progress.push(p) });
    expect(r).toEqual({ ok: true, counts: { kind: 'invoices', rows: ROWS, amountCents: expected.amountCents, paidCents: expected.paidCents, payments: Math.floor(ROWS / 3) } });
    const sums = await rawSql(rt.ledger).get(
      `SELECT (SELECT count(*) FROM invoices) AS invoices, (SELECT sum(total_cents) FROM invoices) AS total,
              (SELECT sum(amount_cents) FROM invoice_lines) AS lines, (SELECT sum(amount_cents) FROM applications) AS applied,
              (SELECT sum(amount_cents) FROM payments WHERE kind = 'import') AS received`,
    );
    expect(Object.fromEntries(Object.entries(sums as Record<string, unknown>).map(([k, v]) => [k, Number(v)]))).toEqual({
      invoices: ROWS,
      total: expected.amountCents,
      lines: expected.amountCents,
      applied: expected.paidCents,
      received: expected.paidCents,
    });
    expect(await rt.core.invoices.get('SI-19999')).toMatchObject({ customerNumber: customerNumber(19_999), status: 'open' });
    await expectHealthy(rt);

    for (const phase of ['checking', 'writing'] as const) {
      const seen = progress.filter((p) => p.phase === phase).map((p) => p.rows);
      expect(seen.length, phase).toBeGreaterThan(5);
      expect(seen.every((n, i) => i === 0 || n > seen[i - 1]!), phase).toBe(true);
      expect(seen.at(-1), phase).toBe(ROWS);
    }
    expect(progress.findIndex((p) => p.phase === 'writing')).toBeGreaterThan(progress.findLastIndex((p) => p.phase === 'checking'));
    expect(progress.filter((p) => p.phase === 'writing').every((p) => p.total === ROWS)).toBe(true);
  });

  it('refuses the whole file for bad lines near its end, naming each line and reason, and writes nothing', async () => {
    writeInvoices({
      19_998: `SI-19997,${customerNumber(1)},2026-10-01,2026-09-01,10.00,`,
      20_001: `SI-5,${customerNumber(1)},2026-10-01,2026-10-31,10.00,`,
    });
    const before = await ledgerRows();
    const r = await rt.core.imports.importCsvFile('invoices', file, 'admin');
    expect(r).toEqual({
      ok: false,
      errors: [
        { line: 19_998, message: 'due_date 2026-09-01 is before issue_date 2026-10-01' },
        { line: 20_001, message: 'invoice SI-5 appears twice in the file (first on line 6)' },
      ],
    });
    expect(await ledgerRows()).toEqual(before);
  });

  it('refuses a CSV problem on the last line with its line number, and writes nothing', async () => {
    writeInvoices({ 20_001: `SI-20000,${customerNumber(0)},2026-10-01,2026-10-31,"10.00,` });
    const before = await ledgerRows();
    expect(await rt.core.imports.importCsvFile('invoices', file, 'admin')).toEqual({ ok: false, errors: [{ line: 20_001, message: 'a quoted field is never closed' }] });
    expect(await ledgerRows()).toEqual(before);
  });

  it('writes nothing when the file changes between the check and the writes', async () => {
    writeInvoices();
    const before = await ledgerRows();
    let appended = false;
    const e = await failure(
      rt.core.imports.importCsvFile('invoices', file, 'admin', {
        onProgress: (p) => {
          if (p.phase === 'checking' && p.rows === ROWS && !appended) {
            appended = true;
            fs.appendFileSync(file, `SI-99999,${customerNumber(0)},2026-10-01,2026-10-31,1.00,\r\n`);
          }
        },
      }),
    );
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/file changed while it was being imported; nothing was imported/);
    expect(await ledgerRows()).toEqual(before);
  });
});
