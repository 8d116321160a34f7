import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import {
  addCredit,
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  creditLeft,
  expectHealthy,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;
let customerId: number;

// Today is 2026-11-20 (New York). CL1042 owes INV-1 $100.00, INV-2 $200.00 and INV-3 $50.00; credit CR-1 $30.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-11-20T15:00:00Z' });
  const db = rt.ledger.db;
  customerId = await addCustomer(db, 'CL1042');
  await addInvoice(db, customerId, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(db, customerId, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addInvoice(db, customerId, 'INV-3', 5_000, { dueDate: '2026-11-01' });
  await addCredit(db, customerId, 'CR-1', 3_000);
});
afterEach(async () => {
  await rt.dispose();
});

async function count(table: 'payments' | 'payment_reversals' | 'applications' | 'write_offs' | 'credit_memos' | 'day_closes'): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(rt.ledger.db);
  return Number(r.rows[0]!.n);
}

/** Row counts and every balance to the cent, to show a refused post changed nothing. */
async function snapshot() {
  const db = rt.ledger.db;
  return {
    payments: await count('payments'),
    reversals: await count('payment_reversals'),
    applications: await count('applications'),
    writeOffs: await count('write_offs'),
    credits: await count('credit_memos'),
    open: { 'INV-1': await openCents(db, 'INV-1'), 'INV-2': await openCents(db, 'INV-2'), 'INV-3': await openCents(db, 'INV-3') },
    creditLeft: await creditLeft(db, 'CR-1'),
    onAccount: await db.selectFrom('payments').select(['id', 'unapplied_cents', 'status']).orderBy('id').execute(),
  };
}

async function payByCard(invoiceNumbers: string[], amountCents: number): Promise<number> {
  const r = await call(rt, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers,
    creditNumbers: [],
    amountCents,
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: amountCents,
    idempotencyKey: newKey(),
  });
  if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
  return r.paymentId;
}

const closedToday = 'Nothing can be posted with the business date 2026-11-20: 2026-11-20 is closed.';

describe('a closed day holds money received outside the gateway', () => {
  it('refuses a check, cash, a wire and a transfer received on a closed day at the Date received field, changing nothing', async () => {
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-19' }, 'sue.supervisor');
    const before = await snapshot();
    const base = { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: [], amountCents: 10_000 };
    const inputs = [
      { ...base, method: 'check' as const, checkNumber: '1042', checkBank: 'First Federal Bank', receivedOn: '2026-11-19' },
      { ...base, method: 'cash' as const, receivedOn: '2026-11-19' },
      { ...base, method: 'wire' as const, reference: 'FW-22', receivedOn: '2026-11-18' },
      { ...base, method: 'transfer' as const, reference: 'TR-9', receivedOn: '2026-11-02' },
    ];
    for (const input of inputs) {
      const e = await callError(rt, 'payments.recordReceived', { ...input, idempotencyKey: newKey() });
      const why = input.receivedOn === '2026-11-19' ? '2026-11-19 is closed' : 'the day 2026-11-19 is closed, and with it every day before it';
      expect(e, input.method).toMatchObject({
        code: 'DAY_CLOSED',
        message: `Nothing can be posted with the business date ${input.receivedOn}: ${why}.`,
        details: { businessDate: input.receivedOn, closedThrough: '2026-11-19', fields: { receivedOn: `the day ${input.receivedOn} is closed; record it on an open day` } },
      });
    }
    expect(await snapshot()).toEqual(before);
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
    await expectHealthy(rt.ledger.db);

    // Today is open: the same check dated today is recorded.
    const ok = await call(rt, 'payments.recordReceived', { ...inputs[0]!, receivedOn: '2026-11-20', idempotencyKey: newKey() });
    expect(ok).toMatchObject({ status: 'approved' });
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(0);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a credit memo issued on a closed day at its issue date, and one issued today once today is closed', async () => {
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-19' }, 'sue.supervisor');
    const before = await snapshot();
    const back = await callError(rt, 'credits.create', { customerNumber: 'CL1042', amountCents: 1_500, reason: 'Goodwill', issueDate: '2026-11-10' });
    expect(back).toMatchObject({ code: 'DAY_CLOSED', details: { fields: { issueDate: 'the day 2026-11-10 is closed; record it on an open day' } } });
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    const today = await callError(rt, 'credits.create', { customerNumber: 'CL1042', amountCents: 1_500, reason: 'Goodwill' });
    expect(today).toMatchObject({ code: 'DAY_CLOSED', message: closedToday });
    expect(await snapshot()).toEqual(before);
    await expectHealthy(rt.ledger.db);
  });
});

describe('a closed day holds corrections', () => {
  it('refuses a write-off, a re-application and applying money on account once today is closed, changing nothing; the next day takes them', async () => {
    await rt.core.settings.updateOffice({ policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit' } }, 'admin');
    const overpaid = await payByCard(['INV-1'], 13_000);
    const partly = await payByCard(['INV-3'], 5_000);
    await call(rt, 'payments.refund', { paymentId: partly, reason: 'Part back', amountCents: 1_999 });
    await call(rt, 'reports.closeDay', { businessDate: '2026-11-20' }, 'sue.supervisor');
    const before = await snapshot();
    expect(before.open).toEqual({ 'INV-1': 0, 'INV-2': 20_000, 'INV-3': 1_999 });

    const writeOff = { invoiceNumber: 'INV-3', amountCents: 1_999, reason: 'Not worth collecting' };
    const reapply = { source: { paymentId: overpaid }, fromInvoiceNumber: 'INV-1', toInvoiceNumber: 'INV-2', amountCents: 4_000, reason: 'Meant for October' };
    const onAccount = { paymentId: overpaid, invoiceNumber: 'INV-2', amountCents: 3_000 };
    expect(await callError(rt, 'corrections.writeOff', writeOff)).toMatchObject({ code: 'DAY_CLOSED', message: closedToday });
    expect(await callError(rt, 'corrections.reapply', reapply)).toMatchObject({ code: 'DAY_CLOSED', message: closedToday });
    expect(await callError(rt, 'corrections.reapply', { ...reapply, toInvoiceNumber: null })).toMatchObject({ code: 'DAY_CLOSED', message: closedToday });
    expect(await callError(rt, 'corrections.applyOnAccount', onAccount)).toMatchObject({ code: 'DAY_CLOSED', message: closedToday });
    expect(await snapshot()).toEqual(before);
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
    await expectHealthy(rt.ledger.db);

    rt.clock.set('2026-11-21T15:00:00Z');
    expect(await call(rt, 'corrections.writeOff', writeOff)).toMatchObject({ invoiceOpenCents: 0 });
    expect(await call(rt, 'corrections.applyOnAccount', onAccount)).toMatchObject({ onAccountCents: 0, invoiceOpenCents: 17_000 });
    expect(await call(rt, 'corrections.reapply', reapply)).toMatchObject({ fromOpenCents: 4_000, toOpenCents: 13_000 });
    const rows = await rt.ledger.db.selectFrom('applications').select('applied_on').where('applied_on', '>', '2026-11-20').execute();
    expect(rows.length).toBeGreaterThan(0);
    await expectHealthy(rt.ledger.db);
  });
});
