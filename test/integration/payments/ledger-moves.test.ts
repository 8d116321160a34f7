import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import {
  addCredit,
  addCustomer,
  addInvoice,
  applicationRows,
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
import { rawSql } from '../../helpers/sql';

/**
 * The ledger changes under a payment: between the quote and the capture, another process (a
 * second runtime on the same ledger and gateway files: its own SQLite connection, its own
 * in-process locks) uses up the credit the payment counts on, voids the invoice, or settles the
 * same pending payment while the gateway's answer is late. The clerk's process is `a`, the other `b`.
 */

/** A gateway call held until released: before the processor sees it, or after it processed it (a late answer). */
interface Gate {
  reached: Promise<void>;
  release(): void;
}

function gate(): Gate & { pass(): Promise<void>; hit(): void } {
  let release!: () => void;
  let hit!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (hit = resolve));
  return { reached, release, hit, pass: () => opened };
}

/** The gateway with its next charge (and, when asked, its next lookup) held at a gate. */
function gated(inner: PaymentGateway, gates: { charge?: { gate: ReturnType<typeof gate>; when: 'before' | 'after' }; lookup?: ReturnType<typeof gate> }): PaymentGateway {
  return {
    name: inner.name,
    testMode: inner.testMode,
    tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
    tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
    void: (t, k) => inner.void(t, k),
    refund: (t, a, k) => inner.refund(t, a, k),
    charge: async (request) => {
      const g = gates.charge;
      if (!g) return inner.charge(request);
      gates.charge = undefined;
      if (g.when === 'before') {
        g.gate.hit();
        await g.gate.pass();
        return inner.charge(request);
      }
      const result = await inner.charge(request);
      g.gate.hit();
      await g.gate.pass();
      return result;
    },
    lookup: async (key) => {
      const g = gates.lookup;
      const result = await inner.lookup(key);
      if (g) {
        gates.lookup = undefined;
        g.hit();
        await g.pass();
      }
      return result;
    },
  };
}

let a: PaymentsRuntime;
let b: PaymentsRuntime;
let aGates: Parameters<typeof gated>[1];
let bGates: Parameters<typeof gated>[1];
let customerId: number;

