import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer, addInvoice, call, cardMethod, expectHealthy, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';

let rt: PaymentsRuntime;
const q = () => rawSql(rt.ledger);

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-12-01T15:00:00Z' });
});
afterEach(async () => {
  await rt.dispose();
});

async function customer(number: string, email: string | null): Promise<number> {
  const id = await addCustomer(rt.ledger.db, number, `Client ${number}`);
  await rt.ledger.db.updateTable('customers').set({ email }).where('id', '=', id).execute();
  return id;
}

async function saveCard(customerNumber: string, cardNumber: string, expMonth: number, expYear: number, makeDefault = true): Promise<number> {
  const { save: _save, ...c } = cardMethod(cardNumber);
  const r = await call(rt, 'paymentMethods.add', { customerNumber, method: { ...c, expMonth, expYear }, makeDefault });
  return r.method.id;
}

async function runOn(date: string) {
  rt.clock.set(`${date}T15:00:00Z`);
  return rt.core.billing.run({ asOf: date, dryRun: false }, 'billing-schedule');
}

const expiryMail = () =>
  q().all<{ to_address: string; body: string; status: string }>("SELECT to_address, body, status FROM outbox WHERE subject LIKE '%expires next month%' ORDER BY to_address, body");

describe('"your card expires next month" for every card on file', () => {
  it('tells each saved card of an active customer with an email once, 30 days before it expires, autopay or not', async () => {
    // AP0001 is on autopay with a Visa; its spare Mastercard, not autopay's, expires too.
    await customer('AP0001', 'ap@one.example');
    await saveCard('AP0001', '4242424242424242', 1, 2027);
    await saveCard('AP0001', '5555555555554444', 1, 2027, false);
    await call(rt, 'autopay.set', { customerNumber: 'AP0001', enabled: true }, 'sue');
    // PH0002 pays by phone with a saved card, no autopay; its other card expires later.
    await customer('PH0002', 'ap@two.example');
    await saveCard('PH0002', '4242424242424242', 1, 2027);
    await saveCard('PH0002', '5555555555554444', 3, 2027, false);
    // NE0003 has no email; ZZ0004 is cancelled; RM0005's card was removed.
    await customer('NE0003', null);
    await saveCard('NE0003', '4242424242424242', 1, 2027);
    const zz = await customer('ZZ0004', 'ap@four.example');
    await saveCard('ZZ0004', '4242424242424242', 1, 2027);
    await rt.ledger.db.updateTable('customers').set({ status: 'cancelled' }).where('id', '=', zz).execute();
    await customer('RM0005', 'ap@five.example');
    const removed = await saveCard('RM0005', '4242424242424242', 1, 2027);
    await rt.ledger.db.updateTable('payment_methods').set({ removed_at: '2026-12-01T16:00:00.000Z' }).where('id', '=', removed).execute();

    expect((await runOn('2026-12-31')).autopay.expiryNotices).toBe(0);
    expect((await runOn('2027-01-01')).autopay.expiryNotices).toBe(3);
    expect((await runOn('2027-01-01')).autopay.expiryNotices).toBe(0);
    expect((await runOn('2027-01-15')).autopay.expiryNotices).toBe(0);
    expect(await expiryMail()).toEqual([
      { to_address: 'ap@one.example', body: expect.stringMatching(/Mastercard ending 4444.*01\/2027/s), status: 'queued' },
      { to_address: 'ap@one.example', body: expect.stringMatching(/Visa ending 4242.*01\/2027/s), status: 'queued' },
      { to_address: 'ap@two.example', body: expect.stringMatching(/Visa ending 4242.*01\/2027/s), status: 'queued' },
    ]);
    // PH0002's second card, good through March, is told on March 1 (30 days before the 31st), once.
    expect((await runOn('2027-02-28')).autopay.expiryNotices).toBe(0);
    expect((await runOn('2027-03-01')).autopay.expiryNotices).toBe(1);
    expect((await runOn('2027-03-02')).autopay.expiryNotices).toBe(0);
    const rows = await q().all<{ customer_number: string; sent_on: string }>(
      'SELECT c.customer_number, n.sent_on FROM payment_method_expiry_notices n JOIN customers c ON c.id = n.customer_id ORDER BY n.id',
    );
    expect(rows).toEqual([
      { customer_number: 'AP0001', sent_on: '2027-01-01' },
      { customer_number: 'AP0001', sent_on: '2027-01-01' },
      { customer_number: 'PH0002', sent_on: '2027-01-01' },
      { customer_number: 'PH0002', sent_on: '2027-03-01' },
    ]);
    expect((await expiryMail()).map((m) => m.to_address)).toEqual(['ap@one.example', 'ap@one.example', 'ap@two.example', 'ap@two.example']);
    await expectHealthy(rt.ledger.db);
  });
});

describe('the autopay receipt', () => {
  it('is written from the office\'s autopay receipt template, with the confirmation PDF attached; a phone payment keeps the confirmation template', async () => {
    await rt.core.settings.updateOffice(
      { email: { templates: { autopayReceiptSubject: 'Autopay receipt {confirmationNumber}', autopayReceiptBody: 'We charged {amount} to {method} on {date} for {customerNumber}.' } } },
      'admin',
    );
    const ap = await customer('AP0001', 'ap@one.example');
    await addInvoice(rt.ledger.db, ap, 'INV-1', 12_345, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
    await saveCard('AP0001', '4242424242424242', 12, 2030);
    await call(rt, 'autopay.set', { customerNumber: 'AP0001', enabled: true }, 'sue');
    const ph = await customer('PH0002', 'ap@two.example');
    await addInvoice(rt.ledger.db, ph, 'INV-2', 5_000, { issueDate: '2026-11-10', dueDate: '2026-12-10' });

    const run = await runOn('2026-12-10');
    const confirmation = run.autopay.charged[0]!.confirmationNumber!;
    expect(run.autopay.charged).toEqual([expect.objectContaining({ customerNumber: 'AP0001', amountCents: 12_345 })]);
    const phone = await call(rt, 'payments.submit', {
      customerNumber: 'PH0002', invoiceNumbers: ['INV-2'], creditNumbers: [], method: cardMethod('4242424242424242'), confirmedAmountCents: 5_000, idempotencyKey: newKey(), delivery: 'email', emailTo: 'ap@two.example',
    });
    expect(phone.status).toBe('approved');
    const mail = await q().all<{ to_address: string; subject: string; body: string; attachment_kind: string | null }>(
      "SELECT to_address, subject, body, attachment_kind FROM outbox WHERE attachment_kind = 'confirmation' ORDER BY id",
    );
    expect(mail).toEqual([
      { to_address: 'ap@one.example', subject: `Autopay receipt ${confirmation}`, body: 'We charged $123.45 to Visa ending 4242 on 12/10/2026 for AP0001.', attachment_kind: 'confirmation' },
      { to_address: 'ap@two.example', subject: expect.stringMatching(/^Payment confirmation /), body: expect.stringMatching(/Thank you for your payment of \$50\.00/), attachment_kind: 'confirmation' },
    ]);
    await expectHealthy(rt.ledger.db);
  });
});
