import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { addDays } from '../../../src/shared/dates';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy, failure, invoiceInput } from '../ledger/fixtures';

// CL1042 owes $100.00 on an invoice issued Sep 1, due Oct 1, 2026: day N past due is Oct 1 + N.
const DUE = '2026-10-01';
const day = (n: number) => addDays(DUE, n);

let rt: TestRuntime;
let first: string;
const q = () => rawSql(rt.ledger);
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-10-01T15:00:00Z' });
  await rt.core.customers.create(customerInput(), 'dana');
  first = (await rt.core.invoices.create(invoiceInput('CL1042', 10_000, { issueDate: '2026-09-01', dueDate: DUE }), 'dana')).invoiceNumber;
});
afterEach(async () => {
  await rt.dispose();
});

/** The daily run on day N past due (the clock moved there too). */
async function runOn(n: number) {
  rt.clock.set(`${day(n)}T15:00:00Z`);
  return (await rt.core.billing.run({ asOf: day(n), dryRun: false }, 'billing-schedule')).dunning;
}
const notices = () =>
  q().all<{ level: number; action: string; sent_on: string; reached_on: string; past_due_cents: number; outbox_id: number | null; print_job_id: number | null }>(
    'SELECT level, action, sent_on, reached_on, past_due_cents, outbox_id, print_job_id FROM dunning_notices ORDER BY id',
  );
