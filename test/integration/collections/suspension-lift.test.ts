/**
 * A suspended account is lifted by the money that pays it current, in the same transaction as the
 * payment, not at the next billing run: a phone payment, a check received at the desk, an autopay
 * charge. (A credit applied: dunning.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/dates';
import { addCustomer, addInvoice, call, cardMethod, expectHealthy, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';

// CL1042 owes INV-A $100.00 due Oct 1 and INV-B $50.00 due Oct 10; INV-C $70.00 is due only Nov 30.
const DUE = '2026-10-01';
const day = (n: number) => addDays(DUE, n);

let rt: PaymentsRuntime;
const q = () => rawSql(rt.ledger);

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: `${DUE}T15:00:00Z` });
  const id = await addCustomer(rt.ledger.db, 'CL1042', 'Cedar Lane Dental');
  await rt.ledger.db.updateTable('customers').set({ email: 'ap@cedarlane.example' }).where('id', '=', id).execute();
  await addInvoice(rt.ledger.db, id, 'INV-A', 10_000, { issueDate: '2026-09-01', dueDate: DUE });
  await addInvoice(rt.ledger.db, id, 'INV-B', 5_000, { issueDate: '2026-09-10', dueDate: '2026-10-10' });
  await addInvoice(rt.ledger.db, id, 'INV-C', 7_000, { issueDate: '2026-10-30', dueDate: '2026-11-30' });
  await rt.core.dunning.setLevels({ levels: [{ daysPastDue: 15, action: 'email' }], suspendAtLevel: 1 }, 'lee');
  rt.clock.set(`${day(15)}T15:00:00Z`);
  const run = await rt.core.billing.run({ asOf: day(15), dryRun: false }, 'billing-schedule');
  expect(run.dunning.suspended).toEqual([{ customerNumber: 'CL1042', level: 1, change: 'suspended', invoiceNumbers: ['INV-A', 'INV-B'], pastDueCents: 15_000 }]);
  rt.clock.set(`${day(16)}T15:00:00Z`);
});
afterEach(async () => {
  await rt.dispose();
});

const suspension = () => q().get<{ suspended_on: string | null; suspended_level: number | null }>('SELECT suspended_on, suspended_level FROM customer_collections');
const lifts = async () =>
  (await q().all<{ actor: string; summary: string }>("SELECT actor, summary FROM audit_log WHERE action = 'account.unsuspend' ORDER BY id")).map((r) => ({ actor: r.actor, ...JSON.parse(r.summary) }));
const paymentIdOf = async (confirmation: string) => (await q().get<{ id: number }>('SELECT id FROM payments WHERE confirmation_number = ?', confirmation))!.id;

async function nextRunLifts(): Promise<unknown[]> {
  rt.clock.set(`${day(17)}T15:00:00Z`);
  return (await rt.core.billing.run({ asOf: day(17), dryRun: false }, 'billing-schedule')).dunning.suspended;
}

describe('a suspension lifted by the payment that brings the account current', () => {
  it('a phone payment: not while anything is still past due, then at once with the payment, audited', async () => {
    const part = await call(rt, 'payments.submit', { customerNumber: 'CL1042', invoiceNumbers: ['INV-A'], creditNumbers: [], method: cardMethod('4242424242424242'), confirmedAmountCents: 10_000, idempotencyKey: newKey() });
    expect(part.status).toBe('approved');
    expect(await suspension()).toEqual({ suspended_on: day(15), suspended_level: 1 });
    expect(await lifts()).toEqual([]);
    const rest = await call(rt, 'payments.submit', { customerNumber: 'CL1042', invoiceNumbers: ['INV-B'], creditNumbers: [], method: cardMethod('4242424242424242'), confirmedAmountCents: 5_000, idempotencyKey: newKey() });
    expect(rest.status).toBe('approved');
    // INV-C is open but not yet due: the account is current.
    expect(await suspension()).toEqual({ suspended_on: null, suspended_level: null });
    const paymentId = await paymentIdOf(rest.status === 'approved' ? rest.confirmationNumber : '');
    expect(await lifts()).toEqual([{ actor: 'clerk.amy', customerNumber: 'CL1042', reason: 'paid current', suspendedOn: day(15), suspendedLevel: 1, paidOn: day(16), paymentId, creditId: null }]);
    // The next run has nothing left to lift.
    expect(await nextRunLifts()).toEqual([]);
    expect(await lifts()).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });

  it('a check received at the desk for both past-due invoices', async () => {
    const r = await call(rt, 'payments.recordReceived', {
      customerNumber: 'CL1042', invoiceNumbers: ['INV-A', 'INV-B'], creditNumbers: [], method: 'check', amountCents: 15_000, checkNumber: '1042', checkBank: 'First Federal Bank', idempotencyKey: newKey(),
    });
    expect(r.status).toBe('approved');
    expect(await suspension()).toEqual({ suspended_on: null, suspended_level: null });
    const paymentId = await paymentIdOf(r.status === 'approved' ? r.confirmationNumber : '');
    expect(await lifts()).toEqual([expect.objectContaining({ reason: 'paid current', paymentId, paidOn: day(16) })]);
    expect(await nextRunLifts()).toEqual([]);
    await expectHealthy(rt.ledger.db);
  });

  it('an autopay charge in the run lifts it with the charge, before the follow-up step', async () => {
    const { save: _save, ...card } = cardMethod('4242424242424242');
    await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: card, makeDefault: true });
    await call(rt, 'autopay.set', { customerNumber: 'CL1042', enabled: true }, 'sue');
    rt.clock.set(`${day(17)}T15:00:00Z`);
    const run = await rt.core.billing.run({ asOf: day(17), dryRun: false }, 'billing-schedule');
    expect(run.autopay.charged).toEqual([expect.objectContaining({ invoiceNumbers: ['INV-A', 'INV-B'], amountCents: 15_000 })]);
    // Lifted by the charge, so the follow-up step found nothing to lift.
    expect(run.dunning.suspended).toEqual([]);
    expect(await suspension()).toEqual({ suspended_on: null, suspended_level: null });
    expect(await lifts()).toEqual([expect.objectContaining({ actor: 'billing-schedule', reason: 'paid current', paymentId: run.autopay.charged[0]!.paymentId, paidOn: day(17) })]);
    await expectHealthy(rt.ledger.db);
  });

  it('a declined charge lifts nothing', async () => {
    const r = await call(rt, 'payments.submit', { customerNumber: 'CL1042', invoiceNumbers: ['INV-A', 'INV-B'], creditNumbers: [], method: cardMethod('4000000000000341'), confirmedAmountCents: 15_000, idempotencyKey: newKey() });
    expect(r.status).toBe('declined');
    expect(await suspension()).toEqual({ suspended_on: day(15), suspended_level: 1 });
    expect(await lifts()).toEqual([]);
  });
});
