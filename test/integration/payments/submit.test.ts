import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCredit,
  addCustomer,
  addInvoice,
  applicationRows,
  bankMethod,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  creditLeft,
  expectHealthy,
  invoiceStatus,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

let rt: PaymentsRuntime;

// CL1042 owes INV-1 $100.00 (oldest) and INV-2 $250.50, and has credit CR-1 of $50.00.
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL1042', 'Harbor Dental Group');
  await addInvoice(db, c, 'INV-2', 25_050, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(db, c, 'INV-1', 10_000, { issueDate: '2026-08-01', dueDate: '2026-09-01' });
  await addCredit(db, c, 'CR-1', 5_000);
  await expectHealthy(db);
});
afterEach(async () => {
  await rt.dispose();
});

const ALL = { customerNumber: 'CL1042', invoiceNumbers: 'all' as const, creditNumbers: [] as string[] };

describe('payments.quote', () => {
  it('quotes the billing rules on the ledger’s current balances', async () => {
    const q = await call(rt, 'payments.quote', { ...ALL, creditNumbers: ['CR-1'] });
    expect(q).toMatchObject({
      ok: true,
      chargeCents: 30_050,
      totalOpenCents: 35_050,
      totalCreditCents: 5_000,
      creditsUsed: [{ creditNumber: 'CR-1', amountCents: 5_000 }],
    });
    if (!q.ok) throw new Error('refused');
    expect(q.lines.map((l) => [l.invoiceNumber, l.creditCents, l.chargeCents])).toEqual([
      ['INV-1', 5_000, 5_000],
      ['INV-2', 0, 25_050],
    ]);
  });

  it('returns a refusal as data and an unknown customer as NOT_FOUND', async () => {
    expect(await call(rt, 'payments.quote', { ...ALL, invoiceNumbers: ['INV-9'] })).toEqual({
      ok: false,
      code: 'INVOICE_NOT_OPEN',
      message: 'Invoice INV-9 is not an open invoice of this customer',
      invoiceNumber: 'INV-9',
    });
    expect((await callError(rt, 'payments.quote', { ...ALL, customerNumber: 'CL9999' })).code).toBe('NOT_FOUND');
  });
});

