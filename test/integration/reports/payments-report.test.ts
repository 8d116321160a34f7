import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { paymentsReportCsv } from '../../../src/shared/paymentsReportCsv';
import { addInvoice, bankMethod, call, callError, cardMethod, CARDS, expectHealthy, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { keepPdf, pdfText } from '../../helpers/documents-fixtures';
import { dayOfPayments, pay, type DayOfPayments } from './fixtures';

let rt: PaymentsRuntime;
let day: DayOfPayments;

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-11-20T15:00:00Z' });
  day = await dayOfPayments(rt);
  // The next business day: a Visa payment outside a one-day range.
  rt.clock.set('2026-11-21T15:00:00Z');
  const c = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2002').executeTakeFirstOrThrow()).id;
  await addInvoice(rt.ledger.db, c, 'INV-E', 2_000);
  await pay(rt, 'CL2002', 'INV-E', 2_000, cardMethod(CARDS.visa), 'clerk.bob');
});
afterEach(async () => {
  await rt.dispose();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['--db', path.join(rt.dir, 'ledger.db'), ...args], { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('the payments report', () => {
  it('totals one day by card brand, bank and clerk, with voids and refunds apart, to the cent', async () => {
    const r = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-20' });
    expect(r.totals).toEqual({
      byMethod: [
        { method: 'card:mastercard', label: 'Mastercard', kind: 'card', brand: 'mastercard', capturedCount: 1, capturedCents: 25_000, refundCount: 1, refundedCents: 3_000, voidCount: 0, voidedCents: 0, netCents: 22_000 },
        { method: 'card:visa', label: 'Visa', kind: 'card', brand: 'visa', capturedCount: 2, capturedCents: 14_000, refundCount: 0, refundedCents: 0, voidCount: 1, voidedCents: 4_000, netCents: 10_000 },
        { method: 'bank', label: 'Bank account', kind: 'bank', brand: null, capturedCount: 1, capturedCents: 7_550, refundCount: 0, refundedCents: 0, voidCount: 0, voidedCents: 0, netCents: 7_550 },
      ],
      byClerk: [
        { clerk: 'clerk.amy', name: null, capturedCount: 3, capturedCents: 39_000, refundCount: 0, refundedCents: 0, voidCount: 0, voidedCents: 0, netCents: 39_000 },
        { clerk: 'clerk.bob', name: null, capturedCount: 1, capturedCents: 7_550, refundCount: 0, refundedCents: 0, voidCount: 0, voidedCents: 0, netCents: 7_550 },
        { clerk: 'sue.supervisor', name: null, capturedCount: 0, capturedCents: 0, refundCount: 1, refundedCents: 3_000, voidCount: 1, voidedCents: 4_000, netCents: -7_000 },
      ],
      capturedCents: 46_550,
      refundedCents: 3_000,
      voidedCents: 4_000,
      netCents: 39_550,
    });
    expect(r.payments.map((l) => [l.businessDate, l.type, l.paymentId, l.method, l.clerk, l.amountCents])).toEqual([
      ['2026-11-20', 'payment', day.visa, 'Visa ending 4242', 'clerk.amy', 10_000],
      ['2026-11-20', 'payment', day.mastercard, 'Mastercard ending 4444', 'clerk.amy', 25_000],
      ['2026-11-20', 'refund', day.mastercard, 'Mastercard ending 4444', 'sue.supervisor', -3_000],
      ['2026-11-20', 'payment', day.bank, 'Checking ending 6789', 'clerk.bob', 7_550],
      ['2026-11-20', 'payment', day.voided, 'Visa ending 4242', 'clerk.amy', 4_000],
      ['2026-11-20', 'void', day.voided, 'Visa ending 4242', 'sue.supervisor', -4_000],
    ]);
    expect(r.payments.reduce((s, l) => s + l.amountCents, 0)).toBe(39_550);
    expect(r.linesNotShown).toBe(0);
  });

  it('covers every business date of the range, both ends included', async () => {
    const r = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-21' });
    expect(r.totals.capturedCents).toBe(48_550);
    expect(r.totals.netCents).toBe(41_550);
    expect(r.totals.byMethod.find((m) => m.method === 'card:visa')).toMatchObject({ capturedCount: 3, capturedCents: 16_000, netCents: 12_000 });
    expect(r.totals.byClerk.find((c) => c.clerk === 'clerk.bob')).toMatchObject({ capturedCount: 2, capturedCents: 9_550 });
    const next = await call(rt, 'reports.payments', { from: '2026-11-21', to: '2026-11-21' });
    expect(next.totals).toMatchObject({ capturedCents: 2_000, refundedCents: 0, voidedCents: 0, netCents: 2_000 });
    expect(next.payments).toHaveLength(1);
    const empty = await call(rt, 'reports.payments', { from: '2026-11-01', to: '2026-11-19' });
    expect(empty).toEqual({ from: '2026-11-01', to: '2026-11-19', totals: { byMethod: [], byClerk: [], capturedCents: 0, refundedCents: 0, voidedCents: 0, netCents: 0 }, payments: [], writeOffs: [], linesNotShown: 0 });
  });

  it('groups any other kind of payment the rows hold under its own name, with no change to the report', async () => {
    const c = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2002').executeTakeFirstOrThrow()).id;
    for (const [kind, cents] of [['check', 12_345], ['cash', 500], ['check', 655]] as const) {
      await rt.ledger.db
        .insertInto('payments')
        .values({ customer_id: c, kind, status: 'captured', amount_cents: cents, received_on: '2026-11-20', created_at: '2026-11-20T16:00:00.000Z', created_by: 'clerk.bob' })
        .execute();
    }
    const r = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-20' });
    expect(r.totals.byMethod.map((m) => [m.method, m.label, m.capturedCount, m.capturedCents, m.netCents])).toEqual([
      ['card:mastercard', 'Mastercard', 1, 25_000, 22_000],
      ['card:visa', 'Visa', 2, 14_000, 10_000],
      ['bank', 'Bank account', 1, 7_550, 7_550],
      ['cash', 'Cash', 1, 500, 500],
      ['check', 'Check', 2, 13_000, 13_000],
    ]);
    expect(r.totals).toMatchObject({ capturedCents: 60_050, netCents: 53_050 });
    expect(r.totals.byClerk.find((x) => x.clerk === 'clerk.bob')).toMatchObject({ capturedCount: 4, capturedCents: 21_050 });
  });

  it('reports a wire and a bank transfer as methods of their own, apart from bank debits, to the cent, on screen, in the CSV and on the command line', async () => {
    const db = rt.ledger.db;
    const c = (await db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2002').executeTakeFirstOrThrow()).id;
    const invoices = { 'INV-BK': 3_100, 'INV-CK': 4_200, 'INV-CA': 1_050, 'INV-WI': 9_999, 'INV-TR': 12_301 };
    for (const [number, cents] of Object.entries(invoices)) await addInvoice(db, c, number, cents);
    // 2026-11-21 holds the Visa payment of beforeEach ($20.00, clerk.bob); then a bank debit, a check, cash, a wire and a transfer.
    await pay(rt, 'CL2002', 'INV-BK', 3_100, bankMethod('000123456789'), 'clerk.amy');
    const received = async (invoiceNumber: keyof typeof invoices, fields: object, actor: string) => {
      const r = await call(rt, 'payments.recordReceived', { customerNumber: 'CL2002', invoiceNumbers: [invoiceNumber], creditNumbers: [], amountCents: invoices[invoiceNumber], idempotencyKey: newKey(), ...fields } as never, actor);
      expect(r.status).toBe('approved');
      return (r as { paymentId: number }).paymentId;
    };
    await received('INV-CK', { method: 'check', checkNumber: '7001', checkBank: 'Columbia Bank' }, 'clerk.amy');
    await received('INV-CA', { method: 'cash' }, 'clerk.bob');
    const wire = await received('INV-WI', { method: 'wire', reference: 'FW-2211' }, 'clerk.bob');
    await received('INV-TR', { method: 'transfer', reference: 'TR-88A1' }, 'clerk.amy');
    // Part of the wire is paid back by our check the same day.
    await call(rt, 'payments.refund', { paymentId: wire, reason: 'Sent too much', amountCents: 999, payout: { method: 'check', checkNumber: '501' } }, 'sue.supervisor');
    const stored = await db.selectFrom('payments').select(['kind', 'received_via']).where('received_via', 'in', ['wire', 'transfer']).orderBy('id').execute();
    expect(stored).toEqual([{ kind: 'bank', received_via: 'wire' }, { kind: 'bank', received_via: 'transfer' }]);

    const r = await call(rt, 'reports.payments', { from: '2026-11-21', to: '2026-11-21' });
    const none = { refundCount: 0, refundedCents: 0, voidCount: 0, voidedCents: 0 };
    expect(r.totals.byMethod).toEqual([
      { method: 'card:visa', label: 'Visa', kind: 'card', brand: 'visa', capturedCount: 1, capturedCents: 2_000, ...none, netCents: 2_000 },
      { method: 'bank', label: 'Bank account', kind: 'bank', brand: null, capturedCount: 1, capturedCents: 3_100, ...none, netCents: 3_100 },
      { method: 'transfer', label: 'Bank transfer', kind: 'transfer', brand: null, capturedCount: 1, capturedCents: 12_301, ...none, netCents: 12_301 },
      { method: 'cash', label: 'Cash', kind: 'cash', brand: null, capturedCount: 1, capturedCents: 1_050, ...none, netCents: 1_050 },
      { method: 'check', label: 'Check', kind: 'check', brand: null, capturedCount: 1, capturedCents: 4_200, ...none, netCents: 4_200 },
      { method: 'wire', label: 'Wire', kind: 'wire', brand: null, capturedCount: 1, capturedCents: 9_999, ...none, refundCount: 1, refundedCents: 999, netCents: 9_000 },
    ]);
    expect(r.totals).toMatchObject({ capturedCents: 32_650, refundedCents: 999, voidedCents: 0, netCents: 31_651 });
    expect(r.totals.byClerk.map((x) => [x.clerk, x.capturedCount, x.capturedCents, x.refundedCents, x.netCents])).toEqual([
      ['clerk.amy', 3, 19_601, 0, 19_601],
      ['clerk.bob', 3, 13_049, 0, 13_049],
      ['sue.supervisor', 0, 0, 999, -999],
    ]);
    expect(r.payments.map((l) => [l.type, l.kind, l.method, l.amountCents])).toEqual([
      ['payment', 'card', 'Visa ending 4242', 2_000],
      ['payment', 'bank', 'Checking ending 6789', 3_100],
      ['payment', 'check', 'Check', 4_200],
      ['payment', 'cash', 'Cash', 1_050],
      ['payment', 'wire', 'Wire', 9_999],
      // The clock is frozen: lines of the same moment follow their payment.
      ['refund', 'wire', 'Wire', -999],
      ['payment', 'transfer', 'Bank transfer', 12_301],
    ]);
    expect(paymentsReportCsv(r)).toContain(',CL2002,Pine Street Bakery,Wire,sue.supervisor,-9.99,Sent too much');
    const pdf = await call(rt, 'reports.paymentsPdf', { from: '2026-11-21', to: '2026-11-21' });
    const text = pdfText(keepPdf(`payments-report-wire-transfer-${rt.ledger.dialect}`, Buffer.from(pdf.base64, 'base64'))).replace(/\s+/g, ' ');
    expect(text).toMatch(/Bank account 1 \$31\.00 /);
    expect(text).toMatch(/Bank transfer 1 \$123\.01 /);
    expect(text).toMatch(/Wire 1 \$99\.99 /);

    const json = await cli(['report', 'payments', '--from', '2026-11-21', '--to', '2026-11-21', '--format', 'json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as Record<string, unknown> & { totals: Record<string, unknown> };
    expect(Object.keys(parsed)).toEqual(['from', 'to', 'totals', 'payments', 'writeOffs']);
    expect(Object.keys(parsed.totals)).toEqual(['byMethod', 'byClerk', 'capturedCents', 'refundedCents', 'voidedCents', 'netCents']);
    expect(parsed.totals).toEqual(r.totals);
    await expectHealthy(db);
  });

  it('refuses a range that ends before it starts, at the field, and a date that is no date', async () => {
    expect(await callError(rt, 'reports.payments', { from: '2026-11-21', to: '2026-11-20' })).toMatchObject({
      code: 'VALIDATION',
      message: 'to: must be on or after the first date (2026-11-21), got 2026-11-20',
      details: { fields: { to: 'must be on or after the first date (2026-11-21), got 2026-11-20' } },
    });
    expect(await callError(rt, 'reports.payments', { from: '2026-02-30', to: '2026-11-20' })).toMatchObject({ code: 'VALIDATION', details: { fields: { from: expect.any(String) } } });
  });

  it('writes the CSV with its header and one row per payment, void and refund', async () => {
    const r = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-20' });
    const text = paymentsReportCsv(r);
    const rows = text.split('\r\n');
    expect(rows[0]).toBe('Business date,Type,Confirmation,Customer number,Customer name,Method,Clerk,Amount,Note');
    const confirmation = r.payments[0]!.confirmationNumber;
    expect(rows[1]).toBe(`2026-11-20,payment,${confirmation},CL2001,Harbor Dental Group,Visa ending 4242,clerk.amy,100.00,captured`);
    expect(rows[3]).toBe(`2026-11-20,refund,${r.payments[2]!.confirmationNumber},CL2001,Harbor Dental Group,Mastercard ending 4444,sue.supervisor,-30.00,Service credit`);
    expect(rows).toHaveLength(8);
    expect(rows[7]).toBe('');
  });

  it('lists the write-offs of the range apart from the money, in no total, on screen, in the PDF and the JSON', async () => {
    const c = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2002').executeTakeFirstOrThrow()).id;
    await addInvoice(rt.ledger.db, c, 'INV-W', 1_234);
    const before = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-21' });
    expect(before.writeOffs).toEqual([]);
    await call(rt, 'corrections.writeOff', { invoiceNumber: 'INV-W', amountCents: 1_234, reason: 'Not worth collecting' }, 'sue');
    const r = await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-21' });
    expect(r.writeOffs).toEqual([
      { writtenOn: '2026-11-21', invoiceNumber: 'INV-W', customerNumber: 'CL2002', customerName: expect.any(String), clerk: 'sue', approvedBy: null, amountCents: 1_234, reason: 'Not worth collecting' },
    ]);
    expect(r.totals).toEqual(before.totals);
    expect(r.payments).toEqual(before.payments);
    expect((await call(rt, 'reports.payments', { from: '2026-11-20', to: '2026-11-20' })).writeOffs).toEqual([]);

    const pdf = await call(rt, 'reports.paymentsPdf', { from: '2026-11-20', to: '2026-11-21' });
    const text = pdfText(keepPdf(`payments-report-write-offs-${rt.ledger.dialect}`, Buffer.from(pdf.base64, 'base64'))).replace(/\s+/g, ' ');
    expect(text).toContain('Write-offs (not payments)');
    expect(text).toMatch(/11\/21\/2026 INV-W CL2002 .*sue Not worth collecting \$12\.34/);
    expect(text).toContain('Total 1 write-off $12.34');

    const json = await cli(['report', 'payments', '--from', '2026-11-21', '--to', '2026-11-21', '--format', 'json']);
    expect(JSON.parse(json.out).writeOffs).toEqual(r.writeOffs);
  });

  it('renders the PDF of the range', async () => {
    const pdf = await call(rt, 'reports.paymentsPdf', { from: '2026-11-20', to: '2026-11-21' });
    expect(pdf.fileName).toBe('payments-2026-11-20-to-2026-11-21.pdf');
    expect(pdf.pageCount).toBe(1);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('prints the report from the command line as JSON in the report shape, and as CSV', async () => {
    const json = await cli(['report', 'payments', '--from', '2026-11-20', '--to', '2026-11-20', '--format', 'json']);
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as Record<string, unknown> & { totals: Record<string, unknown>; payments: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['from', 'to', 'totals', 'payments', 'writeOffs']);
    expect(parsed).toMatchObject({ from: '2026-11-20', to: '2026-11-20' });
    expect(Object.keys(parsed.totals)).toEqual(['byMethod', 'byClerk', 'capturedCents', 'refundedCents', 'voidedCents', 'netCents']);
    expect(parsed.totals).toMatchObject({ capturedCents: 46_550, refundedCents: 3_000, voidedCents: 4_000, netCents: 39_550 });
    expect(parsed.payments).toHaveLength(6);
    expect(parsed.payments[0]).toMatchObject({ type: 'payment', customerNumber: 'CL2001', amountCents: 10_000, method: 'Visa ending 4242' });
    const csv = await cli(['report', 'payments', '--from', '2026-11-21', '--to', '2026-11-21', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.out.split('\r\n')[0]).toBe('Business date,Type,Confirmation,Customer number,Customer name,Method,Clerk,Amount,Note');
    expect(csv.out).toContain(',CL2002,Pine Street Bakery,Visa ending 4242,clerk.bob,20.00,captured');
  });

  it('refuses bad dates and a reversed range on the command line with a non-zero exit', async () => {
    const reversed = await cli(['report', 'payments', '--from', '2026-11-21', '--to', '2026-11-20']);
    expect(reversed.code).toBe(2);
    expect(reversed.err).toContain('--from (2026-11-21) is after --to (2026-11-20)');
    const bad = await cli(['report', 'payments', '--from', '2026-13-01', '--to', '2026-11-20']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--from must be a date as YYYY-MM-DD, not "2026-13-01"');
    const missing = await cli(['report', 'payments', '--from', '2026-11-20']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--to must be a date as YYYY-MM-DD');
  });
});
