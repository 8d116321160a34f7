import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import { addCustomer, addInvoice, call, cardMethod, CARDS, expectHealthy, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;
let paid: Extract<PaymentSubmitDto, { status: 'approved' }>;

// CL2051 pays INV-1 ($120.00) and INV-2 ($218.47) with a Visa: $338.47 charged.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL2051');
  await addInvoice(db, c, 'INV-1', 12_000, { dueDate: '2026-09-01' });
  await addInvoice(db, c, 'INV-2', 21_847, { dueDate: '2026-10-01' });
  const r = await call(rt, 'payments.submit', {
    customerNumber: 'CL2051',
    invoiceNumbers: 'all',
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 33_847,
    idempotencyKey: newKey(),
  });
  if (r.status !== 'approved') throw new Error('not approved');
  paid = r;
});
afterEach(async () => {
  await rt.dispose();
});

/** The gateway's transaction ids of its refunds, oldest first. */
async function gatewayRefundIds(): Promise<string[]> {
  return (await rt.gateway.records()).filter((x) => x.kind === 'refund').map((x) => x.transactionId ?? '');
}

describe("a payment's detail lists its refunds", () => {
  it('has none, and its whole amount left, when nothing was refunded', async () => {
    const detail = await call(rt, 'payments.get', { confirmationNumber: paid.confirmationNumber });
    expect(detail).toMatchObject({ amountCents: 33_847, refundedCents: 0, netCents: 33_847 });
    expect(detail.reversals).toEqual([]);
  });

  it('lists a part refund and then the rest, each with its cents, who, why and the gateway’s reference, and what is left', async () => {
    rt.clock.advance(2 * 24 * 3600_000);
    await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Two sessions cancelled', amountCents: 4_519 }, 'clerk.bo');
    const part = await call(rt, 'payments.get', { paymentId: paid.paymentId });
    const [first] = await gatewayRefundIds();
    expect(first).toBeTruthy();
    expect(part).toMatchObject({ status: 'captured', amountCents: 33_847, refundedCents: 4_519, netCents: 29_328 });
    expect(part.reversals).toEqual([
      {
        reversalId: expect.any(Number),
        kind: 'refund',
        status: 'completed',
        amountCents: 4_519,
        invoiceNumber: null,
        reason: 'Two sessions cancelled',
        createdAt: expect.any(String),
        clerk: 'clerk.bo',
        failureMessage: null,
        payout: null,
        returned: false,
        reference: first,
      },
    ]);

    await call(rt, 'payments.refund', { paymentId: paid.paymentId, reason: 'Account closed' });
    const all = await call(rt, 'payments.get', { paymentId: paid.paymentId });
    const ids = await gatewayRefundIds();
    expect(ids).toHaveLength(2);
    expect(all).toMatchObject({ status: 'captured', refundedCents: 33_847, netCents: 0, refundableCents: 0 });
    expect(all.reversals.map((r) => [r.kind, r.status, r.amountCents, r.clerk, r.reason, r.reference])).toEqual([
      ['refund', 'completed', 4_519, 'clerk.bo', 'Two sessions cancelled', ids[0]],
      ['refund', 'completed', 29_328, 'clerk.amy', 'Account closed', ids[1]],
    ]);
    await expectHealthy(rt.ledger.db);
  });

  it('leaves nothing once voided, and lists the void', async () => {
    await call(rt, 'payments.void', { paymentId: paid.paymentId, reason: 'Paid twice' });
    const detail = await call(rt, 'payments.get', { paymentId: paid.paymentId });
    expect(detail).toMatchObject({ status: 'voided', refundedCents: 0, netCents: 0 });
    expect(detail.reversals).toMatchObject([{ kind: 'void', status: 'completed', amountCents: 33_847, reason: 'Paid twice' }]);
  });
});
