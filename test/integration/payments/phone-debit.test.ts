import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  bankMethod,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  expectHealthy,
  newKey,
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';
import { keepPdf, pdfText } from '../../helpers/documents-fixtures';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import { rawSql } from '../../helpers/sql';
import { phoneDebitWording } from '../../../src/shared/phoneDebit';

/**
 * A bank debit taken over the phone needs the customer's spoken authorization (NACHA
 * telephone-initiated entries): refused without it, kept with the payment with it, and printed on
 * the confirmation as the customer's written notice.
 */

let rt: PaymentsRuntime;

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-11-20T15:00:00Z' });
  const c = await addCustomer(rt.ledger.db, 'CL1042', 'Harbor Lights Dental');
  await addInvoice(rt.ledger.db, c, 'INV-1', 12_345, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(rt.ledger.db, c, 'INV-2', 5_000, { issueDate: '2026-09-02', dueDate: '2026-10-02' });
});
afterEach(async () => {
  await rt.dispose();
});

const flat = (s: string) => s.replace(/\s+/g, ' ');
const fieldsOf = (e: { details?: unknown }) => (e.details as { fields: Record<string, string> }).fields;
const base = { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: [], confirmedAmountCents: 12_345 };
const WORDING = phoneDebitWording({
  customerName: 'Harbor Lights Dental',
  amountCents: 12_345,
  debitDate: '2026-11-20',
  last4: '6789',
  companyName: 'Northwind Services LLC',
  companyPhone: '(503) 555-0100',
});

