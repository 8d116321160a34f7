import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statementsAsOf } from '../../../src/main/documents/statement.repo';
import { keepPdf, pdfText } from '../../helpers/documents-fixtures';
import { testEngine } from '../../helpers/engine';
import {
  addCredit,
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  creditLeft,
  expectHealthy,
  invoiceStatus,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';
import { addStaff, auditRows, callAs, errorOf, PASSWORD, sessionOf } from '../../helpers/staff-fixtures';

let rt: PaymentsRuntime;
let customerId: number;

// CL1042 owes INV-1 $100.00 (due Sep 1), INV-2 $200.00 (Oct 1), INV-3 $50.00 (Nov 1); CL2000 owes INV-9 $75.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  customerId = await addCustomer(db, 'CL1042');
  await addInvoice(db, customerId, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(db, customerId, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addInvoice(db, customerId, 'INV-3', 5_000, { dueDate: '2026-11-01' });
  const other = await addCustomer(db, 'CL2000');
  await addInvoice(db, other, 'INV-9', 7_500);
});
afterEach(async () => {
  await rt.dispose();
});

async function keepOverpayments(): Promise<void> {
  await rt.core.settings.updateOffice({ policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit' } }, 'admin');
}

async function pay(invoiceNumbers: string[], amountCents: number, creditNumbers: string[] = []): Promise<number> {
  const r = await call(rt, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers,
    creditNumbers,
    amountCents,
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: amountCents,
    idempotencyKey: newKey(),
  });
  if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
  return r.paymentId;
}

async function opens(): Promise<Record<string, number>> {
  const db = rt.ledger.db;
  return { 'INV-1': await openCents(db, 'INV-1'), 'INV-2': await openCents(db, 'INV-2'), 'INV-3': await openCents(db, 'INV-3') };
}

async function onAccountOf(paymentId: number): Promise<number> {
  return (await call(rt, 'payments.get', { paymentId })).unappliedCents;
}

/** Every money row, to show a refusal left them all as they were. */
async function snapshot(): Promise<unknown> {
  const db = rt.ledger.db;
  return {
    applications: await db.selectFrom('applications').selectAll().orderBy('id').execute(),
    payments: await db.selectFrom('payments').select(['id', 'unapplied_cents', 'status']).orderBy('id').execute(),
    invoices: await db.selectFrom('invoices').select(['id', 'status']).orderBy('id').execute(),
    writeOffs: await db.selectFrom('write_offs').selectAll().orderBy('id').execute(),
  };
}

describe('money on account', () => {
  it('keeps an overpayment on account, shows it on the account and in aging, and applies it to a later invoice', async () => {
    await keepOverpayments();
    const paymentId = await pay(['INV-1'], 13_000);
    expect(await onAccountOf(paymentId)).toBe(3_000);
    const account = await call(rt, 'customers.account', { customerNumber: 'CL1042' });
    expect(account.balance.onAccountCents).toBe(3_000);
    expect(account.onAccount).toEqual([expect.objectContaining({ paymentId, onAccountCents: 3_000, methodLabel: 'Visa ending 4242' })]);
    const aging = await call(rt, 'aging.report', { asOf: '2026-11-20' });
    expect(aging.customers.find((c) => c.customer_number === 'CL1042')).toMatchObject({ total: 25_000, unapplied_credits_cents: 3_000 });
    expect(aging.totals.unapplied_credits_cents).toBe(3_000);
    await expectHealthy(rt.ledger.db);

    // Under exact payments, money on account may only settle an invoice in full.
    await rt.core.settings.updateOffice({ policy: { exactInvoicePayments: true } }, 'admin');
    const partial = await callError(rt, 'corrections.applyOnAccount', { paymentId, invoiceNumber: 'INV-3', amountCents: 1_250 });
    expect(partial).toMatchObject({ code: 'VALIDATION', details: { fields: { amountCents: 'the house rules settle invoices in full, and $30.00 on account does not pay the $50.00 open on INV-3' } } });
    expect(await onAccountOf(paymentId)).toBe(3_000);
    await keepOverpayments();

    // In part to pay part of INV-3 (partial payments allowed), then the rest.
    const first = await call(rt, 'corrections.applyOnAccount', { paymentId, invoiceNumber: 'INV-3', amountCents: 1_250 });
    expect(first).toEqual({ paymentId, invoiceNumber: 'INV-3', amountCents: 1_250, onAccountCents: 1_750, invoiceOpenCents: 3_750 });
    await expectHealthy(rt.ledger.db);
    await call(rt, 'corrections.applyOnAccount', { paymentId, invoiceNumber: 'INV-3', amountCents: 1_750 });
    expect(await opens()).toEqual({ 'INV-1': 0, 'INV-2': 20_000, 'INV-3': 2_000 });
    expect(await onAccountOf(paymentId)).toBe(0);
    expect(await call(rt, 'aging.report', { asOf: '2026-11-20' })).toMatchObject({ totals: { unapplied_credits_cents: 0 } });
    await expectHealthy(rt.ledger.db);

    const more = await callError(rt, 'corrections.applyOnAccount', { paymentId, invoiceNumber: 'INV-3', amountCents: 1 });
    expect(more).toMatchObject({ code: 'VALIDATION', details: { fields: { amountCents: expect.stringContaining('$0.00 this payment holds on account') } } });
  });

  it('refunds part of the money on account to the card, the invoices untouched', async () => {
    await keepOverpayments();
    const paymentId = await pay(['INV-1'], 13_000);
    const refunded = await call(rt, 'payments.refund', { paymentId, reason: 'Customer asked for the extra back', amountCents: 1_000 });
    expect(refunded).toMatchObject({ status: 'completed', amountCents: 1_000, reopened: [] });
    expect(await onAccountOf(paymentId)).toBe(2_000);
    expect(await opens()).toEqual({ 'INV-1': 0, 'INV-2': 20_000, 'INV-3': 5_000 });
    const detail = await call(rt, 'payments.get', { paymentId });
    expect(detail).toMatchObject({ refundedCents: 1_000, refundableCents: 12_000 });
    const gatewayRefund = (await rt.gateway.records()).find((r) => r.kind === 'refund');
    expect(gatewayRefund).toMatchObject({ amountCents: 1_000 });
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a refund above what is refundable at the amount field, and refunds a chosen amount', async () => {
    const paymentId = await pay(['INV-1'], 10_000);
    const before = await snapshot();
    const over = await callError(rt, 'payments.refund', { paymentId, reason: 'Too much', amountCents: 10_001 });
    expect(over).toMatchObject({ code: 'VALIDATION', details: { fields: { amountCents: 'A refund of $100.01 is more than the $100.00 captured and not yet refunded' } } });
    expect(await snapshot()).toEqual(before);
    await call(rt, 'payments.refund', { paymentId, reason: 'Service visit shortened', amountCents: 2_345 });
    expect(await opens()).toEqual({ 'INV-1': 2_345, 'INV-2': 20_000, 'INV-3': 5_000 });
    expect(await call(rt, 'payments.get', { paymentId })).toMatchObject({ refundedCents: 2_345, refundableCents: 7_655 });
    await expectHealthy(rt.ledger.db);
  });
});

describe('re-apply', () => {
  it('moves part of a payment from one invoice to another and then back on account, with both rows in the history', async () => {
    await keepOverpayments();
    const paymentId = await pay(['INV-1'], 10_000);
    const moved = await call(rt, 'corrections.reapply', {
      source: { paymentId },
      fromInvoiceNumber: 'INV-1',
      toInvoiceNumber: 'INV-3',
      amountCents: 4_000,
      reason: 'Customer meant this for the November visit',
    });
    expect(moved).toEqual({ customerNumber: 'CL1042', fromInvoiceNumber: 'INV-1', toInvoiceNumber: 'INV-3', amountCents: 4_000, fromOpenCents: 4_000, toOpenCents: 1_000 });
    expect(await opens()).toEqual({ 'INV-1': 4_000, 'INV-2': 20_000, 'INV-3': 1_000 });
    expect(await invoiceStatus(rt.ledger.db, 'INV-1')).toBe('open');
    await expectHealthy(rt.ledger.db);

    const back = await call(rt, 'corrections.reapply', {
      source: { paymentId },
      fromInvoiceNumber: 'INV-3',
      toInvoiceNumber: null,
      amountCents: 4_000,
      reason: 'Hold it until the invoice is corrected',
    });
    expect(back).toMatchObject({ toInvoiceNumber: null, fromOpenCents: 5_000, toOpenCents: null });
    expect(await onAccountOf(paymentId)).toBe(4_000);
    await expectHealthy(rt.ledger.db);

    const { rows } = await call(rt, 'corrections.history', { customerNumber: 'CL1042' });
    expect(rows.map((r) => [r.kind, r.invoiceNumber, r.amountCents, r.reason, r.createdBy])).toEqual([
      ['reversal', 'INV-3', -4_000, 'Hold it until the invoice is corrected', 'clerk.amy'],
      ['application', 'INV-3', 4_000, 'Customer meant this for the November visit', 'clerk.amy'],
      ['application', 'INV-1', 6_000, 'Customer meant this for the November visit', 'clerk.amy'],
      ['reversal', 'INV-1', -10_000, 'Customer meant this for the November visit', 'clerk.amy'],
    ]);
    expect((await auditRows(rt, 'application.reapply')).length).toBe(2);
  });

  it('moves a credit between invoices', async () => {
    await addCredit(rt.ledger.db, customerId, 'CR-1', 5_000);
    await call(rt, 'credits.apply', { customerNumber: 'CL1042', invoiceNumbers: ['INV-3'], creditNumbers: ['CR-1'] });
    expect(await openCents(rt.ledger.db, 'INV-3')).toBe(0);
    await call(rt, 'corrections.reapply', { source: { creditNumber: 'CR-1' }, fromInvoiceNumber: 'INV-3', toInvoiceNumber: null, amountCents: 5_000, reason: 'Wrong invoice' });
    expect(await creditLeft(rt.ledger.db, 'CR-1')).toBe(5_000);
    expect(await openCents(rt.ledger.db, 'INV-3')).toBe(5_000);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses another customer’s invoice, more than is applied, overpaying the target, a disputed or void target, and a blank reason, changing nothing', async () => {
    const paymentId = await pay(['INV-1'], 10_000);
    const db = rt.ledger.db;
    await db.updateTable('invoices').set({ disputed: 1, dispute_reason: 'Not received' }).where('invoice_number', '=', 'INV-2').execute();
    await addInvoice(db, customerId, 'INV-4', 3_000);
    await db.updateTable('invoices').set({ status: 'void', void_reason: 'Billed twice' }).where('invoice_number', '=', 'INV-4').execute();
    const before = await snapshot();
    const base = { source: { paymentId }, fromInvoiceNumber: 'INV-1', reason: 'Move it' };
    const cases: [object, string, RegExp][] = [
      [{ ...base, toInvoiceNumber: 'INV-9', amountCents: 1_000 }, 'toInvoiceNumber', /belongs to another customer/],
      [{ ...base, toInvoiceNumber: 'INV-3', amountCents: 10_001 }, 'amountCents', /more than the \$100\.00 of payment/],
      [{ ...base, toInvoiceNumber: 'INV-3', amountCents: 5_001 }, 'toInvoiceNumber', /would overpay INV-3, which has \$50\.00 open/],
      [{ ...base, toInvoiceNumber: 'INV-2', amountCents: 1_000 }, 'toInvoiceNumber', /disputed/],
      [{ ...base, toInvoiceNumber: 'INV-4', amountCents: 1_000 }, 'toInvoiceNumber', /void/],
      [{ ...base, toInvoiceNumber: 'INV-3', amountCents: 1_000, reason: '  ' }, 'reason', /required/],
      [{ ...base, fromInvoiceNumber: 'INV-2', toInvoiceNumber: 'INV-3', amountCents: 1_000 }, 'fromInvoiceNumber', /nothing of payment/],
    ];
    for (const [input, field, message] of cases) {
      const e = await callError(rt, 'corrections.reapply', input as never);
      expect(e.code, JSON.stringify(input)).toBe('VALIDATION');
      expect((e.details as { fields: Record<string, string> }).fields[field]).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
    await expectHealthy(db);
  });
});

describe('write-off', () => {
  beforeEach(async () => {
    await addStaff(rt, 'dana', 'admin');
    await addStaff(rt, 'sue', 'supervisor');
    await addStaff(rt, 'amy', 'clerk');
  });

  it('writes off a small balance within the limit; above the limit is refused naming it', async () => {
    await call(rt, 'payments.refund', { paymentId: await pay(['INV-3'], 5_000), reason: 'Part back', amountCents: 1_999 });
    expect(await openCents(rt.ledger.db, 'INV-3')).toBe(1_999);
    const before = await snapshot();
    const tooMuch = await callError(rt, 'corrections.writeOff', { invoiceNumber: 'INV-2', amountCents: 2_501, reason: 'Small balance' });
    expect(tooMuch).toMatchObject({ code: 'VALIDATION', details: { fields: { amountCents: "$25.01 is more than the office's write-off limit of $25.00" } } });
    expect(await snapshot()).toEqual(before);

    const w = await call(rt, 'corrections.writeOff', { invoiceNumber: 'INV-3', amountCents: 1_999, reason: 'Not worth collecting' });
    expect(w).toMatchObject({ invoiceNumber: 'INV-3', amountCents: 1_999, invoiceOpenCents: 0 });
    expect(await invoiceStatus(rt.ledger.db, 'INV-3')).toBe('paid');
    const rows = await rt.ledger.db.selectFrom('applications').select(['source', 'amount_cents', 'write_off_id', 'payment_id', 'credit_id']).where('source', '=', 'write_off').execute();
    expect(rows).toEqual([{ source: 'write_off', amount_cents: 1_999, write_off_id: w.writeOffId, payment_id: null, credit_id: null }]);
    const aging = await call(rt, 'aging.report', { asOf: '2026-11-20' });
    expect(aging.customers.find((c) => c.customer_number === 'CL1042')?.total).toBe(30_000);
    const { rows: history } = await call(rt, 'corrections.history', { customerNumber: 'CL1042' });
    expect(history[0]).toMatchObject({ kind: 'write_off', sourceLabel: 'Write-off', invoiceNumber: 'INV-3', amountCents: 1_999, reason: 'Not worth collecting' });
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a disputed or void invoice', async () => {
    await rt.ledger.db.updateTable('invoices').set({ disputed: 1, dispute_reason: 'Not received' }).where('invoice_number', '=', 'INV-3').execute();
    const e = await callError(rt, 'corrections.writeOff', { invoiceNumber: 'INV-3', amountCents: 100, reason: 'x' });
    expect(e).toMatchObject({ code: 'VALIDATION', details: { fields: { invoiceNumber: expect.stringContaining('disputed') } } });
    await rt.ledger.db.updateTable('invoices').set({ status: 'void', void_reason: 'x' }).where('invoice_number', '=', 'INV-1').execute();
    const v = await callError(rt, 'corrections.writeOff', { invoiceNumber: 'INV-1', amountCents: 100, reason: 'x' });
    expect(v).toMatchObject({ code: 'VALIDATION', details: { fields: { invoiceNumber: expect.stringContaining('void') } } });
    expect(await rt.ledger.db.selectFrom('write_offs').selectAll().execute()).toEqual([]);
  });

  it('is refused to a clerk alone, and runs with a supervisor’s approval, both audited', async () => {
    const clerk = await sessionOf(rt, 'amy');
    const input = { invoiceNumber: 'INV-3', amountCents: 500, reason: 'Rounding left over' };
    expect(errorOf(await callAs(rt, clerk, 'corrections.writeOff', input))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
    expect(await openCents(rt.ledger.db, 'INV-3')).toBe(5_000);
    const ok = await callAs(rt, clerk, 'corrections.writeOff', { ...input, approval: { username: 'sue', password: PASSWORD, reason: 'Approved small balance' } });
    expect(ok).toMatchObject({ ok: true, data: { amountCents: 500, invoiceOpenCents: 4_500 } });
    expect(await rt.ledger.db.selectFrom('write_offs').select(['created_by', 'approved_by', 'amount_cents']).execute()).toEqual([
      { created_by: 'amy', approved_by: 'sue', amount_cents: 500 },
    ]);
    expect(await auditRows(rt, 'invoice.write_off')).toMatchObject([{ actor: 'amy', approved_by: 'sue', approval_reason: 'Approved small balance', outcome: 'success', customer_number: 'CL1042' }]);
    await expectHealthy(rt.ledger.db);
  });

  it('shows the write-off on the invoice as a write-off with its reason, and a credit memo still as a credit', async () => {
    await keepOverpayments();
    await addCredit(rt.ledger.db, customerId, 'CR-1', 1_000);
    await call(rt, 'credits.apply', { customerNumber: 'CL1042', invoiceNumbers: ['INV-3'], creditNumbers: ['CR-1'] });
    await call(rt, 'corrections.writeOff', { invoiceNumber: 'INV-3', amountCents: 700, reason: 'Small balance' });
    const invoice = await call(rt, 'invoices.get', { invoiceNumber: 'INV-3' });
    expect(invoice.applications.map((a) => [a.kind, a.label, a.amountCents, a.reason])).toEqual([
      ['credit', 'Credit', 1_000, null],
      ['write_off', 'Write-off', 700, 'Small balance'],
    ]);
    const texts = invoice.history.map((h) => h.text);
    expect(texts).toContain('$10.00 applied from credit CR-1');
    expect(texts.filter((t) => /700|7\.00/.test(t))).toEqual(['Written off $7.00: Small balance']);
    expect(texts.join('\n')).not.toMatch(/from credit\s*$|invoice\.write_off/m);
  });

  it('shows the write-off as its own line on the statement', async () => {
    await call(rt, 'corrections.writeOff', { invoiceNumber: 'INV-3', amountCents: 700, reason: 'Small balance' });
    const [statement] = await statementsAsOf(rt.ledger.db, { asOf: '2026-11-20', customerIds: [customerId] });
    expect(statement!.writeOffs).toEqual([{ invoiceNumber: 'INV-3', writtenOn: '2026-11-20', amountCents: 700, reason: 'Small balance' }]);
    expect(statement!.invoices.find((i) => i.invoiceNumber === 'INV-3')?.openCents).toBe(4_300);
    const doc = await rt.core.documents.build({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' });
    const text = pdfText(keepPdf('statement-write-off', doc.bytes)).replace(/[ \t]+/g, ' ');
    expect(text).toContain('Write-offs');
    expect(text).toMatch(/INV-3 11\/20\/2026 Small balance \$7\.00/);
  });
});

describe('on PostgreSQL', () => {
  it.skipIf(testEngine !== 'postgres')('a write-off and a re-apply wait for the customer’s row lock before reading the balance', async () => {
    const paymentId = await pay(['INV-1'], 10_000);
    const db = rt.ledger.db;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another workstation holds CL1042's lock while it moves money.
    const holder = db.transaction().execute(async (trx) => {
      await trx.selectFrom('customers').select('id').where('id', '=', customerId).forUpdate().execute();
      locked();
      await released;
    });
    await isLocked;
    const settled: string[] = [];
    const writeOff = call(rt, 'corrections.writeOff', { invoiceNumber: 'INV-3', amountCents: 100, reason: 'Small' }).then(() => settled.push('writeOff'));
    const reapply = call(rt, 'corrections.reapply', { source: { paymentId }, fromInvoiceNumber: 'INV-1', toInvoiceNumber: 'INV-3', amountCents: 4_900, reason: 'Move' }).then(() => settled.push('reapply'));
    await new Promise((r) => setTimeout(r, 400));
    expect(settled).toEqual([]);
    expect(await db.selectFrom('write_offs').selectAll().execute()).toEqual([]);
    release();
    await holder;
    await Promise.all([writeOff, reapply]);
    // Each read INV-3's balance after the other committed: $50.00 - $1.00 - $49.00 = 0.
    expect(await openCents(db, 'INV-3')).toBe(0);
    await expectHealthy(db);
  });
});
