import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCredit,
  addCustomer,
  addInvoice,
  applicationRows,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  creditLeft,
  expectHealthy,
  invoiceStatus,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;

// CL2001 owes INV-A $100.00 (oldest) and INV-B $200.50; credit CR-A of $120.00 covers INV-A but not both.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL2001', 'Alder Creek Pediatrics');
  await addInvoice(db, c, 'INV-A', 10_000, { issueDate: '2026-08-01', dueDate: '2026-09-01' });
  await addInvoice(db, c, 'INV-B', 20_050, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addCredit(db, c, 'CR-A', 12_000, '2026-08-15');
  await expectHealthy(db);
});
afterEach(async () => {
  await rt.dispose();
});

const BASE = { customerNumber: 'CL2001', creditNumbers: ['CR-A'] };

describe('payments.submit without a payment method', () => {
  it('settles a selection the credits cover with no method, charging nothing and posting only credit rows', async () => {
    const r = await call(rt, 'payments.submit', { ...BASE, invoiceNumbers: ['INV-A'], confirmedAmountCents: 0, idempotencyKey: newKey() });
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    expect(r.amountCents).toBe(0);
    expect(r.applied).toEqual([{ invoiceNumber: 'INV-A', amountCents: 10_000, source: 'credit', creditNumber: 'CR-A' }]);
    const db = rt.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([
      { invoice: 'INV-A', source: 'credit', credit: 'CR-A', cents: 10_000, paymentId: r.paymentId, reverses: null },
    ]);
    expect(await openCents(db, 'INV-A')).toBe(0);
    expect(await invoiceStatus(db, 'INV-A')).toBe('paid');
    expect(await openCents(db, 'INV-B')).toBe(20_050);
    expect(await creditLeft(db, 'CR-A')).toBe(2_000);
    expect(await rt.gateway.records()).toEqual([]);
    const row = await db.selectFrom('payments').selectAll().where('id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'credit_only', status: 'captured', amount_cents: 0, payment_method_id: null, method_brand: null, gateway: null });
    await expectHealthy(db);
  });

  it('ignores a method sent with a credit-only settlement: a card that would be declined is never charged', async () => {
    const r = await call(rt, 'payments.submit', {
      ...BASE,
      invoiceNumbers: ['INV-A'],
      method: cardMethod(CARDS.declined),
      confirmedAmountCents: 0,
      idempotencyKey: newKey(),
    });
    expect(r.status).toBe('approved');
    expect(await rt.gateway.records()).toEqual([]);
    expect(await countRows(rt.ledger.db, 'payment_methods')).toBe(0);
    expect(await creditLeft(rt.ledger.db, 'CR-A')).toBe(2_000);
  });

  it('refuses a selection that still charges $180.50 when no method is given, naming the field and writing nothing', async () => {
    const db = rt.ledger.db;
    const before = { payments: await countRows(db, 'payments'), applications: await countRows(db, 'applications'), audit: await countRows(db, 'audit_log') };
    const err = await callError(rt, 'payments.submit', { ...BASE, invoiceNumbers: 'all', confirmedAmountCents: 18_050, idempotencyKey: newKey() });
    expect(err).toEqual({
      code: 'VALIDATION',
      message: 'method: Choose a card or bank account to charge $180.50',
      details: { fields: { method: 'Choose a card or bank account to charge $180.50' } },
    });
    expect({ payments: await countRows(db, 'payments'), applications: await countRows(db, 'applications'), audit: await countRows(db, 'audit_log') }).toEqual(before);
    expect(await rt.gateway.records()).toEqual([]);
    expect([await openCents(db, 'INV-A'), await openCents(db, 'INV-B')]).toEqual([10_000, 20_050]);
    expect(await creditLeft(db, 'CR-A')).toBe(12_000);

    // The same selection with a card goes through: credits first, the card for the rest.
    const r = await call(rt, 'payments.submit', {
      ...BASE,
      invoiceNumbers: 'all',
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 18_050,
      idempotencyKey: newKey(),
    });
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    expect(r.amountCents).toBe(18_050);
    expect([await openCents(db, 'INV-A'), await openCents(db, 'INV-B')]).toEqual([0, 0]);
    expect(await creditLeft(db, 'CR-A')).toBe(0);
    expect(await rt.gateway.records()).toMatchObject([{ kind: 'charge', outcome: 'approved', amountCents: 18_050 }]);
    await expectHealthy(db);
  });
});
