import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { afterEach, describe, expect, it } from 'vitest';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { auditActions, customerInput, expectHealthy, failure, invoiceInput } from './fixtures';
import { asStaff } from '../../helpers/dispatch';
import { rawSql } from '../../helpers/sql';

let rt: TestRuntime;
afterEach(async () => {
  await rt.dispose();
});

async function ledger(exactInvoicePayments = true): Promise<TestRuntime> {
  rt = await openTestRuntime({
    settings: memorySettingsStore({ policy: { ...DEFAULT_SETTINGS.policy, exactInvoicePayments, overpayment: 'refuse' } }),
  });
  await rt.core.customers.create(customerInput(), 'dana');
  return rt;
}

async function openOf(invoiceNumber: string): Promise<number> {
  return (await rt.core.invoices.get(invoiceNumber)).openCents;
}

async function remainingOf(creditNumber: string): Promise<number> {
  return (await rt.core.credits.get(creditNumber)).remainingCents;
}

describe('credit memos', () => {
  it('numbers credits CR-100001 onward and checks amount, reason and date', async () => {
    await ledger();
    const credit = await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 2_500, reason: 'Missed visit' }, 'dana');
    expect(credit).toEqual({
      creditNumber: 'CR-100001',
      customerNumber: 'CL1042',
      issueDate: '2026-11-20',
      amountCents: 2_500,
      remainingCents: 2_500,
      reason: 'Missed visit',
      createdAt: '2026-11-20T15:00:00.000Z',
      createdBy: 'dana',
    });
    const bad = await failure(
      rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 0, reason: ' ', issueDate: '2026-13-01' }, 'dana'),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(Object.keys((bad.details as { fields: object }).fields).sort()).toEqual(['amountCents', 'issueDate', 'reason']);
    const dup = await failure(
      rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 1, reason: 'x', creditNumber: 'CR-100001' }, 'dana'),
    );
    expect(dup.code).toBe('CONFLICT');
    await expectHealthy(rt);
  });
});

