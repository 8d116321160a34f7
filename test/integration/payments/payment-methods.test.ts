import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  bankMethod,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  expectHealthy,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const c = await addCustomer(rt.ledger.db, 'CL1042');
  await addInvoice(rt.ledger.db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(rt.ledger.db, c, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addCustomer(rt.ledger.db, 'CL2000');
});
afterEach(async () => {
  await rt.dispose();
});

function newCard(cardNumber: string, more: { expMonth?: number; expYear?: number; cvc?: string } = {}) {
  const { save: _save, ...card } = cardMethod(cardNumber);
  return { ...card, expMonth: more.expMonth ?? 12, expYear: more.expYear ?? 2030, cvc: more.cvc ?? card.cvc };
}

describe('payment methods on file', () => {
  it('adds cards and accounts by token, makes the first the default, and lists brand, last four, expiry and billing details', async () => {
    const visa = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.visa), nickname: 'Office Visa' });
    expect(visa.method).toEqual({
      id: expect.any(Number),
      kind: 'card',
      brand: 'visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
      expired: false,
      nickname: 'Office Visa',
      billingName: 'Dana Whitfield',
      billingPostalCode: '97201',
      isDefault: true,
      label: 'Visa ending 4242',
    });
    const { save: _s, ...bank } = bankMethod('000123456789');
    const account = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: { ...bank, nickname: 'Operating' } });
    expect(account.method).toMatchObject({ kind: 'bank', brand: 'checking', last4: '6789', expMonth: null, nickname: 'Operating', isDefault: false, label: 'Checking ending 6789' });
    const amex = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.amex), makeDefault: true });
    const { methods } = await call(rt, 'paymentMethods.list', { customerNumber: 'CL1042' });
    expect(methods.map((m) => [m.label, m.isDefault])).toEqual([
      ['American Express ending 0005', true],
      ['Checking ending 6789', false],
      ['Visa ending 4242', false],
    ]);
    expect(methods[0]!.id).toBe(amex.method.id);
    const row = await rt.ledger.db.selectFrom('payment_methods').selectAll().where('id', '=', visa.method.id).executeTakeFirstOrThrow();
    expect(row.token).toMatch(/^tok_/);
    expect(JSON.stringify(row)).not.toMatch(/4242424242424242/);
    expect((await call(rt, 'paymentMethods.list', { customerNumber: 'CL2000' })).methods).toEqual([]);
  });

  it('removes a method softly and hands the default to the newest one left', async () => {
    const a = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.visa) });
    const b = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.mastercard) });
    const after = await call(rt, 'paymentMethods.remove', { id: a.method.id });
    expect(after.methods.map((m) => [m.id, m.isDefault])).toEqual([[b.method.id, true]]);
    const row = await rt.ledger.db.selectFrom('payment_methods').select('removed_at').where('id', '=', a.method.id).executeTakeFirstOrThrow();
    expect(row.removed_at).toBe('2026-11-20T15:00:00.000Z');
    expect((await callError(rt, 'paymentMethods.remove', { id: a.method.id })).code).toBe('NOT_FOUND');
    const e = await callError(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: { type: 'saved', paymentMethodId: a.method.id },
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
    });
    expect(e.code).toBe('VALIDATION');
  });

  it('sets the default a new payment preselects', async () => {
    const a = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.visa) });
    const b = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.mastercard) });
    expect(a.method.isDefault).toBe(true);
    const after = await call(rt, 'paymentMethods.setDefault', { id: b.method.id });
    expect(after.methods.filter((m) => m.isDefault).map((m) => m.id)).toEqual([b.method.id]);
    const audit = await rt.ledger.db.selectFrom('audit_log').select('action').where('entity', '=', 'payment_method').execute();
    expect(audit.map((x) => x.action)).toEqual(['payment_method.add', 'payment_method.add', 'payment_method.set_default']);
  });

  it('flags a card past its expiry month on the business date and refuses to charge it', async () => {
    const m = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.visa, { expMonth: 11, expYear: 2026 }) });
    expect(m.method.expired).toBe(false);
    rt.clock.set('2026-12-01T15:00:00Z');
    expect((await call(rt, 'paymentMethods.list', { customerNumber: 'CL1042' })).methods[0]).toMatchObject({ expired: true });
    const e = await callError(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: { type: 'saved', paymentMethodId: m.method.id },
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
    });
    expect(e.message).toBe('method.paymentMethodId: Visa ending 4242 expired at the end of 11/2026; ask for another card');
    expect(await rt.gateway.records()).toEqual([]);
    expect((await callError(rt, 'paymentMethods.setDefault', { id: m.method.id })).code).toBe('VALIDATION');
  });

  it('refuses to add an expired or invalid card without calling the gateway', async () => {
    const expired = await callError(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard(CARDS.visa, { expMonth: 10, expYear: 2026 }) });
    expect(expired.details).toEqual({ fields: { 'method.expYear': 'The card expired at the end of 10/2026' } });
    const luhn = await callError(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: newCard('4242424242424241') });
    expect(luhn.code).toBe('VALIDATION');
    expect(await countRows(rt.ledger.db, 'payment_methods')).toBe(0);
  });

  it('saves a new card given with a payment, then charges it by token', async () => {
    const r = await call(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: cardMethod(CARDS.visa, { save: true, nickname: 'AP card' }),
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
    });
    expect(r.status).toBe('approved');
    const { methods } = await call(rt, 'paymentMethods.list', { customerNumber: 'CL1042' });
    expect(methods).toMatchObject([{ label: 'Visa ending 4242', nickname: 'AP card', isDefault: true, expMonth: 12, expYear: 2030, billingName: 'Dana Whitfield', billingPostalCode: '97201' }]);
    const p = await rt.ledger.db.selectFrom('payments').select(['payment_method_id', 'cvc_result']).where('id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(p).toEqual({ payment_method_id: methods[0]!.id, cvc_result: 'unchecked' });
    const second = await call(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-2'],
      creditNumbers: [],
      method: { type: 'saved', paymentMethodId: methods[0]!.id },
      confirmedAmountCents: 20_000,
      idempotencyKey: newKey(),
    });
    expect(second.status).toBe('approved');
    expect((await rt.gateway.records()).map((x) => [x.kind, x.outcome, x.last4])).toEqual([
      ['charge', 'approved', '4242'],
      ['charge', 'approved', '4242'],
    ]);
    await expectHealthy(rt.ledger.db);
  });

  it("refuses another customer's method", async () => {
    const m = await call(rt, 'paymentMethods.add', { customerNumber: 'CL2000', method: newCard(CARDS.visa) });
    const e = await callError(rt, 'payments.submit', {
      customerNumber: 'CL1042',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: { type: 'saved', paymentMethodId: m.method.id },
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
    });
    expect(e.message).toBe('method.paymentMethodId: is not a payment method on file for CL1042');
  });
});
