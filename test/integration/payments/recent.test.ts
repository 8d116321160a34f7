import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;

beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const a = await addCustomer(db, 'CL3001', 'Birchwood Family Dental');
  const b = await addCustomer(db, 'CL3002', 'Copperline Electric');
  await addInvoice(db, a, 'INV-R1', 12_000, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(db, b, 'INV-R2', 7_550, { issueDate: '2026-09-15', dueDate: '2026-10-15' });
  await addInvoice(db, b, 'INV-R3', 3_000, { issueDate: '2026-10-01', dueDate: '2026-10-31' });
  // A prior payment brought in by an import, dated after everything below: not one taken here.
  await db
    .insertInto('payments')
    .values({
      customer_id: a,
      kind: 'import',
      status: 'captured',
      amount_cents: 500,
      received_on: '2026-11-21',
      created_at: '2026-11-21T09:00:00.000Z',
      created_by: 'import',
      delivery: 'none',
    })
    .execute();
});
afterEach(async () => {
  await rt.dispose();
});

const pay = (customerNumber: string, invoiceNumbers: string[], cents: number, card: string = CARDS.visa) =>
  call(rt, 'payments.submit', { customerNumber, invoiceNumbers, creditNumbers: [], method: cardMethod(card), confirmedAmountCents: cents, idempotencyKey: newKey() });

describe('payments.recent', () => {
  it('lists payments taken here newest first across customers, with the customer’s number and name', async () => {
    const first = await pay('CL3001', ['INV-R1'], 12_000);
    rt.clock.advance(60_000);
    const declined = await pay('CL3002', ['INV-R2'], 7_550, CARDS.declined);
    rt.clock.advance(60_000);
    const last = await pay('CL3002', ['INV-R2'], 7_550);

    const { payments } = await call(rt, 'payments.recent', {});
    expect(payments.map((p) => [p.paymentId, p.customerNumber, p.customerName, p.status, p.amountCents])).toEqual([
      [last.paymentId, 'CL3002', 'Copperline Electric', 'captured', 7_550],
      [declined.paymentId, 'CL3002', 'Copperline Electric', 'declined', 7_550],
      [first.paymentId, 'CL3001', 'Birchwood Family Dental', 'captured', 12_000],
    ]);
    expect(payments[0]).toMatchObject({
      methodLabel: 'Visa ending 4242',
      createdAt: '2026-11-20T15:02:00.000Z',
      applied: [{ invoiceNumber: 'INV-R2', amountCents: 7_550, source: 'card' }],
    });
    expect(payments[1]).toMatchObject({ methodLabel: 'Visa ending 0002', confirmationNumber: null, declineCode: 'card_declined' });
  });

  it('filters by status and stops at the limit', async () => {
    const first = await pay('CL3001', ['INV-R1'], 12_000);
    rt.clock.advance(60_000);
    await pay('CL3002', ['INV-R2'], 7_550, CARDS.declined);
    rt.clock.advance(60_000);
    const third = await pay('CL3002', ['INV-R3'], 3_000);

    const captured = await call(rt, 'payments.recent', { status: 'captured' });
    expect(captured.payments.map((p) => p.paymentId)).toEqual([third.paymentId, first.paymentId]);
    const newest = await call(rt, 'payments.recent', { limit: 1 });
    expect(newest.payments.map((p) => p.paymentId)).toEqual([third.paymentId]);
    expect((await call(rt, 'payments.recent', { status: 'voided' })).payments).toEqual([]);
    expect((await callError(rt, 'payments.recent', { limit: 0 })).code).toBe('VALIDATION');
  });
});
