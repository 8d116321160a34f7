import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { reverseApplications, standingApplications } from '../../../src/main/ledger/applications.repo';
import { postingTime } from '../../../src/main/ledger/posting';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { auditActions, customerInput, expectHealthy, failure, invoiceInput } from './fixtures';

let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime({ settings: memorySettingsStore({ defaultTaxRateBp: 825 }) });
  await rt.core.customers.create(customerInput(), 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

describe('invoices', () => {
  it('computes tax once on the taxable subtotal, rounded half up to the cent', async () => {
    const inv = await rt.core.invoices.create(
      {
        customerNumber: 'CL1042',
        issueDate: '2026-10-01',
        lines: [
          { description: 'Lawn care visit', quantity: 3, unitPriceCents: 1_999, taxable: true },
          { description: 'Green waste fee', quantity: 1, unitPriceCents: 1_000, taxable: false },
        ],
      },
      'dana',
    );
    // 5,997 taxable × 8.25 % = 494.7525 cents -> 495.
    expect(inv).toMatchObject({ subtotalCents: 6_997, taxRateBp: 825, taxCents: 495, totalCents: 7_492, openCents: 7_492, status: 'open' });
    expect(inv.lines).toEqual([
      { lineNo: 1, description: 'Lawn care visit', quantity: 3, unitPriceCents: 1_999, amountCents: 5_997, taxable: true },
      { lineNo: 2, description: 'Green waste fee', quantity: 1, unitPriceCents: 1_000, amountCents: 1_000, taxable: false },
    ]);
    // Exactly half a cent rounds up; just under half rounds down.
    const half = await rt.core.invoices.create(
      { customerNumber: 'CL1042', taxRateBp: 50, lines: [{ description: 'Filter', quantity: 1, unitPriceCents: 100, taxable: true }] },
      'dana',
    );
    expect(half.taxCents).toBe(1);
    const under = await rt.core.invoices.create(
      { customerNumber: 'CL1042', lines: [{ description: 'Washer', quantity: 6, unitPriceCents: 1, taxable: true }] },
      'dana',
    );
    // 6 × 8.25 % = 0.495 cents -> 0.
    expect(under.taxCents).toBe(0);
    expect(under.totalCents).toBe(6);
    await expectHealthy(rt);
  });

  it('charges no tax to a tax-exempt customer', async () => {
    await rt.core.customers.create(customerInput({ customerNumber: 'TO0007', legalName: 'Town of Oakridge', taxExempt: true }), 'dana');
    const inv = await rt.core.invoices.create(
      { customerNumber: 'TO0007', lines: [{ description: 'Park mowing', quantity: 2, unitPriceCents: 12_345, taxable: true }] },
      'dana',
    );
    expect(inv).toMatchObject({ subtotalCents: 24_690, taxCents: 0, totalCents: 24_690 });
    await expectHealthy(rt);
  });

  it('numbers invoices INV-100001 onward, skips numbers taken by hand, and defaults the dates', async () => {
    const first = await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { issueDate: undefined }), 'dana');
    expect(first.invoiceNumber).toBe('INV-100001');
    expect(first.issueDate).toBe('2026-11-20');
    expect(first.dueDate).toBe('2026-12-20');
    await rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-100002' }), 'dana');
    const third = await rt.core.invoices.create(invoiceInput('CL1042', 1_000), 'dana');
    expect(third.invoiceNumber).toBe('INV-100003');
    expect(third.dueDate).toBe('2026-10-31');
    const dup = await failure(rt.core.invoices.create(invoiceInput('CL1042', 1_000, { invoiceNumber: 'INV-100001' }), 'dana'));
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toBe('Invoice number INV-100001 is already in use');
    await expectHealthy(rt);
  });

  it('names every bad field of a new invoice', async () => {
    const error = await failure(
      rt.core.invoices.create(
        {
          customerNumber: 'CL1042',
          issueDate: '2026-10-15',
          dueDate: '2026-10-01',
          periodStart: '2026-10-01',
          periodEnd: '2026-02-30',
          taxRateBp: 10_001,
          lines: [
            { description: ' ', quantity: 1, unitPriceCents: 100 },
            { description: 'ok', quantity: 0, unitPriceCents: -5 },
          ],
        },
        'dana',
      ),
    );
    expect(error.code).toBe('VALIDATION');
    const fields = (error.details as { fields: Record<string, string> }).fields;
    expect(fields).toEqual({
      dueDate: '2026-10-01 is before the issue date 2026-10-15',
      periodEnd: '"2026-02-30" is not a calendar date as YYYY-MM-DD',
      taxRateBp: 'must be a whole number of basis points from 0 to 10000 (825 = 8.25%), got 10001',
      'lines.0.description': 'is required',
      'lines.1.quantity': 'must be a positive whole number, got 0',
      'lines.1.unitPriceCents': 'must be a whole, non-negative number of cents, got -5',
    });
    const unknown = await failure(rt.core.invoices.create(invoiceInput('ZZ1', 100), 'dana'));
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('refuses to void an invoice a credit stands on, and voids it once the credit is taken back', async () => {
    await rt.core.invoices.create(invoiceInput('CL1042', 5_000, { invoiceNumber: 'INV-1' }), 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 8_000, reason: 'Overbilled in September' }, 'dana');
    await rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: ['CR-100001'] }, 'dana');
    await expectHealthy(rt);

    const refused = await failure(rt.core.invoices.void('INV-1', 'Billed in error', 'dana'));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(
      'Invoice INV-1 has $50.00 applied to it; reverse the payment or credit first, then void the invoice',
    );
    expect((await rt.core.invoices.get('INV-1')).status).toBe('paid');

    const back = await rt.core.credits.unapply({ creditNumber: 'CR-100001', invoiceNumber: 'INV-1', reason: 'Invoice billed in error' }, 'dana');
    expect(back).toEqual({ creditNumber: 'CR-100001', invoiceNumber: 'INV-1', reversedCents: 5_000, creditRemainingCents: 8_000, invoiceOpenCents: 5_000 });
    await expectHealthy(rt);

    const blank = await failure(rt.core.invoices.void('INV-1', '  ', 'dana'));
    expect(blank.code).toBe('VALIDATION');
    expect(blank.message).toBe('reason: is required to void an invoice');

    const voided = await rt.core.invoices.void('INV-1', 'Billed in error', 'lee');
    expect(voided).toMatchObject({ status: 'void', voidReason: 'Billed in error', voidedBy: 'lee', openCents: 0 });
    expect(voided.applications.map((a) => [a.amountCents, a.reversed, a.creditNumber])).toEqual([
      [5_000, true, 'CR-100001'],
      [-5_000, false, 'CR-100001'],
    ]);
    const again = await failure(rt.core.invoices.void('INV-1', 'Twice', 'lee'));
    expect(again.code).toBe('CONFLICT');
    expect((await rt.core.customers.account('CL1042')).openInvoices).toEqual([]);
    expect((await auditActions(rt)).map((a) => a.action)).toEqual([
      'customer.create',
      'invoice.create',
      'credit.create',
      'credit.apply',
      'credit.unapply',
      'invoice.void',
    ]);
    await expectHealthy(rt);
  });

  it('refuses to void an invoice paid by a payment until the payment is reversed', async () => {
    const imported = await rt.core.imports.importCsv(
      'invoices',
      'invoice_number,customer_number,issue_date,due_date,amount,amount_paid\nINV-7,CL1042,2026-09-01,2026-10-01,120.00,45.50\n',
      'dana',
    );
    expect(imported.ok).toBe(true);
    const refused = await failure(rt.core.invoices.void('INV-7', 'Duplicate', 'dana'));
    expect(refused.message).toMatch(/has \$45\.50 applied to it; reverse the payment or credit first/);

    // What voiding the payment does: reverse its applications and mark it voided, in one transaction.
    const invoice = await rt.core.invoices.get('INV-7');
    const paymentId = invoice.applications[0]!.paymentId!;
    await rt.ledger.db.transaction().execute(async (trx) => {
      const standing = await standingApplications(trx, { paymentId });
      const reversed = await reverseApplications(trx, standing.map((a) => a.id), 'Customer paid twice', 'dana', postingTime(rt.core.deps));
      expect(reversed).toEqual([
        { id: expect.any(Number), reversesId: standing[0]!.id, invoiceId: standing[0]!.invoice_id, source: 'payment', paymentId, creditId: null, amountCents: -4_550 },
      ]);
      await trx.updateTable('payments').set({ status: 'voided' }).where('id', '=', paymentId).execute();
    });
    expect((await rt.core.invoices.get('INV-7')).openCents).toBe(12_000);
    await expectHealthy(rt);
    const voided = await rt.core.invoices.void('INV-7', 'Duplicate', 'dana');
    expect(voided.status).toBe('void');
    await expectHealthy(rt);
  });

  it('marks and clears a dispute with a reason and keeps both in the audit log', async () => {
    await rt.core.invoices.create(invoiceInput('CL1042', 5_000, { invoiceNumber: 'INV-1' }), 'dana');
    const noReason = await failure(rt.core.invoices.setDisputed('INV-1', true, undefined, 'dana'));
    expect(noReason.code).toBe('VALIDATION');
    expect(noReason.message).toBe('reason: is required to mark an invoice disputed');

    const disputed = await rt.core.invoices.setDisputed('INV-1', true, 'Crew never came', 'dana');
    expect(disputed).toMatchObject({ disputed: true, disputeReason: 'Crew never came', status: 'open' });
    expect((await rt.core.customers.account('CL1042')).openInvoices[0]!.disputed).toBe(true);

    const cleared = await rt.core.invoices.setDisputed('INV-1', false, 'Crew came on the 3rd', 'lee');
    expect(cleared).toMatchObject({ disputed: false, disputeReason: null });
    const audit = (await auditActions(rt)).slice(-2);
    expect(audit.map((a) => [a.action, a.actor, JSON.parse(a.summary)])).toEqual([
      ['invoice.dispute', 'dana', { reason: 'Crew never came', previousReason: null }],
      ['invoice.undispute', 'lee', { reason: 'Crew came on the 3rd', previousReason: 'Crew never came' }],
    ]);
    await expectHealthy(rt);
  });

  it('treats a zero invoice as paid from the start', async () => {
    const zero = await rt.core.invoices.create(invoiceInput('CL1042', 0), 'dana');
    expect(zero).toMatchObject({ totalCents: 0, openCents: 0, status: 'paid' });
    await expectHealthy(rt);
  });
});
