import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import { addCredit, addInvoice, call, callError, cardMethod, CARDS, newKey, openCents, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { addStaff, auditRows, callAs, errorOf, PASSWORD, sessionOf } from '../../helpers/staff-fixtures';
import { dayOfPayments, type DayOfPayments } from './fixtures';

let rt: PaymentsRuntime;
let day: DayOfPayments;

// 2026-11-20 (10:00 in New York): the day of fixtures.ts, net $395.50, of which cards $320.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-11-20T15:00:00Z' });
  day = await dayOfPayments(rt);
});
afterEach(async () => {
  await rt.dispose();
});

async function count(table: 'payments' | 'payment_reversals' | 'applications' | 'day_closes'): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(rt.ledger.db);
  return Number(r.rows[0]!.n);
}

async function snapshot() {
  return {
    payments: await count('payments'),
    reversals: await count('payment_reversals'),
    applications: await count('applications'),
    gateway: (await rt.gateway.records()).length,
    openB: await openCents(rt.ledger.db, 'INV-B'),
  };
}

describe('closing the day', () => {
  it('closes a day the gateway agrees with: card totals by brand match and no differences', async () => {
    const preview = await call(rt, 'reports.closePreview', {});
    expect(preview).toMatchObject({
      businessDate: '2026-11-20',
      capturedCents: 46_550,
      refundedCents: 3_000,
      voidedCents: 4_000,
      netCents: 39_550,
      cardNetCents: 32_000,
      gatewayCardNetCents: 32_000,
      differences: [],
      closed: null,
      blockers: [],
    });
    expect(preview.brands).toEqual([
      { brand: 'mastercard', label: 'Mastercard', arDeskCents: 22_000, gatewayCents: 22_000, differenceCents: 0 },
      { brand: 'visa', label: 'Visa', arDeskCents: 10_000, gatewayCents: 10_000, differenceCents: 0 },
    ]);

    const closed = await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    expect(closed).toMatchObject({ businessDate: '2026-11-20', closedBy: 'sue.supervisor', closedAt: '2026-11-20T15:00:00.000Z', approvedBy: null, netCents: 39_550, cardNetCents: 32_000, differences: [] });
    const row = await rt.ledger.db.selectFrom('day_closes').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ business_date: '2026-11-20', closed_by: 'sue.supervisor', captured_cents: 46_550, refunded_cents: 3_000, voided_cents: 4_000, net_cents: 39_550, card_net_cents: 32_000, gateway_card_net_cents: 32_000, difference_count: 0 });
    expect(await auditRows(rt, 'day.close')).toMatchObject([{ actor: 'sue.supervisor', entity: 'day_close', entity_id: '2026-11-20', outcome: 'success' }]);
    expect((await call(rt, 'reports.closedDays', {})).closes).toMatchObject([{ businessDate: '2026-11-20', closedBy: 'sue.supervisor', netCents: 39_550 }]);
    expect(await call(rt, 'reports.closePreview', { businessDate: '2026-11-20' })).toMatchObject({
      closed: { closedBy: 'sue.supervisor', closedAt: '2026-11-20T15:00:00.000Z' },
      blockers: ['2026-11-20 was closed already by sue.supervisor at 2026-11-20T15:00:00.000Z.'],
    });
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
  });

  it('lists a charge the gateway made that AR Desk lacks, by brand and by transaction, and records it with the close', async () => {
    // A charge straight at the gateway (its own store), never posted in the ledger.
    const stray = await rt.gateway.charge({
      source: { card: { number: CARDS.visa, expMonth: 12, expYear: 2030, cvc: '314' } },
      amountCents: 1_234,
      idempotencyKey: newKey(),
      moto: true,
      billingName: 'Walk-in',
      postalCode: '97201',
    });
    if (stray.outcome !== 'approved') throw new Error('the stray charge was not approved');
    const preview = await call(rt, 'reports.closePreview', { businessDate: '2026-11-20' });
    expect(preview.cardNetCents).toBe(32_000);
    expect(preview.gatewayCardNetCents).toBe(33_234);
    expect(preview.brands.find((b) => b.brand === 'visa')).toEqual({ brand: 'visa', label: 'Visa', arDeskCents: 10_000, gatewayCents: 11_234, differenceCents: -1_234 });
    expect(preview.differences).toEqual([
      { problem: 'not_in_ar_desk', kind: 'charge', transactionId: stray.transactionId, brand: 'visa', last4: '4242', confirmationNumber: null, customerNumber: null, arDeskCents: null, gatewayCents: 1_234 },
    ]);
    expect(preview.blockers).toEqual([]);
    const closed = await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    expect(closed.differences).toEqual(preview.differences);
    const row = await rt.ledger.db.selectFrom('day_closes').select(['difference_count', 'differences', 'gateway_card_net_cents']).executeTakeFirstOrThrow();
    expect(row.difference_count).toBe(1);
    expect(row.gateway_card_net_cents).toBe(33_234);
    expect(JSON.parse(row.differences)).toEqual(preview.differences);
  });

  it('refuses to close a day twice, and keeps the first close', async () => {
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    const again = await callError(rt, 'reports.closeDay', { businessDate: '2026-11-20' });
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toBe('2026-11-20 was closed already by sue.supervisor at 2026-11-20T15:00:00.000Z.');
    expect(await count('day_closes')).toBe(1);
    // Closed is closed: the row cannot be edited or removed either.
    await expect(sql`UPDATE day_closes SET net_cents = 0`.execute(rt.ledger.db)).rejects.toThrow(/never reopened or edited/);
    await expect(sql`DELETE FROM day_closes`.execute(rt.ledger.db)).rejects.toThrow(/never reopened or edited/);
  });

  it('refuses to close while a payment of the day still waits for the gateway, saying so', async () => {
    const c = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2001').executeTakeFirstOrThrow()).id;
    await rt.ledger.db
      .insertInto('payments')
      .values({ customer_id: c, kind: 'card', status: 'pending', amount_cents: 900, idempotency_key: newKey(), received_on: '2026-11-20', created_at: '2026-11-20T15:00:00.000Z', created_by: 'clerk.amy' })
      .execute();
    const e = await callError(rt, 'reports.closeDay', { businessDate: '2026-11-20' });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(
      "1 payment(s) and 0 void(s) or refund(s) on or before 2026-11-20 still wait for the payment gateway's answer; AR Desk settles them with the gateway within a few minutes (or now with npm run cli -- payments recover); close the day after.",
    );
    expect(await count('day_closes')).toBe(0);
    expect((await call(rt, 'reports.closePreview', { businessDate: '2026-11-20' })).blockers).toEqual([e.message]);
  });

  it('refuses a future date at the field and closes nothing', async () => {
    const e = await callError(rt, 'reports.closeDay', { businessDate: '2026-11-21' });
    expect(e).toMatchObject({ code: 'VALIDATION', details: { fields: { businessDate: '2026-11-21 has not come yet: only today (2026-11-20) or an earlier day can be closed' } } });
    expect(await count('day_closes')).toBe(0);
  });

  it('after the close refuses a payment, refund, void and credit application dated that day with DAY_CLOSED, changing nothing', async () => {
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    const db = rt.ledger.db;
    const c = (await db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2001').executeTakeFirstOrThrow()).id;
    await addInvoice(db, c, 'INV-F', 5_000);
    await addCredit(db, c, 'CR-F', 1_000);
    const before = await snapshot();
    const message = 'Nothing can be posted with the business date 2026-11-20: 2026-11-20 is closed.';

    const refund = await callError(rt, 'payments.refund', { paymentId: day.mastercard, reason: 'More credit', amountCents: 1_000 });
    expect(refund).toMatchObject({ code: 'DAY_CLOSED', message });
    const voided = await callError(rt, 'payments.void', { paymentId: day.visa, reason: 'Wrong card' });
    expect(voided).toMatchObject({ code: 'DAY_CLOSED', message });
    const payment = await callError(rt, 'payments.submit', {
      customerNumber: 'CL2001',
      invoiceNumbers: ['INV-F'],
      creditNumbers: [],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 5_000,
      idempotencyKey: newKey(),
    });
    expect(payment).toMatchObject({ code: 'DAY_CLOSED', message });
    const applied = await callError(rt, 'credits.apply', { customerNumber: 'CL2001', creditNumbers: ['CR-F'], invoiceNumbers: ['INV-F'] });
    expect(applied).toMatchObject({ code: 'DAY_CLOSED', message });

    expect(await snapshot()).toEqual(before);
    expect(await openCents(db, 'INV-F')).toBe(5_000);
    expect(await auditInvariants(db)).toEqual([]);

    // The next business day is open again.
    rt.clock.set('2026-11-21T15:00:00Z');
    expect(await call(rt, 'payments.refund', { paymentId: day.mastercard, reason: 'More credit', amountCents: 1_000 })).toMatchObject({ status: 'completed' });
    const r = await call(rt, 'reports.payments', { from: '2026-11-21', to: '2026-11-21' });
    expect(r.totals).toMatchObject({ capturedCents: 0, refundedCents: 1_000, netCents: -1_000 });
    expect(await auditInvariants(db)).toEqual([]);
  });

  it('refuses a clerk without a supervisor, and lets a clerk close with one in place', async () => {
    await addStaff(rt, 'dana', 'admin');
    await addStaff(rt, 'sue', 'supervisor');
    await addStaff(rt, 'amy', 'clerk');
    const clerk = await sessionOf(rt, 'amy');
    expect(errorOf(await callAs(rt, clerk, 'reports.closeDay', { businessDate: '2026-11-20' }))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
    expect(await count('day_closes')).toBe(0);
    expect(await auditRows(rt, 'reports.closeDay')).toMatchObject([{ actor: 'amy', outcome: 'failure', error_code: 'FORBIDDEN' }]);

    const approved = await callAs(rt, clerk, 'reports.closeDay', { businessDate: '2026-11-20', approval: { username: 'sue', password: PASSWORD, reason: 'End of day' } });
    expect(approved).toMatchObject({ ok: true, data: { businessDate: '2026-11-20', closedBy: 'amy', approvedBy: 'sue' } });
    expect(await auditRows(rt, 'day.close')).toMatchObject([{ actor: 'amy', approved_by: 'sue', approval_reason: 'End of day', outcome: 'success' }]);
  });
});