const count = async (table: string) => Number((await q().get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);

describe('past-due follow-up in the daily billing run', () => {
  it('reaches the email on exactly day 15, the letter on day 30 and the call on day 40, each once', async () => {
    for (const n of [0, 14]) expect((await runOn(n)).notices).toEqual([]);
    const d15 = await runOn(15);
    expect(d15.notices).toEqual([{ customerNumber: 'CL1042', level: 1, action: 'email', invoiceNumbers: [first], pastDueCents: 10_000, daysPastDue: 15, reachedOn: day(15) }]);
    const mail = await q().get<{ to_address: string; subject: string; body: string; attachment_kind: string; attachment_ref: string; status: string }>(
      'SELECT to_address, subject, body, attachment_kind, attachment_ref, status FROM outbox',
    );
    expect(mail).toMatchObject({ to_address: 'ap@clearwater.example', attachment_kind: 'statement', status: 'queued' });
    expect(JSON.parse(mail!.attachment_ref)).toEqual({ customerNumber: 'CL1042', asOf: day(15) });
    expect(mail!.body).toContain('$100.00');
    expect(mail!.body).toContain(first);
    // The same day again: nothing new.
    expect((await runOn(15)).notices).toEqual([]);
    expect((await runOn(29)).notices).toEqual([]);
    expect((await runOn(30)).notices.map((n) => [n.level, n.action, n.daysPastDue])).toEqual([[2, 'letter', 30]]);
    const job = await q().get<{ document_kind: string; document_ref: string; status: string }>('SELECT document_kind, document_ref, status FROM print_jobs');
    expect(job).toMatchObject({ document_kind: 'statement', status: 'queued' });
    expect(JSON.parse(job!.document_ref)).toEqual({ customerNumber: 'CL1042', asOf: day(30) });
    expect((await runOn(39)).notices).toEqual([]);
    expect((await runOn(40)).notices.map((n) => [n.level, n.action])).toEqual([[3, 'call']]);
    expect((await runOn(40)).notices).toEqual([]);
    expect((await runOn(90)).notices).toEqual([]);
    expect((await notices()).map((n) => [n.level, n.action, n.sent_on, n.outbox_id !== null, n.print_job_id !== null])).toEqual([
      [1, 'email', day(15), true, false],
      [2, 'letter', day(30), false, true],
      [3, 'call', day(40), false, false],
    ]);
    expect(await count('outbox')).toBe(1);
    expect(await count('print_jobs')).toBe(1);
    const audit = await q().all<{ summary: string }>("SELECT summary FROM audit_log WHERE action = 'dunning.notice' ORDER BY id");
    expect(audit.map((a) => JSON.parse(a.summary).level)).toEqual([1, 2, 3]);
    await expectHealthy(rt);
  });

  it('catches up after 10 days closed: each level reached and not sent, once, in order; none repeated', async () => {
    await runOn(12);
    const caught = await runOn(41);
    expect(caught.notices.map((n) => [n.level, n.action, n.reachedOn])).toEqual([
      [1, 'email', day(15)],
      [2, 'letter', day(30)],
      [3, 'call', day(40)],
    ]);
    expect((await runOn(41)).notices).toEqual([]);
    expect((await runOn(42)).notices).toEqual([]);
    expect(await count('dunning_notices')).toBe(3);
    expect(await count('outbox')).toBe(1);
    // The UNIQUE key refuses a second notice of a level for the same invoice, whatever the code does.
    await expect(q().run("INSERT INTO dunning_notice_invoices (notice_id, invoice_id, level) SELECT id, (SELECT id FROM invoices LIMIT 1), level FROM dunning_notices WHERE level = 1")).rejects.toThrow();
    await expectHealthy(rt);
  });

  it('bills late fees as their own invoices exactly as configured: fixed, percentage rounded half up, minimum, grace', async () => {
    const second = (await rt.core.invoices.create(invoiceInput('CL1042', 33_333, { issueDate: '2026-09-05', dueDate: '2026-10-05' }), 'dana')).invoiceNumber;
    await rt.core.dunning.setLevels(
      {
        levels: [
          { daysPastDue: 15, action: 'email', feeFixedCents: 500 },
          { daysPastDue: 30, action: 'letter', feePercentBp: 150, feeMinimumCents: 2_500, graceDays: 5 },
          { daysPastDue: 40, action: 'call', feeFixedCents: 100, feePercentBp: 200 },
        ],
        suspendAtLevel: null,
      },
      'lee',
    );
    const d15 = await runOn(15);
    expect(d15.lateFees).toEqual([{ customerNumber: 'CL1042', level: 1, invoiceNumber: expect.stringMatching(/^INV-/), invoiceNumbers: [first, second], baseCents: 43_333, feeCents: 500 }]);
    // Level 2 reached on day 30, its fee only after 5 days' grace: 1.5% of $433.33 is $6.50, under the $25.00 minimum.
    const d30 = await runOn(30);
    expect(d30.notices.map((n) => n.level)).toEqual([2]);
    expect(d30.lateFees).toEqual([]);
    expect((await runOn(34)).lateFees).toEqual([]);
    expect((await runOn(35)).lateFees.map((f) => [f.level, f.baseCents, f.feeCents])).toEqual([[2, 43_333, 2_500]]);
    expect((await runOn(35)).lateFees).toEqual([]);
    // Level 3: $1.00 + 2% of $433.33 ($8.6666, rounded half up to $8.67) = $9.67.
    expect((await runOn(40)).lateFees.map((f) => [f.level, f.baseCents, f.feeCents])).toEqual([[3, 43_333, 967]]);
    const rows = await q().all<{ invoice_number: string; total_cents: number; subtotal_cents: number; tax_cents: number; issue_date: string; due_date: string; description: string }>(
      `SELECT i.invoice_number, i.total_cents, i.subtotal_cents, i.tax_cents, i.issue_date, i.due_date, l.description
         FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id ORDER BY i.id`,
    );
    expect(rows.map((r) => [r.total_cents, r.subtotal_cents, r.tax_cents, r.issue_date, r.due_date])).toEqual([
      [10_000, 10_000, 0, '2026-09-01', DUE],
      [33_333, 33_333, 0, '2026-09-05', '2026-10-05'],
      [500, 500, 0, day(15), addDays(day(15), 30)],
      [2_500, 2_500, 0, day(35), addDays(day(35), 30)],
      [967, 967, 0, day(40), addDays(day(40), 30)],
    ]);
    expect(rows[2]!.description).toMatch(/^Late fee: follow-up level 1/);
    const fees = await q().all<{ base_cents: number; fee_cents: number }>('SELECT base_cents, fee_cents FROM dunning_late_fees ORDER BY notice_id');
    expect(fees.map((f) => [f.base_cents, f.fee_cents])).toEqual([[43_333, 500], [43_333, 2_500], [43_333, 967]]);
    await expectHealthy(rt);
  });

  it('starts again at level 1 once a payment brings the account current; suspends at level N and lifts it by payment', async () => {
    await rt.core.dunning.setLevels({ levels: [{ daysPastDue: 15, action: 'email' }, { daysPastDue: 30, action: 'letter' }], suspendAtLevel: 2 }, 'lee');
    await runOn(15);
    const d30 = await runOn(30);
    expect(d30.suspended).toEqual([{ customerNumber: 'CL1042', level: 2, change: 'suspended', invoiceNumbers: [first], pastDueCents: 10_000 }]);
    expect(await q().get('SELECT suspended_on, suspended_level FROM customer_collections')).toEqual({ suspended_on: day(30), suspended_level: 2 });
    expect((await runOn(31)).suspended).toEqual([]);
    // Shown in the aging and on the account.
    expect((await rt.core.aging.report({ asOf: day(31) })).customers.find((c) => c.customer_number === 'CL1042')).toMatchObject({ suspended_on: day(30) });
    expect((await rt.core.customers.account('CL1042')).followUp).toEqual({ suspendedOn: day(30), suspendedLevel: 2, noFollowUp: false, assignedTo: null });
    // Paid in full by a credit on day 32: current again, the suspension lifted with the credit's application.
    rt.clock.set(`${day(32)}T15:00:00Z`);
    const credit = await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 10_000, reason: 'Paid at the counter' }, 'dana');
    await rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: [first], creditNumbers: [credit.creditNumber] }, 'dana');
    expect(await q().get('SELECT suspended_on, suspended_level FROM customer_collections')).toEqual({ suspended_on: null, suspended_level: null });
    const unsuspend = await q().all<{ actor: string; summary: string }>("SELECT actor, summary FROM audit_log WHERE action = 'account.unsuspend'");
    expect(unsuspend.map((a) => [a.actor, JSON.parse(a.summary)])).toEqual([
      ['dana', { customerNumber: 'CL1042', reason: 'paid current', suspendedOn: day(30), suspendedLevel: 2, paidOn: day(32), paymentId: null, creditId: expect.any(Number) }],
    ]);
    expect((await runOn(32)).suspended).toEqual([]);
    expect((await rt.core.aging.report({ asOf: day(32) })).customers.find((c) => c.customer_number === 'CL1042')?.suspended_on).toBeUndefined();
    expect((await rt.core.customers.account('CL1042')).followUp).toBeUndefined();
    // A new invoice falls past due: it starts at level 1, on its own 15th day.
    const next = (await rt.core.invoices.create(invoiceInput('CL1042', 7_000, { issueDate: day(32), dueDate: day(40) }), 'dana')).invoiceNumber;
    expect((await runOn(54)).notices).toEqual([]);
    expect((await runOn(55)).notices.map((n) => [n.level, n.invoiceNumbers, n.pastDueCents])).toEqual([[1, [next], 7_000]]);
    await expectHealthy(rt);
  });

  it('leaves out disputed invoices and customers marked no follow-up, and follows up the rest', async () => {
    await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
    await rt.core.customers.create(customerInput({ customerNumber: 'BR7001', legalName: 'Birch Roofing', email: 'ap@birch.example' }), 'dana');
    await rt.core.invoices.create(invoiceInput('AK5521', 5_000, { issueDate: '2026-09-01', dueDate: DUE }), 'dana');
    const birch = (await rt.core.invoices.create(invoiceInput('BR7001', 6_000, { issueDate: '2026-09-01', dueDate: DUE }), 'dana')).invoiceNumber;
    await rt.core.disputes.open({ customerNumber: 'CL1042', invoiceNumbers: [first], reason: 'Never received the service' }, 'amy');
    await rt.core.collections.setNoFollowUp({ customerNumber: 'AK5521', noFollowUp: true }, 'sue');
    const d15 = await runOn(15);
    expect(d15.notices.map((n) => [n.customerNumber, n.invoiceNumbers])).toEqual([['BR7001', [birch]]]);
    expect((await runOn(45)).notices.map((n) => [n.customerNumber, n.level])).toEqual([['BR7001', 2], ['BR7001', 3]]);
    const audit = await q().get<{ summary: string }>("SELECT summary FROM audit_log WHERE action = 'collections.noFollowUp'");
    expect(JSON.parse(audit!.summary)).toEqual({ customerNumber: 'AK5521', noFollowUp: true });
    await expectHealthy(rt);
  });

  it('a dry run says what it would send and writes nothing', async () => {
    rt.clock.set(`${day(40)}T15:00:00Z`);
    const dry = await rt.core.billing.run({ asOf: day(40), dryRun: true }, 'dana');
    expect(dry.dunning.notices.map((n) => n.level)).toEqual([1, 2, 3]);
    expect(await count('dunning_notices')).toBe(0);
    expect(await count('outbox')).toBe(0);
  });

  it('billing run --format json names each notice, late fee and suspension', async () => {
    await rt.core.dunning.setLevels({ levels: [{ daysPastDue: 15, action: 'email', feeFixedCents: 1_500 }], suspendAtLevel: 1 }, 'lee');
    rt.clock.set(`${day(15)}T15:00:00Z`);
    let out = '';
    const code = await runCli(['--db', path.join(rt.dir, 'ledger.db'), 'billing', 'run', '--as-of', day(15), '--format', 'json'], { out: (t) => (out += t), err: () => undefined });
    expect(code).toBe(0);
    const json = JSON.parse(out) as { dunning: unknown };
    expect(json.dunning).toEqual({
      notices: [{ customerNumber: 'CL1042', level: 1, action: 'email', invoiceNumbers: [first], pastDueCents: 10_000, daysPastDue: 15, reachedOn: day(15) }],
      lateFees: [{ customerNumber: 'CL1042', level: 1, invoiceNumber: expect.stringMatching(/^INV-/), invoiceNumbers: [first], baseCents: 10_000, feeCents: 1_500 }],
      suspended: [{ customerNumber: 'CL1042', level: 1, change: 'suspended', invoiceNumbers: [first], pastDueCents: 10_000 }],
    });
  });
});

