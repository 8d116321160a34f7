import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;

// CL1230 owes INV-1230 $123.00 and INV-1231 $45.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL1230', 'Driftwood Yoga Collective');
  await addInvoice(db, c, 'INV-1230', 12_300, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(db, c, 'INV-1231', 4_500, { issueDate: '2026-10-01', dueDate: '2026-10-31' });
});
afterEach(async () => {
  await rt.dispose();
});

const PAY_1230 = { customerNumber: 'CL1230', invoiceNumbers: ['INV-1230'], creditNumbers: [] as string[], confirmedAmountCents: 12_300 };

describe('a payment for an invoice another payment paid meanwhile', () => {
  it('is refused as CONFLICT naming the invoice and the other payment’s confirmation number, and charges nothing', async () => {
    const first = await call(rt, 'payments.submit', { ...PAY_1230, method: cardMethod(CARDS.visa), idempotencyKey: newKey() });
    if (first.status !== 'approved') throw new Error(`first payment ${first.status}`);
    const charges = (await rt.gateway.records()).filter((r) => r.kind === 'charge').length;
    const paymentsBefore = await countRows(rt.ledger.db, 'payments');

    const err = await callError(rt, 'payments.submit', { ...PAY_1230, method: cardMethod(CARDS.mastercard), idempotencyKey: newKey() });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(`INV-1230 was paid a moment ago by another payment (${first.confirmationNumber}); nothing was charged.`);
    expect(err.details).toEqual({
      code: 'INVOICE_PAID',
      invoiceNumber: 'INV-1230',
      paidBy: { paymentId: first.paymentId, confirmationNumber: first.confirmationNumber },
    });
    expect((await rt.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(charges);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(paymentsBefore);
  });

  it('keeps the plain refusal for an invoice that was never this customer’s', async () => {
    const err = await callError(rt, 'payments.submit', { ...PAY_1230, invoiceNumbers: ['INV-9'], method: cardMethod(CARDS.visa), idempotencyKey: newKey() });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toBe('Invoice INV-9 is not an open invoice of this customer');
  });
});

describe('payments.get by idempotency key', () => {
  it('finds the payment a submit recorded under the key, and answers NOT_FOUND before it is recorded', async () => {
    const key = newKey();
    expect((await callError(rt, 'payments.get', { idempotencyKey: key })).code).toBe('NOT_FOUND');
    const r = await call(rt, 'payments.submit', { ...PAY_1230, method: cardMethod(CARDS.visa), idempotencyKey: key });
    if (r.status !== 'approved') throw new Error(`payment ${r.status}`);
    const found = await call(rt, 'payments.get', { idempotencyKey: key });
    expect(found).toMatchObject({ paymentId: r.paymentId, status: 'captured', confirmationNumber: r.confirmationNumber, amountCents: 12_300 });
  });
});