describe('payments.submit with each test card', () => {
  it.each([
    ['Visa', CARDS.visa, 'Visa ending 4242'],
    ['Mastercard', CARDS.mastercard, 'Mastercard ending 4444'],
    ['American Express', CARDS.amex, 'American Express ending 0005'],
    ['a card that fails the address check', CARDS.avsFail, 'Visa ending 0010'],
  ])('approves %s and posts every invoice to the cent', async (_name, card, label) => {
    const key = newKey();
    const r = await call(rt, 'payments.submit', { ...ALL, method: cardMethod(card), confirmedAmountCents: 35_050, idempotencyKey: key });
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    expect(r.amountCents).toBe(35_050);
    expect(r.confirmationNumber).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(r.applied).toEqual([
      { invoiceNumber: 'INV-1', amountCents: 10_000, source: 'card' },
      { invoiceNumber: 'INV-2', amountCents: 25_050, source: 'card' },
    ]);
    const db = rt.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([
      { invoice: 'INV-1', source: 'payment', credit: null, cents: 10_000, paymentId: r.paymentId, reverses: null },
      { invoice: 'INV-2', source: 'payment', credit: null, cents: 25_050, paymentId: r.paymentId, reverses: null },
    ]);
    expect([await openCents(db, 'INV-1'), await openCents(db, 'INV-2')]).toEqual([0, 0]);
    expect([await invoiceStatus(db, 'INV-1'), await invoiceStatus(db, 'INV-2')]).toEqual(['paid', 'paid']);
    expect(await creditLeft(db, 'CR-1')).toBe(5_000);
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail).toMatchObject({ status: 'captured', kind: 'card', methodLabel: label, clerk: 'clerk.amy', avsResult: card === CARDS.avsFail ? 'fail' : 'pass' });
    const charges = await rt.gateway.records();
    expect(charges).toMatchObject([{ idempotencyKey: key, kind: 'charge', outcome: 'approved', amountCents: 35_050 }]);
    await expectHealthy(db);
  });

  it.each([
    ['a generic decline', CARDS.declined, 'card_declined', 'declined'],
    ['insufficient funds', CARDS.insufficientFunds, 'insufficient_funds', 'declined'],
    ['an expired card', CARDS.expired, 'expired_card', 'declined'],
    ['an incorrect security code', CARDS.incorrectCvc, 'incorrect_cvc', 'declined'],
    ['a processing error', CARDS.processingError, 'processing_error', 'failed'],
  ])('declines %s, applies nothing and keeps the reason', async (_name, card, code, status) => {
    const before = await countRows(rt.ledger.db, 'applications');
    const r = await call(rt, 'payments.submit', { ...ALL, method: cardMethod(card), confirmedAmountCents: 35_050, idempotencyKey: newKey() });
    if (r.status !== 'declined') throw new Error(`not declined: ${JSON.stringify(r)}`);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(/\w+.*\./);
    const db = rt.ledger.db;
    expect(await countRows(db, 'applications')).toBe(before);
    expect([await openCents(db, 'INV-1'), await openCents(db, 'INV-2')]).toEqual([10_000, 25_050]);
    expect(await invoiceStatus(db, 'INV-1')).toBe('open');
    const detail = await call(rt, 'payments.get', { paymentId: r.paymentId });
    expect(detail).toMatchObject({ status, declineCode: code, declineMessage: r.message, confirmationNumber: null, applied: [] });
    const audit = await db.selectFrom('audit_log').select(['action', 'summary']).where('entity', '=', 'payment').where('entity_id', '=', String(r.paymentId)).execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.submit', status === 'declined' ? 'payment.decline' : 'payment.fail']);
    await expectHealthy(db);
  });

  it('uses selected credits first and charges the rest, recording the credit with the payment', async () => {
    const r = await call(rt, 'payments.submit', {
      ...ALL,
      creditNumbers: ['CR-1'],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 30_050,
      idempotencyKey: newKey(),
    });
    if (r.status !== 'approved') throw new Error('not approved');
    expect(r.amountCents).toBe(30_050);
    expect(r.applied).toEqual([
      { invoiceNumber: 'INV-1', amountCents: 5_000, source: 'credit', creditNumber: 'CR-1' },
      { invoiceNumber: 'INV-1', amountCents: 5_000, source: 'card' },
      { invoiceNumber: 'INV-2', amountCents: 25_050, source: 'card' },
    ]);
    const db = rt.ledger.db;
    expect(await applicationRows(db, r.paymentId)).toEqual([
      { invoice: 'INV-1', source: 'credit', credit: 'CR-1', cents: 5_000, paymentId: r.paymentId, reverses: null },
      { invoice: 'INV-1', source: 'payment', credit: null, cents: 5_000, paymentId: r.paymentId, reverses: null },
      { invoice: 'INV-2', source: 'payment', credit: null, cents: 25_050, paymentId: r.paymentId, reverses: null },
    ]);
    expect(await creditLeft(db, 'CR-1')).toBe(0);
    expect(await rt.gateway.records()).toMatchObject([{ amountCents: 30_050 }]);
    await expectHealthy(db);
  });

  it('settles with credits alone without calling the gateway', async () => {
    const db = rt.ledger.db;
    const c = await db.selectFrom('customers').select('id').where('customer_number', '=', 'CL1042').executeTakeFirstOrThrow();
    await addCredit(db, c.id, 'CR-2', 12_000, '2026-08-15');
    const r = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-1'],
      creditNumbers: ['CR-2'],
      method: cardMethod(CARDS.declined),
      confirmedAmountCents: 0,
      idempotencyKey: newKey(),
    });
    if (r.status !== 'approved') throw new Error('not approved');
    expect(r).toMatchObject({ amountCents: 0, applied: [{ invoiceNumber: 'INV-1', amountCents: 10_000, source: 'credit', creditNumber: 'CR-2' }] });
    expect(await creditLeft(db, 'CR-2')).toBe(2_000);
    expect(await openCents(db, 'INV-1')).toBe(0);
    expect(await rt.gateway.records()).toEqual([]);
    expect(await call(rt, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ kind: 'credit_only', methodLabel: 'Credit only', status: 'captured' });
    await expectHealthy(db);
  });

  it('approves and declines the test bank accounts', async () => {
    const ok = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-1'],
      method: bankMethod('000123456789'),
      phoneDebitAuthorized: true,
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
    });
    if (ok.status !== 'approved') throw new Error('not approved');
    expect(ok.applied).toEqual([{ invoiceNumber: 'INV-1', amountCents: 10_000, source: 'bank' }]);
    expect((await call(rt, 'payments.get', { paymentId: ok.paymentId })).methodLabel).toBe('Checking ending 6789');
    const closed = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-2'],
      method: bankMethod('000111111113'),
      phoneDebitAuthorized: true,
      confirmedAmountCents: 25_050,
      idempotencyKey: newKey(),
    });
    expect(closed).toMatchObject({ status: 'declined', code: 'account_closed' });
    expect(await openCents(rt.ledger.db, 'INV-2')).toBe(25_050);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a routing number that fails the ABA check before anything is written', async () => {
    const e = await callError(rt, 'payments.submit', {
      ...ALL,
      method: bankMethod('000123456789', { routingNumber: '110000001' }),
      phoneDebitAuthorized: true,
      confirmedAmountCents: 35_050,
      idempotencyKey: newKey(),
    });
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toEqual({ fields: { 'method.routingNumber': 'The routing number is not valid; check the digits' } });
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(await rt.gateway.records()).toEqual([]);
  });

  it('refuses a card that fails the Luhn check or has a wrong-length code, naming the field but never the number', async () => {
    const bad = await callError(rt, 'payments.submit', {
      ...ALL,
      method: cardMethod('4242424242424241'),
      confirmedAmountCents: 35_050,
      idempotencyKey: newKey(),
    });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toBe('method.cardNumber: The card number is not valid; check the digits');
    const amex = await callError(rt, 'payments.submit', {
      ...ALL,
      method: cardMethod(CARDS.amex, { cvc: '123' }),
      confirmedAmountCents: 35_050,
      idempotencyKey: newKey(),
    });
    expect(amex.details).toEqual({ fields: { 'method.cvc': 'The security code has 4 digits on American Express cards' } });
    expect(JSON.stringify([bad, amex])).not.toMatch(/4242424242424241|378282246310005/);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(await rt.gateway.records()).toEqual([]);
  });

  it('refuses with CONFLICT and charges nothing when the confirmed amount is not the amount due', async () => {
    const e = await callError(rt, 'payments.submit', { ...ALL, method: cardMethod(CARDS.visa), confirmedAmountCents: 35_000, idempotencyKey: newKey() });
    expect(e).toEqual({
      code: 'CONFLICT',
      message: 'The amount due changed from $350.00 to $350.50; nothing was charged. Confirm the new amount with the customer.',
      details: { confirmedAmountCents: 35_000, chargeCents: 35_050 },
    });
    expect(await rt.gateway.records()).toEqual([]);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
  });

  it('refuses what the billing rules refuse with VALIDATION and their message', async () => {
    const e = await callError(rt, 'payments.submit', {
      ...ALL,
      creditNumbers: ['CR-1', 'CR-1'],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 30_050,
      idempotencyKey: newKey(),
    });
    expect(e).toMatchObject({ code: 'VALIDATION', message: 'Credit CR-1 is selected more than once' });
    expect(await rt.gateway.records()).toEqual([]);
  });

  it('queues the confirmation the clerk asked for with the approval, emailed to the address given or on file', async () => {
    const e = await callError(rt, 'payments.submit', {
      ...ALL,
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 35_050,
      idempotencyKey: newKey(),
      delivery: 'email',
    });
    expect(e.message).toBe('emailTo: is required to email the confirmation: the customer has no email address on file');
    const emailed = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-1'],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 10_000,
      idempotencyKey: newKey(),
      delivery: 'email',
      emailTo: 'ap@harbordental.example',
    });
    expect(await call(rt, 'payments.get', { paymentId: emailed.paymentId })).toMatchObject({ delivery: 'email', receiptEmail: 'ap@harbordental.example' });
    const printed = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-2'],
      method: cardMethod(CARDS.mastercard),
      confirmedAmountCents: 25_050,
      idempotencyKey: newKey(),
      delivery: 'print',
    });
    expect(printed.status).toBe('approved');
    const outbox = await sql<{ payment_id: number; to_address: string }>`SELECT payment_id, to_address FROM outbox`.execute(rt.ledger.db);
    expect(outbox.rows).toEqual([{ payment_id: emailed.paymentId, to_address: 'ap@harbordental.example' }]);
    const jobs = await sql<{ payment_id: number }>`SELECT payment_id FROM print_jobs`.execute(rt.ledger.db);
    expect(jobs.rows).toEqual([{ payment_id: printed.paymentId }]);
    await expectHealthy(rt.ledger.db);
  });

  it('keeps an overpayment on account when the house rules allow it', async () => {
    // The house rules are the office's: saved in the ledger's record, as an administrator saves them.
    await rt.core.settings.updateOffice({ policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit' } }, 'admin');
    const q = await call(rt, 'payments.quote', { ...ALL, invoiceNumbers: ['INV-1'], amountCents: 15_000 });
    expect(q).toMatchObject({ ok: true, chargeCents: 15_000, unappliedCents: 5_000 });
    const r = await call(rt, 'payments.submit', {
      ...ALL,
      invoiceNumbers: ['INV-1'],
      amountCents: 15_000,
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 15_000,
      idempotencyKey: newKey(),
    });
    if (r.status !== 'approved') throw new Error('not approved');
    expect(r.applied).toEqual([{ invoiceNumber: 'INV-1', amountCents: 10_000, source: 'card' }]);
    expect(await call(rt, 'payments.get', { paymentId: r.paymentId })).toMatchObject({ amountCents: 15_000, unappliedCents: 5_000, refundableCents: 15_000 });
    await expectHealthy(rt.ledger.db);
  });
});

