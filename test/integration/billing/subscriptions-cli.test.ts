import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy } from '../ledger/fixtures';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

let rt: TestRuntime;
let db: string;
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-03-01T15:00:00Z' });
  db = path.join(rt.dir, 'ledger.db');
  await rt.core.customers.create(customerInput(), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const HEADER = 'customer_number,description,unit_price,quantity,taxable,period,start_date,end_date,anchor_day';

describe('subscriptions from the command line', () => {
  it('imports a good file, bills it by billing run --as-of as JSON, and lists it', async () => {
    const file = path.join(rt.dir, 'subs.csv');
    fs.writeFileSync(file, [HEADER, 'CL1042,Lawn care,49.99,1,false,monthly,2026-01-31,,', 'ak5521,Kitchen hood cleaning,"1,200.00",2,yes,quarterly,2026-02-15,,1'].join('\n'));
    const imported = await cli(['--db', db, 'import', 'subscriptions', file]);
    expect(imported).toMatchObject({ code: 0, out: `Imported 2 subscriptions from ${file}.\n` });

    const dry = await cli(['--db', db, 'billing', 'run', '--as-of', '2026-03-01', '--dry-run', '--format', 'json']);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.out) as { asOf: string; dryRun: boolean; invoices: { invoiceNumber: string | null; customerNumber: string; periodStart: string; periodEnd: string; totalCents: number }[]; held: unknown[] };
    // AK5521: quarters anchored on the 1st, begun Feb 15: a stub Feb 15 - Apr 30, 75 of the
    // 89 days of the Feb 1 - Apr 30 quarter: 2 × $1,200.00 × 75 / 89 = 202247.19… → $2,022.47 (no tax rate set).
    expect(preview).toEqual({
      asOf: '2026-03-01',
      dryRun: true,
      invoices: [
        { invoiceNumber: null, customerNumber: 'CL1042', periodStart: '2026-01-31', periodEnd: '2026-02-27', totalCents: 4999 },
        { invoiceNumber: null, customerNumber: 'CL1042', periodStart: '2026-02-28', periodEnd: '2026-03-30', totalCents: 4999 },
        { invoiceNumber: null, customerNumber: 'AK5521', periodStart: '2026-02-15', periodEnd: '2026-04-30', totalCents: 202247 },
      ],
      held: [],
      autopay: { charged: [], declined: [], skipped: [], waitingRetry: 0, expiryNotices: 0 },
      // Nothing past due yet: no follow-up.
      dunning: { notices: [], lateFees: [], suspended: [] },
    });
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT count(*) AS n FROM invoices'))!.n).toBe(0);

    const real = await cli(['--db', db, 'billing', 'run', '--as-of', '2026-03-01']);
    expect(real.code).toBe(0);
    const made = JSON.parse(real.out) as typeof preview;
    expect(made.dryRun).toBe(false);
    expect(made.invoices.map((i) => [i.customerNumber, i.periodStart, i.totalCents])).toEqual(preview.invoices.map((i) => [i.customerNumber, i.periodStart, i.totalCents]));
    expect(made.invoices.every((i) => /^INV-\d+$/.test(i.invoiceNumber ?? ''))).toBe(true);
    const again = JSON.parse((await cli(['--db', db, 'billing', 'run', '--as-of', '2026-03-01'])).out) as typeof preview;
    expect(again.invoices).toEqual([]);

    const listed = await cli(['--db', db, 'subscriptions', 'list', '--customer', 'ak5521', '--format', 'json']);
    expect(listed.code).toBe(0);
    const list = JSON.parse(listed.out) as { customerNumber: string; subscriptions: { period: string; anchorDay: number; periodCents: number; billed: { periodStart: string; amountCents: number }[] }[] };
    expect(list.customerNumber).toBe('AK5521');
    expect(list.subscriptions.map((s) => [s.period, s.anchorDay, s.periodCents, s.billed.map((b) => [b.periodStart, b.amountCents])])).toEqual([
      ['quarterly', 1, 240000, [['2026-02-15', 202247]]],
    ]);
    await expectHealthy(rt);
  });

  it('refuses a bad file whole, each bad row by its line', async () => {
    const file = path.join(rt.dir, 'bad.csv');
    fs.writeFileSync(
      file,
      [HEADER, 'CL1042,Lawn care,49.99,1,false,monthly,2026-01-31,,', 'CL1042,,12.345,0,maybe,weekly,2026-02-30,,', 'ZZ9999,Snow,10.00,1,no,annual,2026-01-01,2025-01-01,32'].join('\n'),
    );
    const r = await cli(['--db', db, 'import', 'subscriptions', file]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toMatch(/^line 3: unit_price "12.345" is not an amount.*; quantity must|^line 3: unit_price "12.345" is not an amount/);
    expect(lines[0]).toMatch(/taxable "maybe" must be true or false/);
    expect(lines[1]).toMatch(/^line 4: (end_date must be on or after the start date; anchor_day must be a day of the month from 1 to 31|anchor_day)/);
    expect(lines.at(-1)).toBe(`Nothing was imported: 2 bad rows in ${file}.`);
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT count(*) AS n FROM subscriptions'))!.n).toBe(0);
  });

  it('cancels at once with a credit for the unused days, or at the end of the term with none', async () => {
    // The tax rate is the office's: saved in the ledger's record, as an administrator saves it.
    await rt.core.settings.updateOffice({ defaultTaxRatePercent: '10' }, 'admin');
    await rt.core.subscriptions.create(
      { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Lawn care', unitPriceCents: 3100, quantity: 1, taxable: true }] },
      'dana',
    );
    await rt.core.subscriptions.create(
      { customerNumber: 'AK5521', period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Hood', unitPriceCents: 5000, quantity: 1, taxable: false }] },
      'dana',
    );
    await rt.core.billing.run({ asOf: '2026-03-01', dryRun: false }, 'dana');
    // First day not used Mar 21: 11 of 31 days of $31.00 + $3.10 tax = 3410 × 11 / 31 = 1210.
    const now = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'CL1042', '--mode', 'immediate', '--as-of', '2026-03-21', '--reason', 'Moved away']);
    expect(now.code).toBe(0);
    const cancelled = JSON.parse(now.out) as { cancelled: { endDate: string; creditNumber: string; creditCents: number }[] };
    expect(cancelled.cancelled).toEqual([{ subscriptionId: expect.any(Number), endDate: '2026-03-20', creditNumber: expect.stringMatching(/^CR-/), creditCents: 1210 }]);
    const credit = await rawSql(rt.ledger).get<{ amount_cents: number; issue_date: string }>('SELECT amount_cents, issue_date FROM credit_memos');
    // Dated the first unused day (the command line's clock is already past it).
    expect(credit).toEqual({ amount_cents: 1210, issue_date: '2026-03-21' });

    const later = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'AK5521', '--mode', 'end_of_term', '--as-of', '2026-03-21', '--reason', 'Closing']);
    // Without --subscription the whole account is cancelled.
    expect(later.code).toBe(0);
    expect(JSON.parse(later.out)).toEqual({
      customerNumber: 'AK5521',
      status: 'cancelled',
      cancelledOn: '2026-04-01',
      mode: 'end_of_term',
      reason: 'Closing',
      creditCents: 0,
      cancelled: [{ subscriptionId: expect.any(Number), endDate: '2026-03-31', creditNumber: null, creditCents: 0 }],
    });
    const listed = JSON.parse((await cli(['--db', db, 'subscriptions', 'list', '--customer', 'AK5521', '--format', 'json'])).out) as { subscriptions: { status: string; cancelReason: string }[] };
    expect(listed.subscriptions.map((s) => [s.status, s.cancelReason])).toEqual([['cancelled', 'Closing']]);
    expect((await rt.core.customers.get('AK5521')).cancellation).toMatchObject({ on: '2026-04-01', mode: 'end_of_term', reason: 'Closing', by: 'cli' });
    // Nothing more is billed for either.
    expect((await rt.core.billing.run({ asOf: '2026-05-01', dryRun: false }, 'dana')).invoices).toEqual([]);
    const again = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'AK5521', '--mode', 'immediate', '--as-of', '2026-03-21', '--reason', 'x']);
    expect(again.code).toBe(1);
    expect(again.err).toBe('CONFLICT: AK5521 is cancelled already on 2026-04-01\n');
    const unknown = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'ZZ9999', '--mode', 'immediate', '--as-of', '2026-03-21', '--reason', 'x']);
    expect(unknown.code).toBe(1);
    const audit = await rawSql(rt.ledger).all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'subscription.%' OR action LIKE 'customer.cancel' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['subscription.create', 'subscription.create', 'subscription.cancel', 'customer.cancel', 'subscription.cancel', 'customer.cancel']);
    await expectHealthy(rt);
  });

  it('cancels one subscription with --subscription and leaves the account active', async () => {
    const a = await rt.core.subscriptions.create(
      { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Lawn care', unitPriceCents: 3100, quantity: 1, taxable: false }] },
      'dana',
    );
    await rt.core.subscriptions.create(
      { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-03-01', lines: [{ description: 'Gutters', unitPriceCents: 2000, quantity: 1, taxable: false }] },
      'dana',
    );
    await rt.core.billing.run({ asOf: '2026-03-01', dryRun: false }, 'dana');
    const one = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'cl1042', '--subscription', String(a.id), '--mode', 'immediate', '--as-of', '2026-03-21', '--reason', 'Too much lawn']);
    expect(one.code).toBe(0);
    // 11 of 31 days of $31.00: 1100.
    expect(JSON.parse(one.out)).toEqual({ cancelled: [{ subscriptionId: a.id, endDate: '2026-03-20', creditNumber: expect.stringMatching(/^CR-/), creditCents: 1100 }] });
    expect((await rt.core.customers.get('CL1042')).status).toBe('active');
    const listed = JSON.parse((await cli(['--db', db, 'subscriptions', 'list', '--customer', 'CL1042', '--format', 'json'])).out) as { subscriptions: { status: string }[] };
    expect(listed.subscriptions.map((s) => s.status)).toEqual(['cancelled', 'active']);
    const gone = await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'CL1042', '--subscription', String(a.id), '--mode', 'immediate', '--as-of', '2026-03-21', '--reason', 'x']);
    expect(gone).toMatchObject({ code: 1, err: `NOT_FOUND: CL1042 has no active subscription ${a.id}\n` });
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await cli(['--db', db, 'billing', 'run'])).err).toMatch(/--as-of YYYY-MM-DD is required/);
    expect((await cli(['--db', db, 'billing', 'run', '--as-of', '2026-02-30'])).code).toBe(2);
    expect((await cli(['--db', db, 'billing', 'go'])).code).toBe(2);
    expect((await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'CL1042', '--mode', 'soon', '--as-of', '2026-03-01', '--reason', 'x'])).code).toBe(2);
    expect((await cli(['--db', db, 'subscriptions', 'cancel', '--customer', 'CL1042', '--mode', 'immediate', '--as-of', '2026-03-01'])).code).toBe(2);
    expect((await cli(['--db', db, 'billing', 'run', '--as-of', '2026-03-01', '--lead-days', '31'])).code).toBe(2);
    expect((await rt.core.customers.get('CL1042')).status).toBe('active');
  });
});
