import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { auditActions, expectHealthy, rowCount } from './fixtures';
import { rawSql } from '../../helpers/sql';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

const CUSTOMERS = [
  '\uFEFFcustomer_number,legal_name,email,phone,address_line1,city,region,postal_code,country,terms_days,tax_exempt',
  // An address is one line of text: a quoted comma and doubled quotes, never a line break.
  'CL1042,"Clearwater Landscaping, LLC",ap@clearwater.example,(503) 555-0142,"12 River Rd, Building ""B""",Portland,OR,97201,US,,no',
  'TO0007,Town of Oakridge,,503.555.0100,,,,,,15,yes',
  'ak5521,Álder Kitchen,,,,,,,,,',
].join('\r\n');

const INVOICES = [
  'invoice_number,customer_number,issue_date,due_date,amount,amount_paid,description,period_start,period_end',
  'INV-9001,CL1042,2026-08-01,2026-08-31,"1,250.00",,Landscaping August,2026-08-01,2026-08-31',
  'INV-9002,CL1042,2026-09-01,2026-10-01,1250.5,250.25,,,',
  'INV-9003,TO0007,2026-10-01,2026-10-16,99.99,99.99,Park mowing,,',
  'INV-100007,AK5521,2026-11-01,2026-12-01,.05,,,,',
  // Spreadsheets leave rows of bare commas at the end; they are not rows to import.
  ',,,,,,,,',
  '',
].join('\n');

const CREDITS = ['credit_number,customer_number,issue_date,amount,reason', 'CR-1,CL1042,2026-11-02,40.10,"Missed visit, refunded"', 'CR-2,TO0007,2026-11-03,5,'].join('\n');

let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime();
});
afterEach(async () => {
  await rt.dispose();
});

async function counts(): Promise<Record<string, number>> {
  const tables = ['customers', 'customer_name_words', 'invoices', 'invoice_lines', 'credit_memos', 'payments', 'applications', 'audit_log'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await rowCount(rt, t)] as const)));
}

