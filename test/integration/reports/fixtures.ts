import { expect } from 'vitest';
import {
  addCustomer,
  addInvoice,
  bankMethod,
  call,
  cardMethod,
  CARDS,
  expectHealthy,
  newKey,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

/** One business day (2026-11-20) of payments: two card brands, a bank payment, a void and a partial refund. */
export interface DayOfPayments {
  visa: number;
  mastercard: number;
  bank: number;
  voided: number;
}

export async function pay(rt: PaymentsRuntime, customerNumber: string, invoiceNumber: string, cents: number, method: object, actor = 'clerk.amy'): Promise<number> {
  const r = await call(
    rt,
    'payments.submit',
    {
      customerNumber,
      invoiceNumbers: [invoiceNumber],
      creditNumbers: [],
      method: method as ReturnType<typeof cardMethod>,
      confirmedAmountCents: cents,
      idempotencyKey: newKey(),
      // A bank debit taken on the phone: the customer authorized it as read to them.
      ...((method as { type?: string }).type === 'bank' ? { phoneDebitAuthorized: true } : {}),
    },
    actor,
  );
  expect(r.status).toBe('approved');
  return (r as { paymentId: number }).paymentId;
}

/**
 * CL2001 pays INV-A $100.00 by Visa and INV-B $250.00 by Mastercard (clerk.amy); CL2002 pays INV-C
 * $75.50 from a checking account (clerk.bob); CL2001 pays INV-D $40.00 by Visa, which is voided; the
 * Mastercard payment is refunded $30.00 in part. Captured $465.50, refunded $30.00, voided $40.00,
 * net $395.50.
 */
export async function dayOfPayments(rt: PaymentsRuntime): Promise<DayOfPayments> {
  const db = rt.ledger.db;
  const a = await addCustomer(db, 'CL2001', 'Harbor Dental Group');
  const b = await addCustomer(db, 'CL2002', 'Pine Street Bakery');
  await addInvoice(db, a, 'INV-A', 10_000);
  await addInvoice(db, a, 'INV-B', 25_000);
  await addInvoice(db, b, 'INV-C', 7_550);
  await addInvoice(db, a, 'INV-D', 4_000);
  const visa = await pay(rt, 'CL2001', 'INV-A', 10_000, cardMethod(CARDS.visa));
  const mastercard = await pay(rt, 'CL2001', 'INV-B', 25_000, cardMethod(CARDS.mastercard));
  const bank = await pay(rt, 'CL2002', 'INV-C', 7_550, bankMethod('000123456789'), 'clerk.bob');
  const voided = await pay(rt, 'CL2001', 'INV-D', 4_000, cardMethod(CARDS.visa));
  expect(await call(rt, 'payments.void', { paymentId: voided, reason: 'Paid twice' }, 'sue.supervisor')).toMatchObject({ status: 'completed' });
  expect(await call(rt, 'payments.refund', { paymentId: mastercard, reason: 'Service credit', amountCents: 3_000 }, 'sue.supervisor')).toMatchObject({
    status: 'completed',
    amountCents: 3_000,
  });
  await expectHealthy(db);
  return { visa, mastercard, bank, voided };
}
