import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import { call, callError } from '../../helpers/payments-fixtures';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { customerInput, expectHealthy, rowCount } from './fixtures';

/** The channels behind the invoice's screen, the new-invoice form and emailing an invoice. */
let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime({ settings: memorySettingsStore({ defaultTaxRateBp: 825, policy: { ...DEFAULT_SETTINGS.policy, exactInvoicePayments: false, overpayment: 'refuse' } }) });
  await rt.core.customers.create(customerInput({ termsDays: 30 }), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'TO0007', legalName: 'Town of Oakridge', email: null, taxExempt: true }), 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const twoLines = [
  { description: 'Lawn care visit', quantity: 3, unitPriceCents: 1_999, taxable: true },
  { description: 'Green waste fee', quantity: 1, unitPriceCents: 1_000, taxable: false },
];

describe('invoices.preview', () => {
  it('computes a new invoice’s totals, due date and tax as invoices.create would, and writes nothing', async () => {
    const auditBefore = await rowCount(rt, 'audit_log');
    const p = await call(rt, 'invoices.preview', { customerNumber: 'CL1042', issueDate: '2026-11-20', lines: twoLines }, 'dana');
    // 5,997 taxable × 8.25 % = 494.7525 cents -> 495.
    expect(p).toEqual({
      issueDate: '2026-11-20',
      dueDate: '2026-12-20',
      termsDays: 30,
      taxRateBp: 825,
      taxExempt: false,
      lineAmounts: [5_997, 1_000],
      subtotalCents: 6_997,
      taxCents: 495,
      totalCents: 7_492,
      problems: {},
    });
    const created = await call(rt, 'invoices.create', { customerNumber: 'CL1042', issueDate: '2026-11-20', lines: twoLines }, 'dana');
    expect([created.subtotalCents, created.taxCents, created.totalCents, created.dueDate]).toEqual([6_997, 495, 7_492, '2026-12-20']);
    // The preview itself wrote nothing: one invoice (the one created), one audit row (its creation).
    expect(await rowCount(rt, 'invoices')).toBe(1);
    expect(await rowCount(rt, 'audit_log')).toBe(auditBefore + 1);
    await expectHealthy(rt);
  });

  it('names the fields invoices.create would refuse and totals only the lines that can be counted', async () => {
    const p = await call(
      rt,
      'invoices.preview',
      {
        customerNumber: 'CL1042',
        lines: [
          { description: 'Hedge trimming', quantity: 2, unitPriceCents: 4_550, taxable: true },
          { description: '', quantity: 0, unitPriceCents: 999, taxable: true },
        ],
      },
      'dana',
    );
    expect(p.problems).toEqual({
      'lines.1.description': 'is required',
      'lines.1.quantity': 'must be a positive whole number, got 0',
    });
    // 9,100 taxable × 8.25 % = 750.75 -> 751; the unusable line counts as 0.
    expect([p.lineAmounts, p.subtotalCents, p.taxCents, p.totalCents, p.dueDate]).toEqual([[9_100, 0], 9_100, 751, 9_851, '2026-12-20']);
    const refused = await callError(rt, 'invoices.create', {
      customerNumber: 'CL1042',
      lines: [{ description: '', quantity: 0, unitPriceCents: 999, taxable: true }],
    });
    expect(refused.code).toBe('VALIDATION');
    expect((refused.details as { fields: Record<string, string> }).fields).toEqual({
      'lines.0.description': 'is required',
      'lines.0.quantity': 'must be a positive whole number, got 0',
    });
    expect(await rowCount(rt, 'invoices')).toBe(0);
  });

  it('charges a tax-exempt customer no tax and keeps a due date the clerk typed', async () => {
    const p = await call(
      rt,
      'invoices.preview',
      { customerNumber: 'TO0007', issueDate: '2026-11-02', dueDate: '2026-11-15', lines: [{ description: 'Park mowing', quantity: 2, unitPriceCents: 12_345, taxable: true }] },
      'dana',
    );
    expect(p).toMatchObject({ taxExempt: true, dueDate: '2026-11-15', subtotalCents: 24_690, taxCents: 0, totalCents: 24_690, problems: {} });
  });

  it('answers NOT_FOUND for an unknown customer', async () => {
    const e = await callError(rt, 'invoices.preview', { customerNumber: 'ZZ9999', lines: twoLines });
    expect(e.code).toBe('NOT_FOUND');
  });
});

