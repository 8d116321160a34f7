import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountCancelDto } from '../../../src/shared/contract/billing';
import type { CustomerAccountDto } from '../../../src/shared/contract/customers';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import { newKey } from '../../helpers/payments-fixtures';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { addStaff, auditRows, callAs, errorOf, PASSWORD, sessionOf } from '../../helpers/staff-fixtures';
import { customerInput, expectHealthy } from '../ledger/fixtures';

// Today is 2026-03-21 (UTC), tax 10%. CL1042 has lawn care, monthly from Mar 1 ($31.00, taxable),
// and snow plowing, quarterly from Mar 5 ($90.00, not taxable); both billed on their first day.
let rt: TestRuntime;
let clerk: string;
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-03-21T15:00:00Z' });
  await rt.core.settings.updateOffice({ defaultTaxRatePercent: '10' }, 'admin');
  await rt.core.settings.confirmTimeZone('UTC', 'admin');
  await rt.core.customers.create(customerInput(), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
  for (const [customerNumber, period, startDate, description, unitPriceCents, taxable] of [
    ['CL1042', 'monthly', '2026-03-01', 'Lawn care', 3100, true],
    ['CL1042', 'quarterly', '2026-03-05', 'Snow plowing', 9000, false],
    ['AK5521', 'monthly', '2026-03-01', 'Hood cleaning', 5000, false],
  ] as const) {
    await rt.core.subscriptions.create({ customerNumber, period, startDate, lines: [{ description, unitPriceCents, quantity: 1, taxable }] }, 'dana');
  }
  await rt.core.billing.run({ asOf: '2026-03-05', dryRun: false }, 'dana');
  await addStaff(rt, 'lee', 'admin');
  await addStaff(rt, 'sue', 'supervisor');
  await addStaff(rt, 'amy', 'clerk');
  clerk = await sessionOf(rt, 'amy');
});
afterEach(async () => {
  await rt.dispose();
});

const approval = { username: 'sue', password: PASSWORD, reason: 'Customer sold the property' };
const customerRow = () =>
  rawSql(rt.ledger).get<{ status: string; cancelled_on: string | null; cancel_mode: string | null; cancel_reason: string | null; cancelled_by: string | null }>(
    `SELECT status, cancelled_on, cancel_mode, cancel_reason, cancelled_by FROM customers WHERE customer_number = 'CL1042'`,
  );
const subscriptionRows = () =>
  rawSql(rt.ledger).all<{ status: string; end_date: string | null; cancel_mode: string | null }>(
    `SELECT s.status, s.end_date, s.cancel_mode FROM subscriptions s JOIN customers c ON c.id = s.customer_id WHERE c.customer_number = 'CL1042' ORDER BY s.id`,
  );
