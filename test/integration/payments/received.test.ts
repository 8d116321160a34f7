import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import type { RecordReceivedInput } from '../../../src/shared/contract/received';
import {
  addCredit,
  addCustomer,
  addInvoice,
  applicationRows,
  call,
  callError,
  countRows,
  creditLeft,
  expectHealthy,
  invoiceStatus,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';
import { keepPdf, pdfText } from '../../helpers/documents-fixtures';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';

let rt: PaymentsRuntime;

// Today is 2026-11-20 (New York). CL2001 owes INV-A $100.00 (oldest), INV-B $200.50 and INV-C $100.00; credit CR-A $120.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL2001', 'Alder Creek Pediatrics');
  await addInvoice(db, c, 'INV-B', 20_050, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(db, c, 'INV-A', 10_000, { issueDate: '2026-08-01', dueDate: '2026-09-01' });
  await addInvoice(db, c, 'INV-C', 10_000, { issueDate: '2026-10-01', dueDate: '2026-11-01' });
  await addCredit(db, c, 'CR-A', 12_000, '2026-08-15');
  await expectHealthy(db);
});
afterEach(async () => {
  await rt.dispose();
});

function check(more: Partial<RecordReceivedInput> = {}): RecordReceivedInput {
  return {
    customerNumber: 'CL2001',
    invoiceNumbers: ['INV-B', 'INV-A'],
    creditNumbers: [],
    method: 'check',
    amountCents: 30_050,
    checkNumber: '1042',
    checkBank: 'First Federal Bank',
    idempotencyKey: newKey(),
    ...more,
  };
}

function approved(r: PaymentSubmitDto) {
  if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
  return r;
}

