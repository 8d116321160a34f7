import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import { addCustomer, addInvoice, cardMethod, CARDS, newKey, openCents, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { addStaff, auditRows, callAs, errorOf, PASSWORD, sessionOf, signIn } from '../../helpers/staff-fixtures';

let rt: PaymentsRuntime;
let clerk: string;
let paymentId: number;

// Amy, a clerk, took a $227.00 card payment from CL1042 for INV-1.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  await addStaff(rt, 'dana', 'admin');
  await addStaff(rt, 'sue', 'supervisor');
  await addStaff(rt, 'amy', 'clerk');
  await addStaff(rt, 'bob', 'clerk');
  const c = await addCustomer(rt.ledger.db, 'CL1042');
  await addInvoice(rt.ledger.db, c, 'INV-1', 22_700);
  clerk = await sessionOf(rt, 'amy');
  const paid = await callAs(rt, clerk, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers: ['INV-1'],
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 22_700,
    idempotencyKey: newKey(),
  });
  if (!paid.ok || (paid.data as PaymentSubmitDto).status !== 'approved') throw new Error(`payment failed: ${JSON.stringify(paid)}`);
  paymentId = (paid.data as { paymentId: number }).paymentId;
});
afterEach(async () => {
  await rt.dispose();
});

const refund = (approval?: object) => ({ paymentId, reason: 'Customer was charged twice', ...(approval ? { approval } : {}) });

describe("a clerk's refund", () => {
  it('is refused without a supervisor, naming what it needs, and audited', async () => {
    expect(errorOf(await callAs(rt, clerk, 'payments.refund', refund()))).toMatchObject({
      code: 'FORBIDDEN',
      details: { needs: 'supervisor_approval' },
    });
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(0);
    expect(await auditRows(rt, 'payments.refund')).toMatchObject([{ actor: 'amy', outcome: 'failure', error_code: 'FORBIDDEN', entity: 'payment', entity_id: String(paymentId), customer_number: 'CL1042' }]);
  });

  it("runs as the clerk with a supervisor's approval, and the audit rows name both", async () => {
    const r = await callAs(rt, clerk, 'payments.refund', refund({ username: 'sue', password: PASSWORD, reason: 'Duplicate charge confirmed on the statement' }));
    expect(r).toMatchObject({ ok: true, data: { status: 'completed', kind: 'refund', amountCents: 22_700 } });
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(22_700);
    const approval = await auditRows(rt, 'auth.approve');
    expect(approval).toMatchObject([{ actor: 'amy', approved_by: 'sue', approval_reason: 'Duplicate charge confirmed on the statement', outcome: 'success' }]);
    const refundRows = (await auditRows(rt)).filter((x) => x.action.startsWith('payment.refund'));
    expect(refundRows.length).toBeGreaterThan(0);
    for (const row of refundRows) {
      expect(row).toMatchObject({ actor: 'amy', actor_name: 'Amy Tester', approved_by: 'sue', approval_reason: 'Duplicate charge confirmed on the statement', customer_number: 'CL1042', outcome: 'success', workstation: rt.core.deps.workstation });
      expect(row.actor_id).not.toBeNull();
      expect(row.approved_by_id).not.toBeNull();
    }
    const reversal = await rt.ledger.db.selectFrom('payment_reversals').select('created_by').executeTakeFirstOrThrow();
    expect(reversal.created_by).toBe('amy');
    expect(JSON.stringify(await auditRows(rt))).not.toContain(PASSWORD);
  });

  it("is refused with a clerk's credentials as the approval, or a supervisor's wrong password (which counts towards the lockout)", async () => {
    const asClerk = errorOf(await callAs(rt, clerk, 'payments.refund', refund({ username: 'bob', password: PASSWORD, reason: 'I am allowed' })));
    expect(asClerk).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval', reason: 'not_supervisor' } });
    const wrong = errorOf(await callAs(rt, clerk, 'payments.refund', refund({ username: 'sue', password: 'guessing again 1', reason: 'Please' })));
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval', reason: 'password' } });
    const unknown = errorOf(await callAs(rt, clerk, 'payments.refund', refund({ username: 'nobody', password: PASSWORD, reason: 'Please' })));
    expect(unknown).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(0);
    const sue = await rt.ledger.db.selectFrom('staff_users').select('failed_attempts').where('username', '=', 'sue').executeTakeFirstOrThrow();
    expect(sue.failed_attempts).toBe(1);
    expect((await auditRows(rt, 'auth.approve')).map((x) => [x.actor, x.outcome, JSON.parse(x.summary).reason])).toEqual([
      ['amy', 'failure', 'not_supervisor'],
      ['amy', 'failure', 'password'],
      ['amy', 'failure', 'unknown'],
    ]);
    // Ten wrong approvals lock the supervisor out like ten wrong sign-ins.
    for (let i = 0; i < 9; i += 1) await callAs(rt, clerk, 'payments.refund', refund({ username: 'sue', password: `guess ${i} again!`, reason: 'Please' }));
    expect(errorOf(await signIn(rt, 'sue')).code).toBe('LOCKED_OUT');
  });

  it('is refused with an empty approval key, as Electron IPC can carry one', async () => {
    const r = await dispatch(createDispatcher(rt.core), 'payments.refund', { ...refund(), approval: undefined }, { via: 'bridge', sessionToken: clerk });
    expect(errorOf(r)).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval', reason: 'missing' } });
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(0);
  });

  it('is malformed without a reason, and a supervisor needs no approval for it', async () => {
    expect(errorOf(await callAs(rt, clerk, 'payments.refund', refund({ username: 'sue', password: PASSWORD })))).toMatchObject({
      code: 'VALIDATION',
      details: { fields: { 'approval.reason': expect.any(String) } },
    });
    const sue = await sessionOf(rt, 'sue');
    expect(await callAs(rt, sue, 'payments.refund', refund())).toMatchObject({ ok: true, data: { status: 'completed' } });
  });

  it('never hands the approval to the handler', async () => {
    const seen: unknown[] = [];
    const base = createDispatcher(rt.core);
    const handlers: Handlers = {
      ...base.handlers,
      'payments.refund': (input, ctx) => {
        seen.push({ input, approvedBy: ctx.approvedBy?.username });
        return base.handlers['payments.refund'](input, ctx);
      },
    };
    const r = await dispatch({ ...base, handlers }, 'payments.refund', refund({ username: 'sue', password: PASSWORD, reason: 'Duplicate charge' }), {
      via: 'bridge',
      sessionToken: clerk,
    });
    expect(r.ok).toBe(true);
    expect(seen).toEqual([{ input: { paymentId, reason: 'Customer was charged twice' }, approvedBy: 'sue' }]);
  });
});
