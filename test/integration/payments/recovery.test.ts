import path from 'node:path';
import { testEngine } from '../../helpers/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import {
  addCredit,
  addCustomer,
  addInvoice,
  applicationRows,
  call,
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
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const c = await addCustomer(rt.ledger.db, 'CL1042');
  await addInvoice(rt.ledger.db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  await addInvoice(rt.ledger.db, c, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  await addCredit(rt.ledger.db, c, 'CR-1', 4_000);
});
afterEach(async () => {
  await rt.dispose();
});

const submit = (key: string) => ({
  customerNumber: 'CL1042',
  invoiceNumbers: ['INV-1'],
  creditNumbers: ['CR-1'],
  method: cardMethod(CARDS.visa),
  confirmedAmountCents: 6_000,
  idempotencyKey: key,
});

describe('recovery of payments the gateway did not answer', () => {
  it('fails a payment whose charge timed out before reaching the gateway, once it is old enough, and charges nothing', async () => {
    rt.gateway.planFault({ kind: 'timeout_before_processing' });
    const r = await call(rt, 'payments.submit', submit(newKey()));
    expect(r.status).toBe('pending');
    const db = rt.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([]);
    expect(await openCents(db, 'INV-1')).toBe(10_000);
    await expectHealthy(db);

    // Too recent to be sure the request is not still travelling.
    expect(await call(rt, 'payments.recover', {})).toEqual({ payments: [], reversals: [], stillPending: { payments: 1, reversals: 0 } });
    rt.clock.advance(3 * 60_000);
    const report = await call(rt, 'payments.recover', {});
    expect(report.payments).toEqual([
      { paymentId: r.paymentId, customerNumber: 'CL1042', outcome: 'failed', amountCents: 6_000, confirmationNumber: null, message: expect.stringMatching(/nothing was charged/) },
    ]);
    expect(await rt.gateway.records()).toEqual([]);
    expect(await openCents(db, 'INV-1')).toBe(10_000);
    expect(await creditLeft(db, 'CR-1')).toBe(4_000);
    expect(await call(rt, 'payments.quote', { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-1'] })).toMatchObject({ ok: true, chargeCents: 6_000 });
    await expectHealthy(db);
  });

  it('posts a payment the gateway charged but whose answer was lost, with credits, exactly once', async () => {
    rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
    const key = newKey();
    const r = await call(rt, 'payments.submit', submit(key));
    expect(r.status).toBe('pending');
    expect(await call(rt, 'payments.get', { paymentId: r.paymentId })).toMatchObject({
      status: 'pending',
      applied: [
        { invoiceNumber: 'INV-1', amountCents: 4_000, source: 'credit', creditNumber: 'CR-1' },
        { invoiceNumber: 'INV-1', amountCents: 6_000, source: 'card' },
      ],
    });
    const report = await recoverPendingPayments(rt.core);
    expect(report.payments).toEqual([
      { paymentId: r.paymentId, customerNumber: 'CL1042', outcome: 'captured', amountCents: 6_000, confirmationNumber: expect.stringMatching(/^\w{4}-\w{4}$/), message: null },
    ]);
    const db = rt.ledger.db;
    expect((await applicationRows(db, r.paymentId)).map((a) => [a.invoice, a.source, a.credit, a.cents])).toEqual([
      ['INV-1', 'credit', 'CR-1', 4_000],
      ['INV-1', 'payment', null, 6_000],
    ]);
    expect(await invoiceStatus(db, 'INV-1')).toBe('paid');
    expect(await creditLeft(db, 'CR-1')).toBe(0);
    expect(await recoverPendingPayments(rt.core)).toEqual({ payments: [], reversals: [], stillPending: { payments: 0, reversals: 0 } });
    expect(await call(rt, 'payments.submit', submit(key))).toMatchObject({ status: 'approved', confirmationNumber: report.payments[0]!.confirmationNumber });
    expect(await rt.gateway.records()).toHaveLength(1);
    const audit = await db.selectFrom('audit_log').select(['action', 'summary']).where('entity_id', '=', String(r.paymentId)).execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.submit', 'payment.capture']);
    expect(JSON.parse(audit[1]!.summary)).toMatchObject({ via: 'recovery' });
    await expectHealthy(db);
  });

  it('fails a payment the gateway answered with a server error, after checking it recorded nothing', async () => {
    rt.gateway.planFault({ kind: 'server_error' });
    const r = await call(rt, 'payments.submit', submit(newKey()));
    expect(r).toMatchObject({ status: 'declined', code: 'gateway_error', message: expect.stringMatching(/internal error/) });
    expect(await call(rt, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ status: 'failed' });
    expect(await rt.gateway.records()).toEqual([]);
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(10_000);
    await expectHealthy(rt.ledger.db);
  });

  it('leaves a payment pending while the gateway cannot be asked, and settles it when it can', async () => {
    rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
    const r = await call(rt, 'payments.submit', submit(newKey()));
    rt.gateway.planFault({ kind: 'server_error', operation: 'lookup' });
    rt.clock.advance(10 * 60_000);
    expect((await recoverPendingPayments(rt.core)).stillPending.payments).toBe(1);
    expect((await call(rt, 'payments.get', { paymentId: r.paymentId })).status).toBe('pending');
    expect((await recoverPendingPayments(rt.core)).payments.map((p) => p.outcome)).toEqual(['captured']);
    await expectHealthy(rt.ledger.db);
  });

  // The CLI's gateway on PostgreSQL is the office's, in its schema on the server; this test plans its fault in a gateway file.
  it.runIf(testEngine === 'sqlite')('prints what `payments recover` settled on the command line and exits 0', async () => {
    rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
    const r = await call(rt, 'payments.submit', submit(newKey()));
    await rt.close();
    let out = '';
    let err = '';
    const code = await runCli(['--db', path.join(rt.dir, 'ledger.db'), 'payments', 'recover'], {
      out: (t) => (out += `${t}\n`),
      err: (t) => (err += `${t}\n`),
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`Payment ${r.paymentId} \\(CL1042, \\$60\\.00\\): captured, confirmation \\w{4}-\\w{4}`));
    expect(out).toMatch(/Settled 1 \(1 payments, 0 voids\/refunds\); still pending: 0 payments, 0 voids\/refunds\./);
    let usage = '';
    expect(await runCli(['--db', path.join(rt.dir, 'ledger.db'), 'payments'], { out: () => {}, err: (t) => (usage += t) })).toBe(2);
    expect(usage).toMatch(/payments recover/);
    rt = await openPaymentsRuntime({ dir: rt.dir });
    await expectHealthy(rt.ledger.db);
  });
});