const count = async (table: string) => (await rawSql(rt.ledger).get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

describe('cancelling an account', () => {
  it('immediately: credits the unused days of every subscription to the cent, cancels them all and the account, and bills it nothing more', async () => {
    const r = await callAs(rt, clerk, 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'immediate', asOf: '2026-03-21', reason: 'Sold the property', approval });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const done = r.data as AccountCancelDto;
    // Lawn care: Mar 21-31 is 11 of 31 days of $31.00 + $3.10 tax = 3410 × 11/31 = 1210.
    // Snow plowing: Mar 21 - Jun 4 is 76 of the 92 days of Mar 5 - Jun 4: 9000 × 76/92 = 7434.78… → 7435.
    expect(done).toMatchObject({ customerNumber: 'CL1042', status: 'cancelled', cancelledOn: '2026-03-21', mode: 'immediate', reason: 'Sold the property', creditCents: 8645 });
    expect(done.cancelled.map((c) => [c.endDate, c.creditCents])).toEqual([
      ['2026-03-20', 1210],
      ['2026-03-20', 7435],
    ]);
    const credits = await rawSql(rt.ledger).all<{ amount_cents: number; issue_date: string }>('SELECT amount_cents, issue_date FROM credit_memos ORDER BY id');
    expect(credits).toEqual([
      { amount_cents: 1210, issue_date: '2026-03-21' },
      { amount_cents: 7435, issue_date: '2026-03-21' },
    ]);
    expect(await customerRow()).toEqual({ status: 'cancelled', cancelled_on: '2026-03-21', cancel_mode: 'immediate', cancel_reason: 'Sold the property', cancelled_by: 'amy' });
    expect(await subscriptionRows()).toEqual([
      { status: 'cancelled', end_date: '2026-03-20', cancel_mode: 'immediate' },
      { status: 'cancelled', end_date: '2026-03-20', cancel_mode: 'immediate' },
    ]);
    // Audited: each subscription, then the account, with the approving supervisor.
    const audit = (await auditRows(rt)).filter((a) => a.action === 'subscription.cancel' || a.action === 'customer.cancel');
    expect(audit.map((a) => [a.action, a.actor, a.approved_by, a.outcome])).toEqual([
      ['subscription.cancel', 'amy', 'sue', 'success'],
      ['subscription.cancel', 'amy', 'sue', 'success'],
      ['customer.cancel', 'amy', 'sue', 'success'],
    ]);
    expect(JSON.parse(audit[2]!.summary)).toMatchObject({ customerNumber: 'CL1042', mode: 'immediate', cancelledOn: '2026-03-21', creditCents: 8645, reason: 'Sold the property' });

    // The account shows it, and keeps its history: both invoices are still there to be paid.
    const account = (await callAs(rt, clerk, 'customers.account', { customerNumber: 'CL1042' })) as { ok: true; data: CustomerAccountDto };
    expect(account.data.customer).toMatchObject({ status: 'cancelled', cancellation: { on: '2026-03-21', mode: 'immediate', reason: 'Sold the property', by: 'amy' } });
    expect(account.data.openInvoices.map((i) => i.openCents)).toEqual([3410, 9000]);

    // The next billing run makes nothing for it; the other customer is billed as usual.
    const next = await rt.core.billing.run({ asOf: '2026-07-01', dryRun: false }, 'dana');
    expect(next.invoices.every((i) => i.customerNumber === 'AK5521')).toBe(true);
    expect(next.invoices.length).toBe(4);

    // What it owes can still be paid: a check for the lawn invoice posts.
    const lawn = account.data.openInvoices[0]!;
    const paid = await callAs(rt, clerk, 'payments.recordReceived', {
      customerNumber: 'CL1042',
      invoiceNumbers: [lawn.invoiceNumber],
      creditNumbers: [],
      method: 'check',
      amountCents: 3410,
      checkNumber: '2210',
      checkBank: 'First Federal Bank',
      idempotencyKey: newKey(),
    });
    expect(paid).toMatchObject({ ok: true, data: { status: 'approved' } });
    expect(((paid as { data: PaymentSubmitDto }).data as { confirmationNumber?: string }).confirmationNumber).toBeTruthy();
    const status = await rawSql(rt.ledger).get<{ status: string }>(`SELECT status FROM invoices WHERE invoice_number = '${lawn.invoiceNumber}'`);
    expect(status!.status).toBe('paid');
    await expectHealthy(rt);
  });

  it('at the end of the term: no credit, each subscription ends with its period, and nothing is billed after', async () => {
    const r = await callAs(rt, await sessionOf(rt, 'sue'), 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'end_of_term', asOf: '2026-03-21', reason: 'Moving away' });
    expect(r).toMatchObject({ ok: true, data: { status: 'cancelled', cancelledOn: '2026-06-05', mode: 'end_of_term', creditCents: 0 } });
    expect(await subscriptionRows()).toEqual([
      { status: 'cancelled', end_date: '2026-03-31', cancel_mode: 'end_of_term' },
      { status: 'cancelled', end_date: '2026-06-04', cancel_mode: 'end_of_term' },
    ]);
    expect(await count('credit_memos')).toBe(0);
    expect(await customerRow()).toMatchObject({ status: 'cancelled', cancelled_on: '2026-06-05', cancel_mode: 'end_of_term', cancelled_by: 'sue' });
    const invoicesBefore = await count('invoices');
    const preview = await rt.core.billing.run({ asOf: '2026-12-01', dryRun: true, leadDays: 30 }, 'dana');
    expect(preview.invoices.filter((i) => i.customerNumber === 'CL1042')).toEqual([]);
    await rt.core.billing.run({ asOf: '2026-04-01', dryRun: false }, 'dana');
    const cl = await rawSql(rt.ledger).get<{ n: number }>(`SELECT count(*) AS n FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = 'CL1042'`);
    expect(cl!.n).toBe(2);
    expect(await count('invoices')).toBe(invoicesBefore + 1);
    await expectHealthy(rt);
  });

  it('refuses a clerk without a supervisor’s approval, and an account cancelled already, changing nothing', async () => {
    const refused = errorOf(await callAs(rt, clerk, 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'immediate', reason: 'x' }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
    expect(await customerRow()).toMatchObject({ status: 'active', cancelled_on: null });
    expect((await subscriptionRows()).map((s) => s.status)).toEqual(['active', 'active']);
    expect(await auditRows(rt, 'customers.cancelAccount')).toMatchObject([{ actor: 'amy', outcome: 'failure', error_code: 'FORBIDDEN' }]);

    // Nor by editing the details: that would skip the supervisor and leave the subscriptions billing.
    const edited = errorOf(await callAs(rt, clerk, 'customers.update', { customerNumber: 'CL1042', changes: { status: 'cancelled' } }));
    expect(edited).toMatchObject({ code: 'VALIDATION', details: { fields: { status: 'use Cancel account… on the Subscriptions tab to cancel an account' } } });
    expect(await customerRow()).toMatchObject({ status: 'active' });

    const blank = errorOf(await callAs(rt, clerk, 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'immediate', reason: '  ', approval }));
    expect(blank).toMatchObject({ code: 'VALIDATION', details: { fields: { reason: 'is required to cancel an account' } } });

    const sue = await sessionOf(rt, 'sue');
    expect(await callAs(rt, sue, 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'immediate', reason: 'Closed' })).toMatchObject({ ok: true });
    const credits = await count('credit_memos');
    const twice = errorOf(await callAs(rt, sue, 'customers.cancelAccount', { customerNumber: 'CL1042', mode: 'immediate', reason: 'Closed again' }));
    expect(twice).toMatchObject({ code: 'CONFLICT', message: 'CL1042 is cancelled already on 2026-03-21' });
    expect(await count('credit_memos')).toBe(credits);
    expect(await customerRow()).toMatchObject({ cancel_reason: 'Closed' });
    expect((await auditRows(rt, 'customer.cancel')).length).toBe(1);
    await expectHealthy(rt);
  });

  it('cancels an account without subscriptions too, and one subscription alone leaves the account active', async () => {
    const sue = await sessionOf(rt, 'sue');
    const subs = await rt.core.subscriptions.list('CL1042');
    const one = await callAs(rt, sue, 'subscriptions.cancel', { customerNumber: 'CL1042', subscriptionId: subs[0]!.id, mode: 'end_of_term', reason: 'Lawn no more' });
    expect(one).toMatchObject({ ok: true, data: { cancelled: [{ subscriptionId: subs[0]!.id, endDate: '2026-03-31', creditCents: 0 }] } });
    expect(await customerRow()).toMatchObject({ status: 'active' });
    await rt.core.customers.create(customerInput({ customerNumber: 'BZ1001', legalName: 'Bare Zinc', email: 'ap@zinc.example' }), 'dana');
    expect(await callAs(rt, sue, 'customers.cancelAccount', { customerNumber: 'BZ1001', mode: 'immediate', reason: 'Never started' })).toMatchObject({
      ok: true,
      data: { cancelled: [], creditCents: 0, cancelledOn: '2026-03-21' },
    });
    await expectHealthy(rt);
  });
});