describe('payments.list and payments.get', () => {
  it('lists a customer’s payments newest first and finds one by the confirmation number as read over the phone', async () => {
    const first = await call(rt, 'payments.submit', { ...ALL, invoiceNumbers: ['INV-1'], method: cardMethod(CARDS.declined), confirmedAmountCents: 10_000, idempotencyKey: newKey() });
    rt.clock.advance(60_000);
    const second = await call(rt, 'payments.submit', { ...ALL, invoiceNumbers: ['INV-1'], method: bankMethod('000123456789'), phoneDebitAuthorized: true, confirmedAmountCents: 10_000, idempotencyKey: newKey() });
    if (second.status !== 'approved') throw new Error('not approved');
    const { payments } = await call(rt, 'payments.list', { customerNumber: 'cl1042' });
    expect(payments.map((p) => [p.paymentId, p.status, p.methodLabel, p.amountCents])).toEqual([
      [second.paymentId, 'captured', 'Checking ending 6789', 10_000],
      [first.paymentId, 'declined', 'Visa ending 0002', 10_000],
    ]);
    expect(payments[1]).toMatchObject({ declineMessage: expect.stringMatching(/declined/), confirmationNumber: null, refundedCents: 0 });
    const spoken = second.confirmationNumber.replace('-', ' ').toLowerCase();
    const found = await call(rt, 'payments.get', { confirmationNumber: spoken });
    expect(found).toMatchObject({ paymentId: second.paymentId, customerNumber: 'CL1042', canVoid: true, refundableCents: 10_000 });
    expect((await callError(rt, 'payments.get', { confirmationNumber: 'ZZZZ-ZZZZ' })).code).toBe('NOT_FOUND');
  });
});
