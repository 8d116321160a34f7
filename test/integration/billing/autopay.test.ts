import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import type { AutopayDto } from '../../../src/shared/contract/autopay';
import { addDays } from '../../../src/shared/dates';
import { asStaff } from '../../helpers/dispatch';
import { addCustomer, addInvoice, bankMethod, call, cardMethod, expectHealthy, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';
import path from 'node:path';
import { runCli } from '../../../src/main/cli/cli';

// CL1042 owes INV-1 $100.00 (due Dec 10) and INV-2 $250.00 (due Dec 20); autopay charges on the due date.
let rt: PaymentsRuntime;
let customerId: number;
const q = () => rawSql(rt.ledger);

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-12-01T15:00:00Z' });
  customerId = await addCustomer(rt.ledger.db, 'CL1042', 'Cedar Lane Dental');
  await rt.ledger.db.updateTable('customers').set({ email: 'ap@cedarlane.example' }).where('id', '=', customerId).execute();
  await addInvoice(rt.ledger.db, customerId, 'INV-1', 10_000, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
  await addInvoice(rt.ledger.db, customerId, 'INV-2', 25_000, { issueDate: '2026-11-20', dueDate: '2026-12-20' });
});
afterEach(async () => {
  await rt.dispose();
});

function card(number: string, expMonth = 12, expYear = 2030) {
  const { save: _save, ...c } = cardMethod(number);
  return { ...c, expMonth, expYear };
}

async function saveCard(number: string, customerNumber = 'CL1042', expMonth = 12, expYear = 2030): Promise<number> {
  const r = await call(rt, 'paymentMethods.add', { customerNumber, method: card(number, expMonth, expYear), makeDefault: true });
  return r.method.id;
}

async function autopayOn(customerNumber = 'CL1042'): Promise<AutopayDto> {
  return call(rt, 'autopay.set', { customerNumber, enabled: true }, 'sue');
}

/** The daily run on `date`, with the clock on that day. */
async function runOn(date: string, dryRun = false) {
  rt.clock.set(`${date}T15:00:00Z`);
  return rt.core.billing.run({ asOf: date, dryRun }, 'billing-schedule');
}

const attempts = () =>
  q().all<{ attempt_date: string; attempt_number: number; outcome: string; amount_cents: number; decline_code: string | null; next_retry_date: string | null; payment_id: number | null }>(
    'SELECT attempt_date, attempt_number, outcome, amount_cents, decline_code, next_retry_date, payment_id FROM autopay_attempts ORDER BY id',
  );
const payments = () => q().all<{ status: string; amount_cents: number; idempotency_key: string }>('SELECT status, amount_cents, idempotency_key FROM payments ORDER BY id');
const openCents = async (invoice: string) =>
  (await q().get<{ n: number }>(
    'SELECT i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS n FROM invoices i WHERE invoice_number = ?',
    invoice,
  ))!.n;
const outbox = () => q().all<{ to_address: string; subject: string; body: string; attachment_kind: string | null }>('SELECT to_address, subject, body, attachment_kind FROM outbox ORDER BY id');

