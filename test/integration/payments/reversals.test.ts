import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import {
  addCredit,
  addCustomer,
  addInvoice,
  bankMethod,
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

let rt: PaymentsRuntime;
let paid: Extract<PaymentSubmitDto, { status: 'approved' }>;

// CL1042 pays INV-1 ($100, using all of CR-1's $30) and INV-2 ($200) with a Visa: $270 charged.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL1042');
  await addInvoice(db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(db, c, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addCredit(db, c, 'CR-1', 3_000);
  const r = await call(rt, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers: 'all',
    creditNumbers: ['CR-1'],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 27_000,
    idempotencyKey: newKey(),
  });
  if (r.status !== 'approved') throw new Error('not approved');
  paid = r;
  await expectHealthy(db);
});
afterEach(async () => {
  await rt.dispose();
});

async function balances() {
  const db = rt.ledger.db;
  return {
    'INV-1': [await openCents(db, 'INV-1'), await invoiceStatus(db, 'INV-1')],
    'INV-2': [await openCents(db, 'INV-2'), await invoiceStatus(db, 'INV-2')],
    'CR-1': await creditLeft(db, 'CR-1'),
  };
}

describe('payments.void', () => {
  it('voids the same day: the gateway voids, the invoices reopen and the credit comes back', async () => {
    const v = await call(rt, 'payments.void', { paymentId: paid.paymentId, reason: 'Customer paid twice by mistake' });
    expect(v).toEqual({
      status: 'completed',
      reversalId: expect.any(Number),
      paymentId: paid.paymentId,
      kind: 'void',
      amountCents: 27_000,
      message: null,
      reopened: [
        { invoiceNumber: 'INV-1', amountCents: 10_000 },
        { invoiceNumber: 'INV-2', amountCents: 20_000 },
      ],
      creditsRestored: [{ creditNumber: 'CR-1', amountCents: 3_000 }],
    });
    expect(await balances()).toEqual({ 'INV-1': [10_000, 'open'], 'INV-2': [20_000, 'open'], 'CR-1': 3_000 });
    expect(await call(rt, 'payments.get', { paymentId: paid.paymentId })).toMatchObject({ status: 'voided', applied: [], canVoid: false, refundableCents: 0 });
    expect((await rt.gateway.records()).find((r) => r.kind === 'charge')).toMatchObject({ voided: true });
    const reversals = await rt.ledger.db.selectFrom('applications').select(['amount_cents', 'reverses_id', 'reason']).where('amount_cents', '<', 0).execute();
    expect(reversals.map((r) => r.amount_cents).sort((a, b) => a - b)).toEqual([-20_000, -7_000, -3_000]);
    expect(reversals.every((r) => r.reverses_id !== null && r.reason === 'Customer paid twice by mistake')).toBe(true);
    expect((await callError(rt, 'payments.void', { paymentId: paid.paymentId, reason: 'again' })).code).toBe('CONFLICT');
    await expectHealthy(rt.ledger.db);
  });

  it('requires a reason and refuses a void on a later day', async () => {
    expect(await callError(rt, 'payments.void', { paymentId: paid.paymentId, reason: '  ' })).toMatchObject({
      code: 'VALIDATION',
      message: 'reason: is required to void a payment',
    });
    rt.clock.advance(24 * 3600_000);
    expect(await callError(rt, 'payments.void', { paymentId: paid.paymentId, reason: 'late' })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/only on the day it was taken \(2026-11-20\); refund it instead/),
    });
    expect(await rt.gateway.records()).toHaveLength(1);
    expect(await balances()).toEqual({ 'INV-1': [0, 'paid'], 'INV-2': [0, 'paid'], 'CR-1': 0 });
  });

  it('reports a void the gateway refuses because the batch settled, changes nothing and audits the refusal', async () => {
    await rt.gateway.settleBatch();
    const v = await call(rt, 'payments.void', { paymentId: paid.paymentId, reason: 'Wrong card' });
    expect(v).toMatchObject({ status: 'failed', message: expect.stringMatching(/already settled; refund it/), reopened: [] });
    expect(await balances()).toEqual({ 'INV-1': [0, 'paid'], 'INV-2': [0, 'paid'], 'CR-1': 0 });
    const audit = await rt.ledger.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(paid.paymentId)).execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.submit', 'payment.capture', 'payment.void_request', 'payment.void_decline']);
    expect(await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Wrong card' })).toMatchObject({ status: 'completed', amountCents: 27_000 });
    await expectHealthy(rt.ledger.db);
  });
});