describe('importing CSV files', () => {
  it('imports customers, invoices with money already received, and credits, reconciling to the cent', async () => {
    const c = await rt.core.imports.importCsv('customers', CUSTOMERS, 'admin', { source: 'customers.csv' });
    expect(c).toEqual({ ok: true, counts: { kind: 'customers', rows: 3, amountCents: 0, paidCents: 0, payments: 0 } });
    const clearwater = await rt.core.customers.get('CL1042');
    expect(clearwater.legalName).toBe('Clearwater Landscaping, LLC');
    expect(clearwater.address.line1).toBe('12 River Rd, Building "B"');
    expect(clearwater.termsDays).toBe(30);
    expect((await rt.core.customers.get('TO0007')).taxExempt).toBe(true);
    expect((await rt.core.customers.get('TO0007')).termsDays).toBe(15);
    const words = (await rawSql(rt.ledger).all(`SELECT w.word FROM customer_name_words w JOIN customers c ON c.id = w.customer_id WHERE c.customer_number = 'AK5521' ORDER BY w.word`));
    expect(words).toEqual([{ word: 'alder' }, { word: 'kitchen' }]);
    expect((await rawSql(rt.ledger).get(`SELECT phone_digits FROM customers WHERE customer_number = 'TO0007'`))).toEqual({ phone_digits: '5035550100' });
    await expectHealthy(rt);

    const i = await rt.core.imports.importCsv('invoices', INVOICES, 'admin', { source: 'invoices.csv' });
    expect(i).toEqual({ ok: true, counts: { kind: 'invoices', rows: 4, amountCents: 125_000 + 125_050 + 9_999 + 5, paidCents: 25_025 + 9_999, payments: 2 } });
    await expectHealthy(rt);
    const second = await rt.core.invoices.get('INV-9002');
    expect(second).toMatchObject({ totalCents: 125_050, openCents: 100_025, status: 'open', taxCents: 0 });
    expect(second.lines).toEqual([{ lineNo: 1, description: 'Imported invoice', quantity: 1, unitPriceCents: 125_050, amountCents: 125_050, taxable: false }]);
    expect(second.applications).toMatchObject([{ source: 'payment', amountCents: 25_025, appliedOn: '2026-09-01', reason: 'received before import' }]);
    expect(await rt.core.invoices.get('INV-9003')).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await rt.core.invoices.get('INV-9001')).toMatchObject({ periodStart: '2026-08-01', periodEnd: '2026-08-31', openCents: 125_000 });
    const payments = (await rawSql(rt.ledger).all('SELECT kind, status, amount_cents, received_on FROM payments ORDER BY id'));
    expect(payments).toEqual([
      { kind: 'import', status: 'captured', amount_cents: 25_025, received_on: '2026-09-01' },
      { kind: 'import', status: 'captured', amount_cents: 9_999, received_on: '2026-10-01' },
    ]);

    const cr = await rt.core.imports.importCsv('credits', CREDITS, 'admin', { source: 'credits.csv' });
    expect(cr).toEqual({ ok: true, counts: { kind: 'credits', rows: 2, amountCents: 4_510, paidCents: 0, payments: 0 } });
    await expectHealthy(rt);

    const account = await rt.core.customers.account('CL1042');
    expect(account.balance).toEqual({ openCents: 125_000 + 100_025, pastDueCents: 125_000 + 100_025, unappliedCreditCents: 4_010 });
    expect((await rt.core.customers.account('TO0007')).balance).toEqual({ openCents: 0, pastDueCents: 0, unappliedCreditCents: 500 });

    // Generated numbers continue past the imported ones in the same format.
    const next = await rt.core.invoices.create(
      { customerNumber: 'AK5521', lines: [{ description: 'Hood cleaning', quantity: 1, unitPriceCents: 100 }] },
      'dana',
    );
    expect(next.invoiceNumber).toBe('INV-100008');

    const audit = await auditActions(rt);
    expect(audit.filter((a) => a.action === 'import').map((a) => [a.entity_id, JSON.parse(a.summary).rows])).toEqual([
      ['customers.csv', 3],
      ['invoices.csv', 4],
      ['credits.csv', 2],
    ]);
    expect(audit.filter((a) => a.action === 'invoice.import').map((a) => a.entity_id)).toEqual(['INV-9001', 'INV-9002', 'INV-9003', 'INV-100007']);
  });

  it('rejects the whole file, reporting every bad row with its line and reason, and writes nothing', async () => {
    await rt.core.imports.importCsv('customers', CUSTOMERS, 'admin');
    await rt.core.imports.importCsv('invoices', INVOICES, 'admin');
    const before = await counts();
    const file = [
      'invoice_number,customer_number,issue_date,due_date,amount,amount_paid',
      'INV-1,CL1042,2026-10-01,2026-10-31,100.00,', // good
      'INV-2,ZZ0001,2026-10-01,2026-10-31,100.00,', // unknown customer
      'INV-3,CL1042,2026-10-31,2026-10-01,100.00,', // due before issue
      'INV-4,CL1042,2026-02-30,2026-10-01,100.00,', // not a date
      'INV-5,CL1042,2026-10-01,2026-10-31,-5.00,', // negative
      'INV-6,CL1042,2026-10-01,2026-10-31,10.005,', // over-precise
      'INV-1,CL1042,2026-10-01,2026-10-31,1.00,', // duplicate in file
      'INV-9001,CL1042,2026-10-01,2026-10-31,1.00,', // already in the ledger
      'INV-7,CL1042,2026-10-01,2026-10-31,10.00,10.01', // paid more than the amount
      'INV-8,CL1042,2026-10-01,2026-10-31,ten,', // not a number
      'INV-9,,2026-10-01,,1.00,', // missing values
      'INV-10,CL1042,2026-10-01,2026-10-31', // short row
    ].join('\n');
    const result = await rt.core.imports.importCsv('invoices', file, 'admin');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { line: 3, message: 'customer ZZ0001 is not in the ledger (import customers first)' },
      { line: 4, message: 'due_date 2026-10-01 is before issue_date 2026-10-31' },
      { line: 5, message: 'issue_date "2026-02-30" is not a calendar date as YYYY-MM-DD' },
      { line: 6, message: 'amount: "-5.00" is negative; a negative amount is not allowed here' },
      { line: 7, message: 'amount: "10.005" has more than 2 decimal places' },
      { line: 8, message: 'invoice INV-1 appears twice in the file (first on line 2)' },
      { line: 9, message: 'invoice INV-9001 already exists in the ledger' },
      { line: 10, message: 'amount_paid 10.01 is more than the amount 10.00' },
      { line: 11, message: 'amount: "ten" is not an amount in dollars and cents (e.g. 1,234.50)' },
      { line: 12, message: 'customer_number is missing; due_date is missing' },
      { line: 13, message: 'has 4 fields but the header has 6' },
    ]);
    expect(await counts()).toEqual(before);
    await expectHealthy(rt);
  });

  it('refuses unknown and missing columns on the header line', async () => {
    const r = await rt.core.imports.importCsv('credits', 'credit_number,customer_number,amount,memo\nCR-1,CL1042,1.00,x\n', 'admin');
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          message:
            'unknown column "memo"; missing required column issue_date (columns for credits: credit_number, customer_number, issue_date, amount, reason)',
        },
      ],
    });
    expect(await rt.core.imports.importCsv('customers', '', 'admin')).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'the file is empty; the first line must name the columns' }],
    });
  });

  it('refuses customers repeated in the file or already in the ledger, and bad customer fields by column', async () => {
    await rt.core.imports.importCsv('customers', CUSTOMERS, 'admin');
    const before = await counts();
    const r = await rt.core.imports.importCsv(
      'customers',
      [
        'customer_number,legal_name,email,postal_code,terms_days,tax_exempt',
        'NW0001,Northwind,,,,',
        'NW0001,Northwind again,,,,',
        'CL1042,Clearwater,,,,',
        'N0002,,bad@,1234,abc,maybe',
      ].join('\n'),
      'admin',
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        { line: 3, message: 'customer NW0001 appears twice in the file (first on line 2)' },
        { line: 4, message: 'customer CL1042 already exists in the ledger' },
        {
          line: 5,
          message:
            'terms_days "abc" is not a whole number of days; tax_exempt "maybe" is not yes/no, true/false or 1/0; ' +
            'customer_number "N0002" is not a customer number: two capital letters then up to 10 digits, e.g. CL1042; ' +
            'legal_name is missing; email "bad@" is not an email address (e.g. billing@example.com); ' +
            'postal_code "1234" is not a US ZIP code (e.g. 97201 or 97201-1234)',
        },
      ],
    });
    expect(await counts()).toEqual(before);
  });

  // How fast is measured by the benchmark (npm run bench), not here.
  it('imports 10,000 invoices in one transaction', async () => {
    await rt.core.imports.importCsv('customers', CUSTOMERS, 'admin');
    const lines = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
    let total = 0;
    let paid = 0;
    for (let n = 0; n < 10_000; n++) {
      const cents = 1_000 + n;
      const paidCents = n % 3 === 0 ? 500 : 0;
      total += cents;
      paid += paidCents;
      lines.push(`B-${n},${n % 2 ? 'CL1042' : 'AK5521'},2026-10-01,2026-10-31,${(cents / 100).toFixed(2)},${paidCents ? '5.00' : ''}`);
    }
    const r = await rt.core.imports.importCsv('invoices', lines.join('\n'), 'admin');
    expect(r).toEqual({ ok: true, counts: { kind: 'invoices', rows: 10_000, amountCents: total, paidCents: paid, payments: 3_334 } });
    const open = (await rt.core.customers.account('CL1042')).balance.openCents + (await rt.core.customers.account('AK5521')).balance.openCents;
    expect(open).toBe(total - paid);
    await expectHealthy(rt);
  });
});