describe('the follow-up levels', () => {
  it('start as an email at 15 days, a letter at 30 and a call at 40, no fees', async () => {
    const l = await rt.core.dunning.levels();
    expect(l.levels.map((x) => [x.level, x.daysPastDue, x.action, x.feeFixedCents, x.feePercentBp])).toEqual([[1, 15, 'email', 0, 0], [2, 30, 'letter', 0, 0], [3, 40, 'call', 0, 0]]);
    expect(l.suspendAtLevel).toBeNull();
  });

  it('refuses days that do not increase, an unknown action, negative amounts and a suspend level past the last, by field', async () => {
    const e = await failure(
      rt.core.dunning.setLevels(
        { levels: [{ daysPastDue: 20, action: 'email' }, { daysPastDue: 20, action: 'fax', feeFixedCents: -1, feePercentBp: 20_000 }], suspendAtLevel: 3 },
        'lee',
      ),
    );
    expect(e.code).toBe('VALIDATION');
    expect((e.details as { fields: Record<string, string> }).fields).toEqual({
      'levels.1.daysPastDue': "must be more than level 1's 20 days",
      'levels.1.action': 'must be email, letter or call',
      'levels.1.feeFixedCents': 'must be a whole amount of cents, 0 or more',
      'levels.1.feePercentBp': 'must be 0 to 10000 basis points (0% to 100%)',
      suspendAtLevel: 'must be a level from 1 to 2, or none',
    });
    expect((await rt.core.dunning.levels()).levels).toHaveLength(3);
  });
});