async function payment(id: number) {
  return rt.ledger.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('payments.recordReceived', () => {
  it('with partial payments allowed: a check short of the invoices pays the oldest first and leaves the rest open, cash over them is kept on account, to the cent, healthy after each step', async () => {
    await rt.core.settings.updateOffice({ policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit' } }, 'admin');
    // $150.00 against INV-A and INV-B ($100.00 + $200.50): INV-A in full, $50.00 of INV-B. (An invoice chosen
    // that would receive nothing is refused: the clerk leaves it out.)
    const nothingFor = await callError(rt, 'payments.recordReceived', check({ invoiceNumbers: ['INV-A', 'INV-B', 'INV-C'], amountCents: 15_000 }));
    expect(nothingFor.message).toMatch(/INV-C would receive nothing from this payment/);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    approved(await call(rt, 'payments.recordReceived', check({ invoiceNumbers: ['INV-A', 'INV-B'], amountCents: 15_000 })));
    expect([await openCents(rt.ledger.db, 'INV-A'), await openCents(rt.ledger.db, 'INV-B'), await openCents(rt.ledger.db, 'INV-C')]).toEqual([0, 15_050, 10_000]);
    expect([await invoiceStatus(rt.ledger.db, 'INV-A'), await invoiceStatus(rt.ledger.db, 'INV-B'), await invoiceStatus(rt.ledger.db, 'INV-C')]).toEqual(['paid', 'open', 'open']);
    await expectHealthy(rt.ledger.db);
    // $400.00 cash for the $250.50 left: both paid, $149.50 kept on the account.
    approved(await call(rt, 'payments.recordReceived', check({ method: 'cash', checkNumber: undefined, checkBank: undefined, invoiceNumbers: ['INV-B', 'INV-C'], amountCents: 40_000 })));
    expect([await openCents(rt.ledger.db, 'INV-B'), await openCents(rt.ledger.db, 'INV-C')]).toEqual([0, 0]);
    const account = await call(rt, 'customers.account', { customerNumber: 'CL2001' });
    expect(account.balance.onAccountCents).toBe(14_950);
    await expectHealthy(rt.ledger.db);
  });

  it('records a check paying two invoices oldest first, captured with a confirmation number and no gateway call', async () => {
    const r = approved(await call(rt, 'payments.recordReceived', check()));
    expect(r.confirmationNumber).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(r.amountCents).toBe(30_050);
    expect(r.applied).toEqual([
      { invoiceNumber: 'INV-A', amountCents: 10_000, source: 'check' },
      { invoiceNumber: 'INV-B', amountCents: 20_050, source: 'check' },
    ]);
    const db = rt.ledger.db;
    expect(await openCents(db, 'INV-A')).toBe(0);
    expect(await openCents(db, 'INV-B')).toBe(0);
    expect(await invoiceStatus(db, 'INV-B')).toBe('paid');
    expect(await openCents(db, 'INV-C')).toBe(10_000);
    expect(await payment(r.paymentId)).toMatchObject({
      kind: 'check',
      status: 'captured',
      amount_cents: 30_050,
      received_via: 'check',
      check_number: '1042',
      check_bank: 'First Federal Bank',
      reference: null,
      gateway: null,
      received_on: '2026-11-20',
      confirmation_number: r.confirmationNumber,
    });
    expect(await rt.gateway.records()).toEqual([]);
    const detail = await call(rt, 'payments.get', { confirmationNumber: r.confirmationNumber });
    expect(detail.methodLabel).toBe('Check 1042 (First Federal Bank)');
    expect(detail.received).toEqual({ via: 'check', checkNumber: '1042', checkBank: 'First Federal Bank', reference: null });
    expect(detail.canVoid).toBe(false);
    expect(detail.refundableCents).toBe(30_050);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'payment.record_received').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.summary)).toMatchObject({ confirmationNumber: r.confirmationNumber, amountCents: 30_050, invoices: ['INV-A', 'INV-B'] });
    await expectHealthy(db);
  });

  it('confirms a check, cash and a wire as money received, never as charged, in the PDF and the email', async () => {
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const r = approved(await call(rt, 'payments.recordReceived', check({ delivery: 'email', emailTo: 'ap@aldercreek.example' })));
    const mail = await withDocumentTables(rt.ledger.db).selectFrom('outbox').selectAll().where('payment_id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(mail.body).toContain('Thank you for your payment of $300.50');
    expect(mail.body).not.toMatch(/charged/i);
    const emailed = flat(pdfText(keepPdf(`confirmation-check-emailed-${rt.ledger.dialect}`, new Uint8Array(mail.attachment_pdf!))));
    expect(emailed).toContain('Amount received $300.50');
    expect(emailed).toContain('Method Check 1042, First Federal Bank Amount received $300.50');
    expect(emailed).toContain('Received by check $300.50');
    expect(emailed).toContain('Invoice By check From credits Total');
    expect(emailed).not.toMatch(/charged/i);

    const cash = approved(await call(rt, 'payments.recordReceived', { customerNumber: 'CL2001', invoiceNumbers: ['INV-C'], creditNumbers: [], method: 'cash', amountCents: 10_000, idempotencyKey: newKey() }));
    const cashText = flat(pdfText(keepPdf(`confirmation-cash-${rt.ledger.dialect}`, (await rt.core.documents.build({ kind: 'confirmation', paymentId: cash.paymentId })).bytes)));
    expect(cashText).toContain('Amount received $100.00');
    expect(cashText).toContain('Received in cash $100.00');
    expect(cashText).not.toMatch(/charged/i);

    await addInvoice(rt.ledger.db, (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL2001').executeTakeFirstOrThrow()).id, 'INV-D', 7_525, { issueDate: '2026-10-05', dueDate: '2026-11-05' });
    const wire = approved(await call(rt, 'payments.recordReceived', { customerNumber: 'CL2001', invoiceNumbers: ['INV-D'], creditNumbers: [], method: 'wire', amountCents: 7_525, reference: 'FW-2291-77', idempotencyKey: newKey() }));
    const wireText = flat(pdfText(keepPdf(`confirmation-wire-${rt.ledger.dialect}`, (await rt.core.documents.build({ kind: 'confirmation', paymentId: wire.paymentId })).bytes)));
    expect(wireText).toContain('Amount received $75.25');
    expect(wireText).toContain('Method Wire, reference FW-2291-77 Amount received $75.25');
    expect(wireText).toContain('Received by wire $75.25');
    expect(wireText).not.toMatch(/charged/i);
    await expectHealthy(rt.ledger.db);
  });

  it('records cash with a credit: the credit goes first and the cash pays what it leaves, $180.50', async () => {
    const r = approved(
      await call(rt, 'payments.recordReceived', {
        customerNumber: 'CL2001',
        invoiceNumbers: ['INV-A', 'INV-B'],
        creditNumbers: ['CR-A'],
        method: 'cash',
        amountCents: 18_050,
        idempotencyKey: newKey(),
      }),
    );
    expect(r.applied).toEqual([
      { invoiceNumber: 'INV-A', amountCents: 10_000, source: 'credit', creditNumber: 'CR-A' },
      { invoiceNumber: 'INV-B', amountCents: 2_000, source: 'credit', creditNumber: 'CR-A' },
      { invoiceNumber: 'INV-B', amountCents: 18_050, source: 'cash' },
    ]);
    const db = rt.ledger.db;
    expect(await creditLeft(db, 'CR-A')).toBe(0);
    expect(await openCents(db, 'INV-B')).toBe(0);
    expect(await payment(r.paymentId)).toMatchObject({ kind: 'cash', received_via: 'cash', amount_cents: 18_050, check_number: null });
    await expectHealthy(db);
  });

  it('records a wire with its reference, and refuses a wire without one at the field', async () => {
    const err = await callError(rt, 'payments.recordReceived', { ...check({ method: 'wire', checkNumber: undefined, checkBank: undefined }) });
    expect(err.details).toEqual({ fields: { reference: "is required for a wire: the bank's reference" } });
    const r = approved(await call(rt, 'payments.recordReceived', check({ method: 'wire', checkNumber: undefined, checkBank: undefined, reference: 'FW-2291-77' })));
    expect(await payment(r.paymentId)).toMatchObject({ kind: 'bank', received_via: 'wire', reference: 'FW-2291-77', check_number: null, gateway: null });
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail.methodLabel).toBe('Wire FW-2291-77');
    expect(await countRows(rt.ledger.db, 'payments')).toBe(1);
    await expectHealthy(rt.ledger.db);
  });

  it('records a check received earlier on its date, and refuses a date in the future changing nothing', async () => {
    const r = approved(await call(rt, 'payments.recordReceived', check({ receivedOn: '2026-11-16' })));
    expect((await payment(r.paymentId)).received_on).toBe('2026-11-16');
    const applied = await rt.ledger.db.selectFrom('applications').select('applied_on').where('payment_id', '=', r.paymentId).execute();
    expect(applied.map((a) => a.applied_on)).toEqual(['2026-11-16', '2026-11-16']);
    await expectHealthy(rt.ledger.db);

    const before = await countRows(rt.ledger.db, 'payments');
    const err = await callError(rt, 'payments.recordReceived', check({ invoiceNumbers: ['INV-C'], amountCents: 10_000, checkNumber: '1043', receivedOn: '2026-11-21' }));
    expect(err.code).toBe('VALIDATION');
    expect(err.details).toEqual({ fields: { receivedOn: 'cannot be in the future (today is 2026-11-20)' } });
    expect(await countRows(rt.ledger.db, 'payments')).toBe(before);
    expect(await openCents(rt.ledger.db, 'INV-C')).toBe(10_000);
  });

  it('refuses a check without its number or its bank at the field, writing nothing', async () => {
    const noNumber = await callError(rt, 'payments.recordReceived', check({ checkNumber: '  ' }));
    expect(noNumber.details).toEqual({ fields: { checkNumber: 'is required for a check' } });
    const noBank = await callError(rt, 'payments.recordReceived', check({ checkBank: undefined }));
    expect(noBank.details).toEqual({ fields: { checkBank: 'is required for a check: the bank it is drawn on' } });
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(await countRows(rt.ledger.db, 'applications')).toBe(0);
  });

  it('flags a check recorded already (same number and amount): the preview warns, the post is refused, then posted anyway and audited', async () => {
    const first = approved(await call(rt, 'payments.recordReceived', check({ invoiceNumbers: ['INV-A'], amountCents: 10_000, checkNumber: '555' })));
    const other = await call(rt, 'payments.quoteReceived', { customerNumber: 'CL2001', invoiceNumbers: ['INV-C'], creditNumbers: [], method: 'check', amountCents: 10_000, checkNumber: '556' });
    expect(other.duplicate).toBeNull();
    const q = await call(rt, 'payments.quoteReceived', { customerNumber: 'CL2001', invoiceNumbers: ['INV-C'], creditNumbers: [], method: 'check', amountCents: 10_000, checkNumber: '0555' });
    expect(q.quote.ok).toBe(true);
    expect(q.duplicate).toEqual({ paymentId: first.paymentId, confirmationNumber: first.confirmationNumber, receivedOn: '2026-11-20', checkNumber: '555', amountCents: 10_000 });

    const again = check({ invoiceNumbers: ['INV-C'], amountCents: 10_000, checkNumber: '555' });
    const err = await callError(rt, 'payments.recordReceived', again);
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(`Check 555 for $100.00 was recorded already on 2026-11-20 (confirmation ${first.confirmationNumber}); post it anyway only if this is another check`);
    expect(err.details).toMatchObject({ code: 'DUPLICATE_CHECK', duplicate: { paymentId: first.paymentId } });
    expect(await countRows(rt.ledger.db, 'payments')).toBe(1);
    expect(await openCents(rt.ledger.db, 'INV-C')).toBe(10_000);

    const posted = approved(await call(rt, 'payments.recordReceived', { ...again, postAnyway: true }));
    expect(posted.paymentId).not.toBe(first.paymentId);
    expect(await openCents(rt.ledger.db, 'INV-C')).toBe(0);
    const audit = await rt.ledger.db.selectFrom('audit_log').selectAll().where('action', '=', 'payment.duplicate_check_posted').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(String(posted.paymentId));
    expect(JSON.parse(audit[0]!.summary)).toMatchObject({ checkNumber: '555', amountCents: 10_000, earlier: { confirmationNumber: first.confirmationNumber } });
    await expectHealthy(rt.ledger.db);
  });

  it('posts once when the same attempt is retried, at once or later, returning the first answer', async () => {
    const input = check();
    const [a, b] = await Promise.all([call(rt, 'payments.recordReceived', input), call(rt, 'payments.recordReceived', input)]);
    const c = await call(rt, 'payments.recordReceived', input);
    expect(approved(a).paymentId).toBe(approved(b).paymentId);
    expect(approved(c)).toEqual(approved(a));
    expect(await countRows(rt.ledger.db, 'payments')).toBe(1);
    expect(await countRows(rt.ledger.db, 'applications')).toBe(2);
    expect(await openCents(rt.ledger.db, 'INV-B')).toBe(0);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a check that pays an invoice in part under the house rules, naming the invoice', async () => {
    const err = await callError(rt, 'payments.recordReceived', check({ amountCents: 30_000 }));
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'Invoice INV-B would be paid in part; partial payments are not allowed' });
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
  });
});