describe('npm run cli -- import', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports files end to end and prints a one-line summary', async () => {
    const db = path.join(dir, 'ledger.db');
    fs.writeFileSync(path.join(dir, 'customers.csv'), CUSTOMERS);
    fs.writeFileSync(path.join(dir, 'invoices.csv'), INVOICES);
    const customers = await cli(['--db', db, 'import', 'customers', path.join(dir, 'customers.csv')]);
    expect(customers).toEqual({ code: 0, out: `Imported 3 customers from ${path.join(dir, 'customers.csv')}.\n`, err: '' });
    const invoices = await cli(['import', 'invoices', path.join(dir, 'invoices.csv'), '--db', db]);
    expect(invoices.code).toBe(0);
    expect(invoices.out).toBe(
      `Imported 4 invoices totalling $2,600.54 (2 with amount paid, $350.24 received) from ${path.join(dir, 'invoices.csv')}.\n`,
    );
  });

  it('prints every bad line to stderr, exits 1 and leaves the ledger as it was', async () => {
    const db = path.join(dir, 'ledger.db');
    // The folder's ledger (on PostgreSQL its test database, which the CLI then reaches too).
    await (await openTestRuntime({ dir })).close();
    fs.writeFileSync(path.join(dir, 'customers.csv'), CUSTOMERS);
    expect((await cli(['--db', db, 'import', 'customers', path.join(dir, 'customers.csv')])).code).toBe(0);
    const bad = path.join(dir, 'credits.csv');
    fs.writeFileSync(
      bad,
      ['credit_number,customer_number,issue_date,amount,reason', 'CR-1,CL1042,2026-11-01,10.00,ok', 'CR-2,XX1,2026-11-01,10.00,', 'CR-3,CL1042,2026-11-01,0,', 'CR-4,CL1042,11/01/2026,1.999,'].join('\n'),
    );
    const r = await cli(['--db', db, 'import', 'credits', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        'line 3: customer XX1 is not in the ledger (import customers first)',
        'line 4: amount must be more than 0.00',
        'line 5: issue_date "11/01/2026" is not a calendar date as YYYY-MM-DD; amount: "1.999" has more than 2 decimal places',
        `Nothing was imported: 3 bad rows in ${bad}.`,
        '',
      ].join('\n'),
    );
    const check = await openTestRuntime({ dir });
    try {
      expect(await rowCount(check, 'credit_memos')).toBe(0);
      expect((await auditActions(check)).filter((a) => a.action === 'import')).toHaveLength(1);
    } finally {
      await check.close();
    }
  });

  it('answers a usage error for a wrong kind or a missing file name, and 1 for an unreadable file', async () => {
    const db = path.join(dir, 'ledger.db');
    const kind = await cli(['--db', db, 'import', 'payments', 'x.csv']);
    expect(kind.code).toBe(2);
    expect(kind.err).toMatch(/must be customers, invoices, credits or subscriptions, not "payments"/);
    expect((await cli(['--db', db, 'import', 'customers'])).code).toBe(2);
    const missing = await cli(['--db', db, 'import', 'customers', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^Cannot read .*nope\.csv/);
  });
});