describe('autopay in the daily billing run', () => {
  it('charges the due invoice on its due date, once, even when the run repeats that day, and emails the receipt with the confirmation PDF', async () => {
    await saveCard('4242424242424242');
    await autopayOn();
    expect((await runOn('2026-12-09')).autopay).toEqual({ charged: [], declined: [], skipped: [], waitingRetry: 0, expiryNotices: 0 });
    const dry = await runOn('2026-12-10', true);
    expect(dry.autopay.charged).toEqual([{ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], amountCents: 10_000, attemptNumber: 1, paymentId: null, confirmationNumber: null }]);
    expect(await payments()).toEqual([]);
    const first = await runOn('2026-12-10');
    expect(first.autopay.charged).toEqual([{ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], amountCents: 10_000, attemptNumber: 1, paymentId: expect.any(Number), confirmationNumber: expect.any(String) }]);
    const again = await runOn('2026-12-10');
    expect(again.autopay.charged).toEqual([]);
    expect(await payments()).toEqual([{ status: 'captured', amount_cents: 10_000, idempotency_key: expect.stringMatching(/^autopay:CL1042:2026-12-10:1:/) }]);
    expect(await attempts()).toEqual([{ attempt_date: '2026-12-10', attempt_number: 1, outcome: 'approved', amount_cents: 10_000, decline_code: null, next_retry_date: null, payment_id: expect.any(Number) }]);
    expect(await openCents('INV-1')).toBe(0);
    expect(await openCents('INV-2')).toBe(25_000);
    const charges = (await rt.gateway.records()).filter((r) => r.kind === 'charge' && r.outcome === 'approved');
    expect(charges.map((r) => r.amountCents)).toEqual([10_000]);
    const mail = await outbox();
    expect(mail).toEqual([expect.objectContaining({ to_address: 'ap@cedarlane.example', attachment_kind: 'confirmation' })]);
    // INV-2 on its own due date, as a new first attempt.
    const later = await runOn('2026-12-20');
    expect(later.autopay.charged.map((c) => [c.invoiceNumbers, c.amountCents])).toEqual([[['INV-2'], 25_000]]);
    await expectHealthy(rt.ledger.db);
  });

  it('on the invoice date when the office says so: both invoices in one payment, oldest first', async () => {
    await rt.core.settings.updateOffice({ policy: { autopayChargeOn: 'invoice_date' } }, 'admin');
    await saveCard('4242424242424242');
    await autopayOn();
    const r = await runOn('2026-12-01');
    expect(r.autopay.charged.map((c) => [c.invoiceNumbers, c.amountCents])).toEqual([[['INV-1', 'INV-2'], 35_000]]);
  });

  it('retries a declined charge exactly 1, 9, 13 and 20 days after the first decline and not between, with a notice each time', async () => {
    await saveCard('4000000000000341');
    await autopayOn();
    const tried: string[] = [];
    const results: { date: string; next: string | null }[] = [];
    for (let d = '2026-12-10'; d <= '2027-01-10'; d = addDays(d, 1)) {
      const r = await runOn(d);
      if (r.autopay.declined.length > 0) {
        tried.push(d);
        results.push({ date: d, next: r.autopay.declined[0]!.nextRetryDate });
        expect(r.autopay.declined[0]).toMatchObject({ customerNumber: 'CL1042', code: 'card_declined', hard: false });
      }
      expect(r.autopay.charged).toEqual([]);
      // Between retries the customer is only counted as waiting; after the last one the office must act.
      if (d > '2026-12-10' && d < '2026-12-30' && r.autopay.declined.length === 0) {
        expect([r.autopay.skipped, r.autopay.waitingRetry]).toEqual([[], 1]);
      }
      if (d > '2026-12-30') {
        expect(r.autopay.waitingRetry).toBe(0);
        expect(r.autopay.skipped).toEqual([{ customerNumber: 'CL1042', invoiceNumbers: ['INV-1', 'INV-2'], amountCents: 35_000, reason: expect.stringMatching(/declined 5 times since 2026-12-10: no retry left/) }]);
      }
    }
    expect(tried).toEqual(['2026-12-10', '2026-12-11', '2026-12-19', '2026-12-23', '2026-12-30']);
    expect(results.map((r) => r.next)).toEqual(['2026-12-11', '2026-12-19', '2026-12-23', '2026-12-30', null]);
    const rows = await attempts();
    expect(rows.map((r) => [r.attempt_date, r.attempt_number, r.outcome])).toEqual([
      ['2026-12-10', 1, 'declined'],
      ['2026-12-11', 2, 'declined'],
      ['2026-12-19', 3, 'declined'],
      ['2026-12-23', 4, 'declined'],
      ['2026-12-30', 5, 'declined'],
    ]);
    expect((await payments()).map((p) => p.status)).toEqual(['declined', 'declined', 'declined', 'declined', 'declined']);
    expect(await openCents('INV-1')).toBe(0 + 10_000);
    const notices = (await outbox()).filter((m) => /did not go through/.test(m.subject));
    expect(notices).toHaveLength(5);
    expect(notices[0]!.body).toMatch(/Please update your payment method/);
    expect(notices[0]!.body).toMatch(/try again on 12\/11\/2026/);
    await expectHealthy(rt.ledger.db);
  });

  it('a card that declines once is charged on the first retry, the next day', async () => {
    await saveCard('4000000000003063');
    await autopayOn();
    expect((await runOn('2026-12-10')).autopay.declined.map((d) => d.nextRetryDate)).toEqual(['2026-12-11']);
    const r = await runOn('2026-12-11');
    expect(r.autopay.charged.map((c) => [c.invoiceNumbers, c.amountCents, c.attemptNumber])).toEqual([[['INV-1'], 10_000, 2]]);
    expect(await openCents('INV-1')).toBe(0);
    // The account's autopay shows the approved try with its payment's confirmation number; the declined one has none.
    const shown = await call(rt, 'autopay.get', { customerNumber: 'CL1042' });
    expect(shown.attempts.map((a) => [a.attemptNumber, a.outcome, a.nextRetryDate, a.confirmationNumber])).toEqual([
      [2, 'approved', null, r.autopay.charged[0]!.confirmationNumber],
      [1, 'declined', '2026-12-11', null],
    ]);
    expect(r.autopay.charged[0]!.confirmationNumber).toMatch(/\S/);
  });

  it('never retries a hard decline (a lost card) until autopay is saved again', async () => {
    await saveCard('4000000000009987');
    await autopayOn();
    const first = await runOn('2026-12-10');
    expect(first.autopay.declined).toEqual([expect.objectContaining({ code: 'lost_card', hard: true, nextRetryDate: null, amountCents: 10_000 })]);
    for (let d = '2026-12-11'; d <= '2027-01-05'; d = addDays(d, 1)) {
      const r = await runOn(d);
      expect(r.autopay.declined).toEqual([]);
      expect(r.autopay.charged).toEqual([]);
    }
    const r = await runOn('2027-01-06');
    expect(r.autopay.skipped[0]!.reason).toMatch(/hard decline \(lost_card\).*not retried/);
    expect((await attempts()).map((a) => a.outcome)).toEqual(['hard_declined']);
    expect((await rt.gateway.records()).filter((x) => x.kind === 'charge' && x.amountCents > 0)).toHaveLength(1);
  });

  it('skips an expired method with the reason', async () => {
    rt.clock.set('2026-11-01T15:00:00Z');
    await saveCard('4242424242424242', 'CL1042', 11, 2026);
    await autopayOn();
    const r = await runOn('2026-12-10');
    expect(r.autopay.charged).toEqual([]);
    expect(r.autopay.skipped).toEqual([{ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], amountCents: 10_000, reason: expect.stringMatching(/expired at the end of 11\/2026/) }]);
    expect(await attempts()).toEqual([]);
    expect(await payments()).toEqual([]);
  });

  it('leaves out disputed invoices, cancelled accounts and customers with autopay off', async () => {
    await saveCard('4242424242424242');
    await autopayOn();
    await rt.ledger.db.updateTable('invoices').set({ disputed: 1, dispute_reason: 'Never received' }).where('invoice_number', '=', 'INV-1').execute();
    // AK5521 turned autopay off; ZZ9000 is cancelled.
    const ak = await addCustomer(rt.ledger.db, 'AK5521');
    await addInvoice(rt.ledger.db, ak, 'INV-3', 5_000, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
    await saveCard('4242424242424242', 'AK5521');
    await autopayOn('AK5521');
    await call(rt, 'autopay.set', { customerNumber: 'AK5521', enabled: false }, 'sue');
    const zz = await addCustomer(rt.ledger.db, 'ZZ9000');
    await addInvoice(rt.ledger.db, zz, 'INV-4', 7_000, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
    await saveCard('4242424242424242', 'ZZ9000');
    await autopayOn('ZZ9000');
    await rt.ledger.db.updateTable('customers').set({ status: 'cancelled' }).where('id', '=', zz).execute();
    const r = await runOn('2026-12-10');
    expect(r.autopay.charged).toEqual([]);
    expect(r.autopay.skipped).toEqual([{ customerNumber: 'ZZ9000', invoiceNumbers: ['INV-4'], amountCents: 7_000, reason: 'the account is cancelled' }]);
    expect(await payments()).toEqual([]);
    // Nothing due at all (CL1042's only due invoice is disputed; AK5521 is off): not listed, not counted.
    expect(r.autopay.waitingRetry).toBe(0);
    // Once its dispute is over, INV-1 is charged with INV-2 on INV-2's due date.
    await rt.ledger.db.updateTable('invoices').set({ disputed: 0, dispute_reason: null }).where('invoice_number', '=', 'INV-1').execute();
    const later = await runOn('2026-12-20');
    expect(later.autopay.charged.map((c) => [c.customerNumber, c.invoiceNumbers, c.amountCents])).toEqual([['CL1042', ['INV-1', 'INV-2'], 35_000]]);
  });

  it('does not try again while a charge has no answer, until recovery settles it', async () => {
    await saveCard('4000000000000341');
    await autopayOn();
    rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
    const first = await runOn('2026-12-10');
    expect(first.autopay.skipped).toEqual([expect.objectContaining({ customerNumber: 'CL1042', reason: expect.stringMatching(/did not answer/) })]);
    expect((await attempts()).map((a) => a.outcome)).toEqual(['unknown']);
    for (const d of ['2026-12-11', '2026-12-15', '2026-12-19']) {
      const r = await runOn(d);
      expect(r.autopay.skipped[0]!.reason).toMatch(/no answer yet/);
    }
    expect(await attempts()).toHaveLength(1);
    expect((await payments()).map((p) => p.status)).toEqual(['pending']);
    // Recovery asks the gateway: it had declined. The decline series counts from the attempt's date.
    await rt.core.payments.recover('clerk', { staleAfterMs: 0 });
    const r = await runOn('2026-12-20');
    expect((await attempts()).map((a) => [a.attempt_date, a.outcome, a.next_retry_date])).toEqual([
      ['2026-12-10', 'declined', '2026-12-11'],
      ['2026-12-20', 'declined', '2026-12-23'],
    ]);
    expect(r.autopay.declined).toHaveLength(1);
    expect((await rt.gateway.records()).filter((x) => x.kind === 'charge')).toHaveLength(2);
  });

  it('a charge that never reached the gateway is no decline: no notice, no retry series, charged afresh the next day', async () => {
    await saveCard('4242424242424242');
    await autopayOn();
    rt.gateway.planFault({ kind: 'timeout_before_processing' });
    await runOn('2026-12-10');
    expect((await attempts()).map((a) => a.outcome)).toEqual(['unknown']);
    // Recovery asks the gateway, which never saw it: the payment fails as never sent, nothing charged.
    await rt.core.payments.recover('clerk', { staleAfterMs: 0 });
    expect((await payments()).map((p) => p.status)).toEqual(['failed']);
    const sameDay = await runOn('2026-12-10');
    expect(sameDay.autopay.declined).toEqual([]);
    expect((await attempts()).map((a) => [a.attempt_date, a.outcome, a.decline_code, a.next_retry_date])).toEqual([['2026-12-10', 'not_charged', 'no_answer', null]]);
    expect((await outbox()).filter((m) => /did not go through/.test(m.subject))).toEqual([]);
    // The next day's run charges it as a first attempt, once.
    const next = await runOn('2026-12-11');
    expect(next.autopay.charged.map((c) => [c.customerNumber, c.invoiceNumbers, c.amountCents])).toEqual([['CL1042', ['INV-1'], 10_000]]);
    expect((await attempts()).map((a) => [a.attempt_date, a.attempt_number, a.outcome])).toEqual([
      ['2026-12-10', 1, 'not_charged'],
      ['2026-12-11', 1, 'approved'],
    ]);
    expect((await rt.gateway.records()).filter((x) => x.kind === 'charge')).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });

  it('a bank account on autopay is debited under the standing authorization its consent recorded, never as a phone authorization', async () => {
    const { save: _save, ...bank } = bankMethod('000123456789');
    await call(rt, 'paymentMethods.add', { customerNumber: 'CL1042', method: bank, makeDefault: true });
    await call(rt, 'autopay.set', { customerNumber: 'CL1042', enabled: true, consent: 'customer' }, 'amy');
    const r = await runOn('2026-12-10');
    expect(r.autopay.charged.map((c) => [c.customerNumber, c.invoiceNumbers, c.amountCents])).toEqual([['CL1042', ['INV-1'], 10_000]]);
    // No spoken phone authorization is claimed for it: nothing in payment_authorizations.
    expect(await q().all('SELECT kind FROM payment_authorizations')).toEqual([]);
    const submitted = await q().all<{ summary: string }>("SELECT summary FROM audit_log WHERE action = 'payment.submit'");
    expect(submitted).toHaveLength(1);
    const summary = JSON.parse(submitted[0]!.summary);
    expect(summary.phoneDebitAuthorized).toBeUndefined();
    expect(summary.standingDebitAuthorization).toEqual({ via: 'customer_consent', recordedBy: 'amy', recordedAt: expect.any(String) });
    expect((await payments()).map((p) => [p.status, p.amount_cents])).toEqual([['captured', 10_000]]);
    await expectHealthy(rt.ledger.db);
  });

  it('a clerk turns autopay on only with the customer’s consent, recorded and audited', async () => {
    await saveCard('4242424242424242');
    const refused = await dispatch(createDispatcher(rt.core), 'autopay.set', { customerNumber: 'CL1042', enabled: true }, asStaff('amy', 'clerk'));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    const ok = await dispatch(createDispatcher(rt.core), 'autopay.set', { customerNumber: 'CL1042', enabled: true, consent: 'customer' }, asStaff('amy', 'clerk'));
    expect(ok.ok).toBe(true);
    const got = await dispatch(createDispatcher(rt.core), 'autopay.get', { customerNumber: 'CL1042' }, asStaff('amy', 'clerk'));
    expect(got.ok && got.data).toMatchObject({ enabled: true, paymentMethodId: null, methodLabel: 'Visa ending 4242', consentVia: 'customer_consent', consentBy: 'amy', attempts: [] });
    const audit = await q().all<{ actor: string; summary: string }>("SELECT actor, summary FROM audit_log WHERE action = 'autopay.on'");
    expect(audit.map((a) => [a.actor, JSON.parse(a.summary).consent])).toEqual([['amy', 'customer_consent']]);
    // The attempts with their outcome and next try are on the account.
    await rt.core.billing.run({ asOf: '2026-12-10', dryRun: false }, 'billing-schedule');
    const after = await rt.core.autopay.get('CL1042');
    expect(after.attempts.map((a) => [a.attemptDate, a.outcome, a.amountCents, a.invoices, a.method, a.nextRetryDate])).toEqual([
      ['2026-12-10', 'approved', 10_000, [{ invoiceNumber: 'INV-1', amountCents: 10_000 }], 'Visa ending 4242', null],
    ]);
  });

  it('emails "your card expires next month" once, 30 days before the card expires', async () => {
    await saveCard('4242424242424242', 'CL1042', 1, 2027);
    await autopayOn();
    expect((await runOn('2026-12-31')).autopay.expiryNotices).toBe(0);
    expect((await runOn('2027-01-01')).autopay.expiryNotices).toBe(1);
    expect((await runOn('2027-01-02')).autopay.expiryNotices).toBe(0);
    const notices = (await outbox()).filter((m) => /expires next month/.test(m.subject));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatch(/Visa ending 4242.*01\/2027/);
  });

  it('import customers takes an optional autopay column (true/false) and refuses other values by line', async () => {
    const bad = await rt.core.imports.importCsv('customers', ['customer_number,legal_name,autopay', 'NW0001,Northwind,true', 'NW0002,Northbay,maybe'].join('\n'), 'admin');
    expect(bad).toEqual({ ok: false, errors: [{ line: 3, message: 'autopay "maybe" is not true or false' }] });
    expect(await q().all('SELECT * FROM autopay_settings')).toEqual([]);
    const good = await rt.core.imports.importCsv('customers', ['customer_number,legal_name,autopay', 'NW0001,Northwind,TRUE', 'NW0002,Northbay,false', 'NW0003,Northgate,'].join('\n'), 'admin');
    expect(good.ok).toBe(true);
    const rows = await q().all<{ customer_number: string; enabled: number; payment_method_id: number | null; consent_via: string | null; consent_by: string | null }>(
      'SELECT c.customer_number, s.enabled, s.payment_method_id, s.consent_via, s.consent_by FROM autopay_settings s JOIN customers c ON c.id = s.customer_id ORDER BY c.customer_number',
    );
    expect(rows).toEqual([
      { customer_number: 'NW0001', enabled: 1, payment_method_id: null, consent_via: 'import', consent_by: 'admin' },
      { customer_number: 'NW0002', enabled: 0, payment_method_id: null, consent_via: null, consent_by: null },
    ]);
    // With a card saved later, the imported customer is charged by the run.
    const nw = (await q().get<{ id: number }>("SELECT id FROM customers WHERE customer_number = 'NW0001'"))!.id;
    await addInvoice(rt.ledger.db, nw, 'INV-9', 4_200, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
    expect((await runOn('2026-12-10')).autopay.skipped).toEqual([{ customerNumber: 'NW0001', invoiceNumbers: ['INV-9'], amountCents: 4_200, reason: 'no default payment method on file' }]);
    await saveCard('4242424242424242', 'NW0001');
    expect((await runOn('2026-12-11')).autopay.charged.map((c) => [c.customerNumber, c.amountCents])).toEqual([['NW0001', 4_200]]);
  });

  it('billing run --format json names autopay charged, declined and skipped (a dry run: what would be charged)', async () => {
    await saveCard('4242424242424242');
    await autopayOn();
    const gone = await addCustomer(rt.ledger.db, 'ZZ9000');
    await addInvoice(rt.ledger.db, gone, 'INV-4', 7_000, { issueDate: '2026-11-10', dueDate: '2026-12-10' });
    await saveCard('4242424242424242', 'ZZ9000');
    await autopayOn('ZZ9000');
    await rt.ledger.db.updateTable('customers').set({ status: 'cancelled' }).where('id', '=', gone).execute();
    let out = '';
    const code = await runCli(['--db', path.join(rt.dir, 'ledger.db'), 'billing', 'run', '--as-of', '2026-12-10', '--dry-run', '--format', 'json'], {
      out: (t) => (out += t + '\n'),
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(JSON.parse(out).autopay).toEqual({
      charged: [{ customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], amountCents: 10_000, attemptNumber: 1, paymentId: null, confirmationNumber: null }],
      declined: [],
      skipped: [{ customerNumber: 'ZZ9000', invoiceNumbers: ['INV-4'], amountCents: 7_000, reason: 'the account is cancelled' }],
      waitingRetry: 0,
      expiryNotices: 0,
    });
    expect(await payments()).toEqual([]);
  });
});