describe('invoices.get', () => {
  it('answers with the lines, the credits applied and reversed, the dispute and the history, oldest first', async () => {
    const inv = await call(rt, 'invoices.create', { customerNumber: 'CL1042', invoiceNumber: 'INV-7001', issueDate: '2026-11-02', lines: twoLines }, 'dana');
    await call(rt, 'credits.create', { customerNumber: 'CL1042', amountCents: 2_500, reason: 'Missed visit', creditNumber: 'CR-501' }, 'sue');
    rt.clock.set('2026-11-20T16:00:00Z');
    await call(rt, 'credits.apply', { customerNumber: 'CL1042', invoiceNumbers: ['INV-7001'], creditNumbers: ['CR-501'] }, 'amy');
    await expectHealthy(rt);

    // The void is refused while the credit stands on the invoice, and nothing changes.
    rt.clock.set('2026-11-20T17:00:00Z');
    const refused = await callError(rt, 'invoices.void', { invoiceNumber: 'INV-7001', reason: 'Billed twice' });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe('Invoice INV-7001 has $25.00 applied to it; reverse the payment or credit first, then void the invoice');
    expect((await call(rt, 'invoices.get', { invoiceNumber: 'INV-7001' })).status).toBe('open');

    rt.clock.set('2026-11-20T18:00:00Z');
    await call(rt, 'credits.unapply', { creditNumber: 'CR-501', invoiceNumber: 'INV-7001', reason: 'Applied to the wrong invoice' }, 'sue');
    rt.clock.set('2026-11-20T19:00:00Z');
    await call(rt, 'invoices.setDisputed', { invoiceNumber: 'INV-7001', disputed: true, reason: 'Hours disputed' }, 'sue');
    await expectHealthy(rt);

    const detail = await call(rt, 'invoices.get', { invoiceNumber: 'inv-7001' });
    expect(detail).toMatchObject({
      invoiceNumber: 'INV-7001',
      customerNumber: 'CL1042',
      customerName: 'Clearwater Landscaping LLC',
      customerEmail: 'ap@clearwater.example',
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
      subtotalCents: 6_997,
      taxCents: 495,
      totalCents: inv.totalCents,
      openCents: 7_492,
      status: 'open',
      disputed: true,
      disputeReason: 'Hours disputed',
    });
    expect(detail.applications.map((a) => [a.source, a.creditNumber, a.amountCents, a.reversed, a.reversesId !== null])).toEqual([
      ['credit', 'CR-501', 2_500, true, false],
      ['credit', 'CR-501', -2_500, false, true],
    ]);
    expect(detail.history.map((h) => [h.action, h.text, h.actor])).toEqual([
      ['invoice.create', 'Created for $74.92', 'dana'],
      ['credit', '$25.00 applied from credit CR-501', 'amy'],
      ['reversal', '$25.00 of credit CR-501 taken back: Applied to the wrong invoice', 'sue'],
      ['invoice.dispute', 'Marked disputed: Hours disputed', 'sue'],
    ]);

    // Nothing stands against it now: the void goes through and joins the history.
    rt.clock.set('2026-11-20T20:00:00Z');
    await call(rt, 'invoices.setDisputed', { invoiceNumber: 'INV-7001', disputed: false }, 'sue');
    await call(rt, 'invoices.void', { invoiceNumber: 'INV-7001', reason: 'Billed twice' }, 'sue');
    const voided = await call(rt, 'invoices.get', { invoiceNumber: 'INV-7001' });
    expect([voided.status, voided.openCents, voided.voidReason, voided.voidedBy]).toEqual(['void', 0, 'Billed twice', 'sue']);
    expect(voided.history.slice(-2).map((h) => h.text)).toEqual(['Dispute cleared', 'Voided: Billed twice']);
    await expectHealthy(rt);
  });

  it('answers NOT_FOUND for an invoice that does not exist', async () => {
    const e = await callError(rt, 'invoices.get', { invoiceNumber: 'INV-404' });
    expect([e.code, e.message]).toEqual(['NOT_FOUND', 'No invoice INV-404']);
  });
});

describe('documents.emailInvoice', () => {
  it('queues the invoice with its PDF to the customer’s email, or to the address given, and audits it', async () => {
    await call(rt, 'invoices.create', { customerNumber: 'CL1042', invoiceNumber: 'INV-7002', lines: twoLines }, 'dana');
    const first = await call(rt, 'documents.emailInvoice', { invoiceNumber: 'INV-7002' }, 'amy');
    const second = await call(rt, 'documents.emailInvoice', { invoiceNumber: 'INV-7002', to: 'billing@clearwater.example' }, 'amy');
    expect([first.to, second.to]).toEqual(['ap@clearwater.example', 'billing@clearwater.example']);
    expect(first.subject).toMatch(/^Invoice INV-7002 from /);
    expect(first.body).toContain('Attached is invoice INV-7002 for $74.92.');
    expect(first.attachmentName).toBe('invoice-INV-7002.pdf');
    expect(first.document).toEqual({ kind: 'invoice', invoiceNumber: 'INV-7002' });
    const rows = await withDocumentTables(rt.ledger.db).selectFrom('outbox').select(['to_address', 'customer_id']).orderBy('id').execute();
    expect(rows.map((r) => r.to_address)).toEqual(['ap@clearwater.example', 'billing@clearwater.example']);
    const audit = await rt.ledger.db.selectFrom('audit_log').select(['actor', 'entity', 'customer_number']).where('entity', '=', 'outbox').execute();
    expect(audit).toEqual([
      { actor: 'amy', entity: 'outbox', customer_number: 'CL1042' },
      { actor: 'amy', entity: 'outbox', customer_number: 'CL1042' },
    ]);
  });

  it('holds the message for a customer without email, and refuses an unknown invoice without queueing anything', async () => {
    await call(rt, 'invoices.create', { customerNumber: 'TO0007', invoiceNumber: 'INV-7003', lines: twoLines }, 'dana');
    const held = await call(rt, 'documents.emailInvoice', { invoiceNumber: 'INV-7003' }, 'amy');
    expect([held.status, held.lastError]).toEqual(['failed', 'No email address on file: enter the recipient, then retry.']);
    const e = await callError(rt, 'documents.emailInvoice', { invoiceNumber: 'INV-404' });
    expect(e.code).toBe('NOT_FOUND');
    expect(await withDocumentTables(rt.ledger.db).selectFrom('outbox').select('id').execute()).toHaveLength(1);
  });
});