beforeEach(async () => {
  aGates = {};
  bGates = {};
  a = await openPaymentsRuntime({ wrap: (g) => gated(g, aGates) });
  const db = a.ledger.db;
  const c = await addCustomer(db, 'CL1042', 'Harbor Lane Dental');
  customerId = c;
  await addInvoice(db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(db, c, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addCredit(db, c, 'CR-1', 4_000);
  b = await openPaymentsRuntime({ dir: a.dir, wrap: (g) => gated(g, bGates) });
});
afterEach(async () => {
  await b.close();
  await a.dispose();
});

/** INV-1 with CR-1: $40.00 of credit and $60.00 on the card. */
const withCredit = (key: string) => ({
  customerNumber: 'CL1042',
  invoiceNumbers: ['INV-1'],
  creditNumbers: ['CR-1'],
  method: cardMethod(CARDS.visa),
  confirmedAmountCents: 6_000,
  idempotencyKey: key,
});

async function auditOf(rt: PaymentsRuntime, paymentId: number): Promise<string[]> {
  const rows = await rt.ledger.db.selectFrom('audit_log').select('action').where('entity', '=', 'payment').where('entity_id', '=', String(paymentId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('another process uses up the credit the payment counts on', () => {
  it('captures the charge, applies only what the credit has left, and never uses the credit twice', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'before' };
    await addInvoice(a.ledger.db, customerId, 'INV-3', 4_000, { dueDate: '2026-11-01' });
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    // Meanwhile another clerk settles INV-3 with CR-1, which the payment at the gateway counts on for INV-1.
    expect(await call(b, 'credits.apply', { customerNumber: 'CL1042', invoiceNumbers: ['INV-3'], creditNumbers: ['CR-1'] })).toMatchObject({ totalCreditCents: 4_000 });
    g.release();
    const r = await submitting;
    expect(r).toMatchObject({ status: 'approved', amountCents: 6_000 });

    const db = a.ledger.db;
    expect((await applicationRows(db, r.paymentId)).map((x) => [x.invoice, x.source, x.credit, x.cents])).toEqual([['INV-1', 'payment', null, 6_000]]);
    expect(await creditLeft(db, 'CR-1')).toBe(0);
    expect(await openCents(db, 'INV-1')).toBe(4_000);
    expect(await openCents(db, 'INV-3')).toBe(0);
    expect(await openCents(db, 'INV-2')).toBe(20_000);
    const capture = await db.selectFrom('audit_log').select('summary').where('action', '=', 'payment.capture').executeTakeFirstOrThrow();
    expect(JSON.parse(capture.summary)).toMatchObject({ shortfalls: [{ invoiceNumber: 'INV-1', intendedCents: 4_000, appliedCents: 0 }] });
    await expectHealthy(db);
  });
});

describe('another process voids the invoice', () => {
  it('is refused while the payment is at the gateway, and the payment posts in full', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'before' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    expect(await callError(b, 'invoices.void', { invoiceNumber: 'INV-1', reason: 'Billed twice' })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/still being processed/),
    });
    g.release();
    expect(await submitting).toMatchObject({ status: 'approved' });
    expect(await invoiceStatus(a.ledger.db, 'INV-1')).toBe('paid');
    await expectHealthy(a.ledger.db);
  });

  it('after the quote and before the submit: the submit is refused and nothing is charged', async () => {
    expect(await call(a, 'payments.quote', { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-1'] })).toMatchObject({ ok: true, chargeCents: 6_000 });
    await call(b, 'invoices.void', { invoiceNumber: 'INV-1', reason: 'Billed twice' });
    const refused = await callError(a, 'payments.submit', withCredit(newKey()));
    expect(refused.code).not.toBe('INTERNAL');
    expect(await a.gateway.records()).toEqual([]);
    expect(await creditLeft(a.ledger.db, 'CR-1')).toBe(4_000);
    await expectHealthy(a.ledger.db);
  });

  it('voided anyway behind the app’s back while at the gateway: the charge is captured and held on account, nothing is applied to the void invoice', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'before' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    (await rawSql(b.ledger).run(`UPDATE invoices SET status = 'void', void_reason = 'by hand', voided_at = '2026-11-20T15:00:00Z', voided_by = 'dba' WHERE invoice_number = 'INV-1'`));
    g.release();
    const r = await submitting;
    expect(r).toMatchObject({ status: 'approved', amountCents: 6_000, applied: [] });
    const db = a.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([]);
    expect(await call(a, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ status: 'captured', unappliedCents: 6_000 });
    expect(await creditLeft(db, 'CR-1')).toBe(4_000);
    await expectHealthy(db);
  });
});

describe('another process settles the same pending payment while the gateway’s answer is late', () => {
  it('recovery posts it from the gateway’s record first; the late answer then changes nothing and gets the same confirmation', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'after' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    const report = await recoverPendingPayments(b.core);
    expect(report.payments).toMatchObject([{ outcome: 'captured', amountCents: 6_000 }]);
    g.release();
    const r = await submitting;
    expect(r).toMatchObject({ status: 'approved', confirmationNumber: report.payments[0]!.confirmationNumber });

    const db = a.ledger.db;
    expect((await applicationRows(db, r.paymentId)).map((x) => [x.invoice, x.source, x.credit, x.cents])).toEqual([
      ['INV-1', 'credit', 'CR-1', 4_000],
      ['INV-1', 'payment', null, 6_000],
    ]);
    expect(await auditOf(a, r.paymentId)).toEqual(['payment.submit', 'payment.capture']);
    expect((await a.gateway.records()).filter((x) => x.kind === 'charge')).toHaveLength(1);
    await expectHealthy(db);
  });

  it('recovery gave up on it before the charge reached the gateway; the gateway’s late approval still posts it, once', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'before' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    // Minutes pass with no answer (the clerk's computer slept with the request unsent): the other
    // workstation's recovery finds nothing at the gateway and fails the payment.
    b.clock.advance(5 * 60_000);
    expect((await recoverPendingPayments(b.core)).payments).toMatchObject([{ outcome: 'failed' }]);
    g.release();
    const r = await submitting;

    // The card was charged: the approval is posted and the clerk gets a confirmation, never "failed".
    expect(r).toMatchObject({ status: 'approved', amountCents: 6_000, confirmationNumber: expect.stringMatching(/^\w{4}-\w{4}$/) });
    const db = a.ledger.db;
    expect((await applicationRows(db, r.paymentId)).map((x) => [x.invoice, x.source, x.credit, x.cents])).toEqual([
      ['INV-1', 'credit', 'CR-1', 4_000],
      ['INV-1', 'payment', null, 6_000],
    ]);
    expect(await call(a, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ status: 'captured', declineCode: null });
    expect(await auditOf(a, r.paymentId)).toEqual(['payment.submit', 'payment.fail', 'payment.capture']);
    expect((await a.gateway.records()).filter((x) => x.kind === 'charge')).toHaveLength(1);
    await expectHealthy(db);
  });

  it('recovery gave up on it and the invoice was paid again meanwhile: the late approval is posted on account, not applied twice', async () => {
    const g = gate();
    aGates.charge = { gate: g, when: 'before' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await g.reached;
    b.clock.advance(5 * 60_000);
    await recoverPendingPayments(b.core);
    // The failure freed INV-1 and CR-1: another clerk takes the same payment with another card.
    const again = await call(b, 'payments.submit', { ...withCredit(newKey()), method: cardMethod(CARDS.mastercard) });
    expect(again).toMatchObject({ status: 'approved' });
    g.release();
    const r = await submitting;

    expect(r).toMatchObject({ status: 'approved', amountCents: 6_000, applied: [] });
    const db = a.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([]);
    expect(await call(a, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ status: 'captured', unappliedCents: 6_000 });
    expect(await openCents(db, 'INV-1')).toBe(0);
    expect(await creditLeft(db, 'CR-1')).toBe(0);
    await expectHealthy(db);
  });

  it('a decline recovery decided before the approval landed never overwrites the capture', async () => {
    const charge = gate();
    aGates.charge = { gate: charge, when: 'before' };
    const submitting = call(a, 'payments.submit', withCredit(newKey()));
    await charge.reached;
    // The other workstation's recovery asks the gateway, which has no record yet; it will fail the payment.
    const lookup = gate();
    bGates.lookup = lookup;
    b.clock.advance(5 * 60_000);
    const recovering = recoverPendingPayments(b.core);
    await lookup.reached;
    // Meanwhile the charge reaches the gateway and the clerk's process captures it.
    charge.release();
    const r = await submitting;
    expect(r).toMatchObject({ status: 'approved' });
    lookup.release();
    await recovering;

    const db = a.ledger.db;
    expect(await call(a, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ status: 'captured', declineCode: null, confirmationNumber: r.status === 'approved' ? r.confirmationNumber : '' });
    expect((await applicationRows(db, r.paymentId)).map((x) => [x.invoice, x.source, x.cents])).toEqual([
      ['INV-1', 'credit', 4_000],
      ['INV-1', 'payment', 6_000],
    ]);
    expect(await auditOf(a, r.paymentId)).toEqual(['payment.submit', 'payment.capture']);
    await expectHealthy(db);
  });
});