describe('payments.refund', () => {
  it('refunds the whole payment: all invoices reopen and the credit comes back', async () => {
    rt.clock.advance(3 * 24 * 3600_000);
    const r = await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Service cancelled' });
    expect(r).toMatchObject({ status: 'completed', kind: 'refund', amountCents: 27_000, creditsRestored: [{ creditNumber: 'CR-1', amountCents: 3_000 }] });
    expect(await balances()).toEqual({ 'INV-1': [10_000, 'open'], 'INV-2': [20_000, 'open'], 'CR-1': 3_000 });
    expect(await call(rt, 'payments.get', { paymentId: paid.paymentId })).toMatchObject({ status: 'captured', refundedCents: 27_000, refundableCents: 0, applied: [] });
    expect((await rt.gateway.records()).find((x) => x.kind === 'charge')).toMatchObject({ refundedCents: 27_000 });
    await expectHealthy(rt.ledger.db);
  });

  it("refunds one invoice's share: only that invoice reopens, with the credit it used", async () => {
    const r = await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Billing error on INV-1', invoiceNumber: 'INV-1' });
    expect(r).toMatchObject({
      status: 'completed',
      amountCents: 7_000,
      reopened: [{ invoiceNumber: 'INV-1', amountCents: 10_000 }],
      creditsRestored: [{ creditNumber: 'CR-1', amountCents: 3_000 }],
    });
    expect(await balances()).toEqual({ 'INV-1': [10_000, 'open'], 'INV-2': [0, 'paid'], 'CR-1': 3_000 });
    expect(await call(rt, 'payments.get', { paymentId: paid.paymentId })).toMatchObject({
      refundedCents: 7_000,
      refundableCents: 20_000,
      applied: [{ invoiceNumber: 'INV-2', amountCents: 20_000, source: 'card' }],
      canVoid: false,
    });
    expect((await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'x', invoiceNumber: 'INV-1' })).code).toBe('VALIDATION');
    await expectHealthy(rt.ledger.db);
  });

  it('refunds part of an amount from the newest invoice and keeps the rest applied', async () => {
    const r = await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Goodwill', amountCents: 2_500 });
    expect(r).toMatchObject({ status: 'completed', amountCents: 2_500, reopened: [{ invoiceNumber: 'INV-2', amountCents: 2_500 }], creditsRestored: [] });
    expect(await balances()).toEqual({ 'INV-1': [0, 'paid'], 'INV-2': [2_500, 'open'], 'CR-1': 0 });
    expect(await call(rt, 'payments.get', { paymentId: paid.paymentId })).toMatchObject({ refundedCents: 2_500, refundableCents: 24_500 });
    await expectHealthy(rt.ledger.db);
  });

  it('refunds part of a bank (ACH) payment to the account it came from, through the gateway, reopening the invoice by $61.13', async () => {
    const db = rt.ledger.db;
    const c = await addCustomer(db, 'CL3003');
    await addInvoice(db, c, 'INV-9', 15_075, { dueDate: '2026-10-15' });
    const r = await call(rt, 'payments.submit', {
      customerNumber: 'CL3003',
      invoiceNumbers: ['INV-9'],
      creditNumbers: [],
      method: bankMethod('000123456789'),
      confirmedAmountCents: 15_075,
      idempotencyKey: newKey(),
      // A bank debit taken on the phone: the customer authorized it as read to them.
      phoneDebitAuthorized: true,
    });
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    // The gateway's money goes back where it came from: no check or cash payout.
    const payout = await callError(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'Paid twice', amountCents: 6_113, payout: { method: 'cash' } });
    expect(payout).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('a card or bank payment is refunded to it') });
    expect(await openCents(db, 'INV-9')).toBe(0);

    const out = await call(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'Paid twice', amountCents: 6_113 });
    expect(out).toMatchObject({ status: 'completed', kind: 'refund', amountCents: 6_113, reopened: [{ invoiceNumber: 'INV-9', amountCents: 6_113 }] });
    expect(await openCents(db, 'INV-9')).toBe(6_113);
    expect(await invoiceStatus(db, 'INV-9')).toBe('open');
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail).toMatchObject({ kind: 'bank', refundedCents: 6_113, refundableCents: 8_962, received: null });
    expect(detail.reversals).toMatchObject([{ kind: 'refund', status: 'completed', amountCents: 6_113, payout: null }]);
    expect((await rt.gateway.records()).filter((x) => x.kind === 'refund').map((x) => x.amountCents)).toEqual([6_113]);
    await expectHealthy(db);
  });

  it('refuses a refund beyond what was captured and not yet refunded', async () => {
    expect(await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Too much', amountCents: 27_001 })).toMatchObject({
      code: 'VALIDATION',
      message: 'amountCents: A refund of $270.01 is more than the $270.00 captured and not yet refunded',
    });
    await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Part', amountCents: 20_000 });
    expect(await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'More', amountCents: 7_001 })).toMatchObject({
      message: 'amountCents: A refund of $70.01 is more than the $70.00 captured and not yet refunded',
    });
    expect(await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'More', invoiceNumber: 'INV-1', amountCents: 7_001 })).toMatchObject({
      code: 'VALIDATION',
    });
    await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Rest' });
    expect(await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Again' })).toMatchObject({
      message: 'paymentId: Nothing is left to refund on this payment',
    });
    expect((await rt.gateway.records()).filter((x) => x.kind === 'refund').map((x) => x.amountCents)).toEqual([20_000, 7_000]);
    expect(await balances()).toEqual({ 'INV-1': [10_000, 'open'], 'INV-2': [20_000, 'open'], 'CR-1': 3_000 });
    await expectHealthy(rt.ledger.db);
  });

  it('keeps a refund pending when the gateway’s answer is lost and completes it by recovery', async () => {
    rt.gateway.planFault({ kind: 'answer_lost_after_processing', operation: 'refund' });
    const r = await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Dispute', invoiceNumber: 'INV-2' });
    expect(r).toMatchObject({ status: 'pending', amountCents: 20_000 });
    expect(await balances()).toEqual({ 'INV-1': [0, 'paid'], 'INV-2': [0, 'paid'], 'CR-1': 0 });
    expect((await callError(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Other' })).code).toBe('CONFLICT');
    const report = await recoverPendingPayments(rt.core);
    expect(report.reversals).toEqual([{ reversalId: r.reversalId, paymentId: paid.paymentId, kind: 'refund', outcome: 'completed', amountCents: 20_000 }]);
    expect(await balances()).toEqual({ 'INV-1': [0, 'paid'], 'INV-2': [20_000, 'open'], 'CR-1': 0 });
    expect((await rt.gateway.records()).filter((x) => x.kind === 'refund')).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });

  it('gives a credit-only payment’s credits back by voiding it, and refuses to refund it', async () => {
    const db = rt.ledger.db;
    const c = await db.selectFrom('customers').select('id').executeTakeFirstOrThrow();
    await addInvoice(db, c.id, 'INV-3', 1_500, { dueDate: '2026-11-01' });
    await addCredit(db, c.id, 'CR-2', 2_000);
    const r = await call(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-3'],
      creditNumbers: ['CR-2'],
      method: { type: 'saved', paymentMethodId: 999 },
      confirmedAmountCents: 0,
      idempotencyKey: newKey(),
    });
    expect(await creditLeft(db, 'CR-2')).toBe(500);
    expect((await callError(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'x' })).message).toMatch(/void it to give the credits back/);
    rt.clock.advance(5 * 24 * 3600_000);
    expect(await call(rt, 'payments.void', { paymentId: r.paymentId, reason: 'Credit belonged elsewhere' })).toMatchObject({
      status: 'completed',
      creditsRestored: [{ creditNumber: 'CR-2', amountCents: 1_500 }],
    });
    expect(await creditLeft(db, 'CR-2')).toBe(2_000);
    expect(await openCents(db, 'INV-3')).toBe(1_500);
    expect(await rt.gateway.records()).toHaveLength(1);
    await expectHealthy(db);
  });
});