describe('reversing money received outside the gateway', () => {
  it('refunds a check paid out by our check: one invoice reopened, the payment itself untouched', async () => {
    const r = approved(await call(rt, 'payments.recordReceived', check()));
    const missing = await callError(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'Billed twice', invoiceNumber: 'INV-B' });
    expect(missing.details).toEqual({ fields: { payout: 'Say how the money is paid back: by our check (its number) or in cash' } });
    const noVoid = await callError(rt, 'payments.void', { paymentId: r.paymentId, reason: 'Mistake' });
    expect(noVoid.code).toBe('VALIDATION');

    const out = await call(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'Billed twice', invoiceNumber: 'INV-B', payout: { method: 'check', checkNumber: '7781' } });
    expect(out).toMatchObject({ status: 'completed', kind: 'refund', amountCents: 20_050, reopened: [{ invoiceNumber: 'INV-B', amountCents: 20_050 }] });
    const db = rt.ledger.db;
    expect(await openCents(db, 'INV-B')).toBe(20_050);
    expect(await openCents(db, 'INV-A')).toBe(0);
    const rev = await db.selectFrom('payment_reversals').selectAll().where('payment_id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(rev).toMatchObject({ kind: 'refund', status: 'completed', amount_cents: 20_050, payout_method: 'check', payout_check_number: '7781', returned: 0 });
    expect(await payment(r.paymentId)).toMatchObject({ status: 'captured', amount_cents: 30_050 });
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail.refundedCents).toBe(20_050);
    expect(detail.refundableCents).toBe(10_000);
    expect(detail.reversals[0]).toMatchObject({ payout: { method: 'check', checkNumber: '7781' }, returned: false });
    const tooMuch = await callError(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'More', amountCents: 10_001, payout: { method: 'cash' } });
    expect(tooMuch.code).toBe('VALIDATION');
    await expectHealthy(db);
  });

  it('refunds part of a cash payment paid back in cash: the newest invoice reopens by $45.67, the rest stays applied', async () => {
    const r = approved(await call(rt, 'payments.recordReceived', check({ method: 'cash', checkNumber: undefined, checkBank: undefined })));
    const db = rt.ledger.db;
    const out = await call(rt, 'payments.refund', { paymentId: r.paymentId, reason: 'Overcharged for the October visit', amountCents: 4_567, payout: { method: 'cash' } });
    expect(out).toMatchObject({ status: 'completed', kind: 'refund', amountCents: 4_567, reopened: [{ invoiceNumber: 'INV-B', amountCents: 4_567 }], creditsRestored: [] });
    expect(await openCents(db, 'INV-B')).toBe(4_567);
    expect(await invoiceStatus(db, 'INV-B')).toBe('open');
    expect(await openCents(db, 'INV-A')).toBe(0);
    const rev = await db.selectFrom('payment_reversals').selectAll().where('payment_id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(rev).toMatchObject({ kind: 'refund', status: 'completed', amount_cents: 4_567, payout_method: 'cash', payout_check_number: null, returned: 0 });
    expect(await payment(r.paymentId)).toMatchObject({ status: 'captured', amount_cents: 30_050, received_via: 'cash' });
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail).toMatchObject({ refundedCents: 4_567, refundableCents: 25_483 });
    expect(detail.reversals).toMatchObject([{ kind: 'refund', amountCents: 4_567, payout: { method: 'cash', checkNumber: null }, reason: 'Overcharged for the October visit' }]);
    const audit = await db.selectFrom('audit_log').select(['action', 'summary']).where('action', '=', 'payment.refund_request').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.summary)).toMatchObject({ amountCents: 4_567, payout: 'cash', payoutCheckNumber: null });
    await expectHealthy(db);
  });

  it('records a check returned by the bank as a reversal of the whole payment, reopening its invoices and its credit', async () => {
    const r = approved(await call(rt, 'payments.recordReceived', check({ creditNumbers: ['CR-A'], amountCents: 18_050 })));
    const db = rt.ledger.db;
    expect(await creditLeft(db, 'CR-A')).toBe(0);
    const out = await call(rt, 'payments.returnCheck', { paymentId: r.paymentId, reason: 'Insufficient funds' });
    expect(out).toMatchObject({ status: 'completed', kind: 'void', amountCents: 18_050 });
    expect(out.reopened).toEqual(
      expect.arrayContaining([
        { invoiceNumber: 'INV-A', amountCents: 10_000 },
        { invoiceNumber: 'INV-B', amountCents: 20_050 },
      ]),
    );
    expect(await openCents(db, 'INV-A')).toBe(10_000);
    expect(await openCents(db, 'INV-B')).toBe(20_050);
    expect(await invoiceStatus(db, 'INV-A')).toBe('open');
    expect(await creditLeft(db, 'CR-A')).toBe(12_000);
    expect((await payment(r.paymentId)).status).toBe('voided');
    const rev = await db.selectFrom('payment_reversals').selectAll().where('payment_id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(rev).toMatchObject({ kind: 'void', returned: 1, amount_cents: 18_050, reason: 'Check returned by the bank: Insufficient funds' });
    expect((await applicationRows(db, r.paymentId)).filter((a) => a.reverses !== null)).toHaveLength(3);
    const again = await callError(rt, 'payments.returnCheck', { paymentId: r.paymentId, reason: 'Twice' });
    expect(again.code).toBe('CONFLICT');
    await expectHealthy(db);
  });
});