describe('the phone-debit authorization', () => {
  it('refuses a bank payment without it, at the field, and posts, saves and charges nothing', async () => {
    const e = await callError(rt, 'payments.submit', { ...base, method: bankMethod('000123456789', { save: true }), idempotencyKey: newKey() });
    expect(e.code).toBe('VALIDATION');
    expect(Object.keys(fieldsOf(e))).toEqual(['phoneDebitAuthorized']);
    const unticked = await callError(rt, 'payments.submit', { ...base, method: bankMethod('000123456789'), phoneDebitAuthorized: false, idempotencyKey: newKey() });
    expect(Object.keys(fieldsOf(unticked))).toEqual(['phoneDebitAuthorized']);

    // A bank account on file needs it as much as a new one.
    const { save: _s, ...bank } = bankMethod('000123456789');
    const saved = await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: bank });
    const onFile = await callError(rt, 'payments.submit', { ...base, method: { type: 'saved', paymentMethodId: saved.method.id }, idempotencyKey: newKey() });
    expect(Object.keys(fieldsOf(onFile))).toEqual(['phoneDebitAuthorized']);

    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(await countRows(rt.ledger.db, 'payment_allocations')).toBe(0);
    expect(await countRows(rt.ledger.db, 'applications')).toBe(0);
    expect(await countRows(rt.ledger.db, 'payment_methods')).toBe(1);
    expect(await rawSql(rt.ledger).all('SELECT id FROM payment_authorizations')).toEqual([]);
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(12_345);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses wording that no longer matches the debit (another amount read to the customer)', async () => {
    const other = phoneDebitWording({ customerName: 'Harbor Lights Dental', amountCents: 12_000, debitDate: '2026-11-20', last4: '6789', companyName: 'Northwind Services LLC', companyPhone: '(503) 555-0100' });
    const e = await callError(rt, 'payments.submit', { ...base, method: bankMethod('000123456789'), phoneDebitAuthorized: true, phoneDebitWording: other, idempotencyKey: newKey() });
    expect(Object.keys(fieldsOf(e))).toEqual(['phoneDebitWording']);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
  });

  it('keeps the wording read, who and when with the payment, and prints it on the confirmation', async () => {
    const r = await call(
      rt,
      'payments.submit',
      { ...base, method: bankMethod('000123456789'), phoneDebitAuthorized: true, phoneDebitWording: WORDING, idempotencyKey: newKey() },
      'clerk.amy',
    );
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    expect(r.applied).toEqual([{ invoiceNumber: 'INV-1', amountCents: 12_345, source: 'bank' }]);
    const rows = await rawSql(rt.ledger).all('SELECT payment_id, kind, wording, authorized_by, authorized_at FROM payment_authorizations');
    expect(rows).toEqual([{ payment_id: r.paymentId, kind: 'phone_debit', wording: WORDING, authorized_by: 'clerk.amy', authorized_at: '2026-11-20T15:00:00.000Z' }]);
    expect(WORDING).toBe(
      'Today, November 20, 2026, Harbor Lights Dental authorizes Northwind Services LLC to make a single electronic debit of $123.45 ' +
        'from the bank account ending in 6789, on November 20, 2026. This authorization is for this one debit only. For questions, ' +
        'or to cancel it before it is processed, call Northwind Services LLC at (503) 555-0100. A written confirmation of this ' +
        'authorization will be sent to you. Do you authorize this debit?',
    );
    const audit = await rawSql(rt.ledger).get<{ summary: string }>(`SELECT summary FROM audit_log WHERE action = 'payment.submit'`);
    expect(JSON.parse(audit!.summary)).toMatchObject({ phoneDebitAuthorized: true, amountCents: 12_345 });
    // The record is never changed.
    await expect(rawSql(rt.ledger).run(`UPDATE payment_authorizations SET wording = 'x'`)).rejects.toThrow(/authorization is a record: never edited/);
    await expect(rawSql(rt.ledger).run(`DELETE FROM payment_authorizations`)).rejects.toThrow(/authorization is a record: never deleted/);

    // The confirmation (printed or emailed as this PDF) is the written notice of the authorization.
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: r.paymentId });
    const text = flat(pdfText(keepPdf('confirmation-phone-debit', doc.bytes)));
    expect(text).toContain('Authorization');
    expect(text).toContain(flat(WORDING));
    expect(text).toMatch(/Authorized by the customer on the phone on .+ at .+; read by clerk\.amy\./);
    expect(text).toContain('Amount charged $123.45');
    await expectHealthy(rt.ledger.db);
  });

  it('emails the written notice of the authorization: in the message itself and in the confirmation attached', async () => {
    const r = await call(
      rt,
      'payments.submit',
      { ...base, method: bankMethod('000123456789'), phoneDebitAuthorized: true, phoneDebitWording: WORDING, delivery: 'email', emailTo: 'ap@harborlights.example', idempotencyKey: newKey() },
      'clerk.amy',
    );
    if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
    const mail = await withDocumentTables(rt.ledger.db).selectFrom('outbox').selectAll().where('payment_id', '=', r.paymentId).executeTakeFirstOrThrow();
    expect(mail.to_address).toBe('ap@harborlights.example');
    expect(mail.body).toContain('Thank you for your payment of $123.45');
    expect(mail.body).toContain(`Your authorization of this debit, as read to you on the phone:\n${WORDING}\n`);
    expect(mail.body).toMatch(/Authorized by the customer on the phone on 11\/20\/2026 at \d{1,2}:\d{2} [AP]M \w+; read by clerk\.amy\.$/);
    const attached = flat(pdfText(keepPdf(`confirmation-phone-debit-emailed-${rt.ledger.dialect}`, new Uint8Array(mail.attachment_pdf!))));
    expect(attached).toContain(flat(WORDING));
    expect(attached).toMatch(/Authorized by the customer on the phone on .+ at .+; read by clerk\.amy\./);

    // A card payment's email has no such notice.
    const card = await call(rt, 'payments.submit', { ...base, invoiceNumbers: ['INV-2'], confirmedAmountCents: 5_000, method: cardMethod(CARDS.visa), delivery: 'email', emailTo: 'ap@harborlights.example', idempotencyKey: newKey() });
    if (card.status !== 'approved') throw new Error('not approved');
    const cardMail = await withDocumentTables(rt.ledger.db).selectFrom('outbox').selectAll().where('payment_id', '=', card.paymentId).executeTakeFirstOrThrow();
    expect(cardMail.body).not.toMatch(/authoriz/i);
    await expectHealthy(rt.ledger.db);
  });

  it('is not asked of a card payment, whose confirmation has no authorization', async () => {
    const r = await call(rt, 'payments.submit', { ...base, method: cardMethod(CARDS.visa), idempotencyKey: newKey() });
    if (r.status !== 'approved') throw new Error('not approved');
    expect(await rawSql(rt.ledger).all('SELECT id FROM payment_authorizations')).toEqual([]);
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: r.paymentId });
    const text = flat(pdfText(keepPdf('confirmation-card-no-authorization', doc.bytes)));
    expect(text).toContain('Visa ending 4242');
    expect(text).not.toContain('Authorization');
    expect(text).not.toContain('authorizes');
    await expectHealthy(rt.ledger.db);
  });
});