describe('applying credits without a card payment', () => {
  it('refuses a credit that would pay an invoice in part when exact payments are on', async () => {
    await ledger(true);
    await rt.core.invoices.create(invoiceInput('CL1042', 5_000, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 3_000, reason: 'Goodwill' }, 'dana');
    const refused = await failure(
      rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] }, 'dana'),
    );
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toBe('Invoice INV-1 would be paid in part by the selected credits; partial payments are not allowed');
    expect(refused.details).toEqual({ code: 'PARTIAL_PAYMENT_NOT_ALLOWED', invoiceNumber: 'INV-1' });
    expect(await openOf('INV-1')).toBe(5_000);
    expect(await remainingOf('CR-100001')).toBe(3_000);
    expect((await auditActions(rt)).map((a) => a.action)).not.toContain('credit.apply');
    await expectHealthy(rt);
  });

  it('applies a credit in full to pay part of an invoice when exact payments are off, and a reversal restores both', async () => {
    await ledger(false);
    await rt.core.invoices.create(invoiceInput('CL1042', 5_000, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 3_001, reason: 'Goodwill' }, 'dana');
    const applied = await rt.core.credits.apply(
      { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] },
      'dana',
    );
    expect(applied).toEqual({
      customerNumber: 'CL1042',
      appliedOn: '2026-11-20',
      lines: [
        { invoiceNumber: 'INV-1', openCents: 5_000, creditCents: 3_001, remainingCents: 1_999, creditParts: [{ creditNumber: 'CR-100001', amountCents: 3_001 }] },
      ],
      totalCreditCents: 3_001,
      creditsUsed: [{ creditNumber: 'CR-100001', amountCents: 3_001 }],
      creditsLeft: [],
    });
    expect(await openOf('INV-1')).toBe(1_999);
    expect((await rt.core.invoices.get('INV-1')).status).toBe('open');
    expect(await remainingOf('CR-100001')).toBe(0);
    const row = (await rawSql(rt.ledger).get('SELECT source, credit_id, payment_id, applied_on, amount_cents, created_by FROM applications'));
    expect(row).toEqual({ source: 'credit', credit_id: 1, payment_id: null, applied_on: '2026-11-20', amount_cents: 3_001, created_by: 'dana' });
    await expectHealthy(rt);

    rt.clock.set('2026-11-23T14:00:00Z');
    await rt.core.credits.unapply({ creditNumber: 'CR-100001', invoiceNumber: 'INV-1', reason: 'Applied to the wrong invoice' }, 'lee');
    expect(await openOf('INV-1')).toBe(5_000);
    expect(await remainingOf('CR-100001')).toBe(3_001);
    const reversal = (await rawSql(rt.ledger).get('SELECT amount_cents, reverses_id, applied_on, reason, created_by FROM applications WHERE reverses_id IS NOT NULL'));
    expect(reversal).toEqual({ amount_cents: -3_001, reverses_id: 1, applied_on: '2026-11-23', reason: 'Applied to the wrong invoice', created_by: 'lee' });
    await expectHealthy(rt);

    const nothing = await failure(rt.core.credits.unapply({ creditNumber: 'CR-100001', invoiceNumber: 'INV-1', reason: 'again' }, 'lee'));
    expect(nothing.code).toBe('CONFLICT');
    expect(nothing.message).toBe('Credit CR-100001 has nothing applied to invoice INV-1');
  });

  it('applies part of a credit to pay an invoice in full and keeps the rest available', async () => {
    await ledger(true);
    await rt.core.invoices.create(invoiceInput('CL1042', 4_999, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 8_000, reason: 'Overbilled' }, 'dana');
    const applied = await rt.core.credits.apply(
      { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] },
      'dana',
    );
    expect(applied.lines).toEqual([
      { invoiceNumber: 'INV-1', openCents: 4_999, creditCents: 4_999, remainingCents: 0, creditParts: [{ creditNumber: 'CR-100001', amountCents: 4_999 }] },
    ]);
    expect(applied.creditsLeft).toEqual([{ creditNumber: 'CR-100001', remainingCents: 3_001 }]);
    expect(await openOf('INV-1')).toBe(0);
    expect((await rt.core.invoices.get('INV-1')).status).toBe('paid');
    expect(await remainingOf('CR-100001')).toBe(3_001);
    const account = await rt.core.customers.account('CL1042');
    expect(account.balance).toEqual({ openCents: 0, pastDueCents: 0, unappliedCreditCents: 3_001, onAccountCents: 0 });
    await expectHealthy(rt);

    await rt.core.credits.unapply({ creditNumber: 'CR-100001', invoiceNumber: 'INV-1', reason: 'Customer disputes the credit' }, 'dana');
    expect((await rt.core.invoices.get('INV-1')).status).toBe('open');
    expect(await remainingOf('CR-100001')).toBe(8_000);
    await expectHealthy(rt);
  });

  it('uses credits and invoices oldest first under Pay All, leaving disputed invoices alone', async () => {
    await ledger(true);
    await rt.core.invoices.create(invoiceInput('CL1042', 3_000, { invoiceNumber: 'INV-B', dueDate: '2026-11-01' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 2_345, { invoiceNumber: 'INV-A', dueDate: '2026-10-15' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 9_999, { invoiceNumber: 'INV-C', dueDate: '2026-10-01' }), 'dana');
    await rt.core.invoices.setDisputed('INV-C', true, 'Wrong rate', 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 5_000, reason: 'Later', issueDate: '2026-11-10' }, 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 1_234, reason: 'Earlier', issueDate: '2026-11-01' }, 'dana');
    const applied = await rt.core.credits.apply(
      { customerNumber: 'CL1042', invoiceNumbers: 'all', creditNumbers: ['CR-100001', 'CR-100002'] },
      'dana',
    );
    expect(applied.lines.map((l) => [l.invoiceNumber, l.creditParts])).toEqual([
      ['INV-A', [{ creditNumber: 'CR-100002', amountCents: 1_234 }, { creditNumber: 'CR-100001', amountCents: 1_111 }]],
      ['INV-B', [{ creditNumber: 'CR-100001', amountCents: 3_000 }]],
    ]);
    expect(applied.totalCreditCents).toBe(5_345);
    expect(applied.creditsLeft).toEqual([{ creditNumber: 'CR-100001', remainingCents: 889 }]);
    expect(await openOf('INV-A')).toBe(0);
    expect(await openOf('INV-B')).toBe(0);
    expect(await openOf('INV-C')).toBe(9_999);
    expect(await remainingOf('CR-100001')).toBe(889);
    expect(await remainingOf('CR-100002')).toBe(0);
    const audit = (await auditActions(rt)).at(-1)!;
    expect(audit.action).toBe('credit.apply');
    expect(JSON.parse(audit.summary)).toMatchObject({
      totalCreditCents: 5_345,
      applications: [
        { invoice: 'INV-A', credit: 'CR-100002', cents: 1_234 },
        { invoice: 'INV-A', credit: 'CR-100001', cents: 1_111 },
        { invoice: 'INV-B', credit: 'CR-100001', cents: 3_000 },
      ],
    });
    await expectHealthy(rt);
  });

  it('never applies a credit twice when two applications race for it', async () => {
    await ledger(true);
    await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-2' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 1_500, reason: 'Goodwill' }, 'dana');
    const outcomes = await Promise.allSettled([
      rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] }, 'dana'),
      rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-2'], creditNumbers: ['CR-100001'] }, 'lee'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    const second = (outcomes[1] as PromiseRejectedResult).reason as { code: string; message: string };
    expect(second.code).toBe('VALIDATION');
    expect(second.message).toBe('Invoice INV-2 would be paid in part by the selected credits; partial payments are not allowed');
    expect(await remainingOf('CR-100001')).toBe(500);
    await expectHealthy(rt);
  });

  it('refuses credits of another customer and unknown invoices with the rule\'s code', async () => {
    await ledger(true);
    await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'AK5521', amountCents: 1_000, reason: 'Other customer' }, 'dana');
    const foreign = await failure(
      rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] }, 'dana'),
    );
    expect(foreign.details).toEqual({ code: 'CREDIT_NOT_AVAILABLE', creditNumber: 'CR-100001' });
    const noInvoice = await failure(
      rt.core.credits.apply({ customerNumber: 'AK5521', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] }, 'dana'),
    );
    expect(noInvoice.details).toEqual({ code: 'INVOICE_NOT_OPEN', invoiceNumber: 'INV-1' });
    expect((await rawSql(rt.ledger).get('SELECT count(*) AS n FROM applications'))).toEqual({ n: 0 });
    await expectHealthy(rt);
  });

  it('serves credits.apply through dispatch', async () => {
    await ledger(true);
    await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-1' }), 'dana');
    const handlers = createDispatcher(rt.core);
    const created = await dispatch(handlers, 'credits.create', { customerNumber: 'CL1042', amountCents: 1_000, reason: 'x' }, asStaff('dana'));
    expect(created.ok).toBe(true);
    const applied = await dispatch(
      handlers,
      'credits.apply',
      { customerNumber: 'CL1042', invoiceNumbers: 'all', creditNumbers: ['CR-100001'] },
      asStaff('dana'),
    );
    expect(applied.ok && (applied.data as { totalCreditCents: number }).totalCreditCents).toBe(1_000);
    await expectHealthy(rt);
  });
});
