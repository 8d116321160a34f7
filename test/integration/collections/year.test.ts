/**
 * A year of getting paid, day by day on a fixed clock: 200 clients billed monthly in advance,
 * most on autopay with saved cards that pay, decline every time, decline once, are lost or
 * expire; others pay by phone now and then or not at all; a dispute opened and resolved; the
 * office closed ten days in August. The daily run (invoices, autopay, follow-up) runs every open
 * day, some days twice. What must hold comes from the office's terms, not from the code:
 *
 * - no invoice charged twice, and every gateway charge matched to one captured payment;
 * - every retry on its day (1, 9, 13 and 20 days after the first decline), a hard decline never
 *   retried, an expired card never charged and told once that it expires;
 * - each follow-up level sent once per past-due run of invoices, on the day it is reached (or the
 *   day the office opens again), never for a disputed invoice, each late fee exactly as configured;
 * - the ledger's invariants after every day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/dates';
import { call, cardMethod, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy } from '../ledger/fixtures';

const FIRST = '2027-01-01';
const LAST = '2027-12-31';
const CLOSED_FROM = '2027-08-10';
const CLOSED_TO = '2027-08-19';
const CUSTOMERS = 200;
const RETRY_DAYS = [1, 9, 13, 20];
const LEVELS = [
  { daysPastDue: 15, action: 'email' },
  { daysPastDue: 30, action: 'letter', feeFixedCents: 500, feePercentBp: 150, feeMinimumCents: 1_000, graceDays: 0 },
  { daysPastDue: 40, action: 'call' },
] as const;
const DISPUTE_OPEN = '2027-02-10';
const DISPUTE_RESOLVE = '2027-03-25';

type Profile = 'autopay' | 'expiring' | 'declines' | 'declines-once' | 'lost' | 'phone' | 'never-pays';
/** Twenty in a cycle: ten good cards (one expiring in June), two always declining, two declining once, one lost, two phone payers, three never paying. */
function profileOf(i: number): Profile {
  const k = i % 20;
  if (k < 9) return 'autopay';
  if (k === 9) return 'expiring';
  if (k < 12) return 'declines';
  if (k < 14) return 'declines-once';
  if (k === 14) return 'lost';
  if (k < 17) return 'phone';
  return 'never-pays';
}
const CARD: Partial<Record<Profile, string>> = {
  autopay: '4242424242424242',
  expiring: '4242424242424242',
  declines: '4000000000000341',
  'declines-once': '4000000000003063',
  lost: '4000000000009987',
};
const numberOf = (i: number) => `YR${1000 + i}`;
const closed = (day: string) => day >= CLOSED_FROM && day <= CLOSED_TO;

describe('a year of autopay, retries and follow-up, day by day', () => {
  let rt: PaymentsRuntime;
  const q = () => rawSql(rt.ledger);
  const daysRun: string[] = [];
  let repeatedRuns = 0;
  let repeatedDidSomething = 0;
  let phonePayments = 0;
  const counts = { charged: 0, declined: 0, skipped: 0, waitingRetry: 0, notices: 0, lateFees: 0 };
  const skipped: { day: string; customerNumber: string; invoices: number; reason: string }[] = [];
  let disputeCustomer = '';

  beforeAll(async () => {
    rt = await openPaymentsRuntime({ now: `${addDays(FIRST, -1)}T17:00:00Z` });
    await rt.core.settings.confirmTimeZone('America/New_York', 'admin');
    await rt.core.dunning.setLevels({ levels: LEVELS.map((l) => ({ ...l })), suspendAtLevel: null }, 'admin');
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const customerNumber = numberOf(i);
      await rt.core.customers.create(customerInput({ customerNumber, legalName: `Year Client ${i}`, email: `ap${i}@year.example` }), 'dana');
      await rt.core.subscriptions.create(
        { customerNumber, period: 'monthly', startDate: FIRST, endDate: null, anchorDay: 1, lines: [{ description: 'Service', unitPriceCents: 5_000 + (i % 37) * 250, quantity: 1, taxable: false }] },
        'dana',
      );
      const card = CARD[profileOf(i)];
      if (card) {
        const { save: _save, ...method } = cardMethod(card);
        const expiring = profileOf(i) === 'expiring';
        await call(rt, 'paymentMethods.add', { customerNumber, method: { ...method, expMonth: expiring ? 6 : 12, expYear: expiring ? 2027 : 2031 }, makeDefault: true });
        await call(rt, 'autopay.set', { customerNumber, enabled: true }, 'sue');
      }
    }
    disputeCustomer = numberOf(17);

    for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
      if (closed(day)) continue;
      rt.clock.set(`${day}T17:00:00Z`); // noon in New York: the business date is `day`
      const run = await rt.core.billing.run({ asOf: day, dryRun: false }, 'billing-schedule');
      daysRun.push(day);
      counts.charged += run.autopay.charged.length;
      counts.declined += run.autopay.declined.length;
      counts.skipped += run.autopay.skipped.length;
      counts.waitingRetry += run.autopay.waitingRetry;
      for (const k of run.autopay.skipped) skipped.push({ day, customerNumber: k.customerNumber, invoices: k.invoiceNumbers.length, reason: k.reason });
      counts.notices += run.dunning.notices.length;
      counts.lateFees += run.dunning.lateFees.length;
      // A scheduler that fires twice: the second run finds nothing left to do.
      if (day.endsWith('-05') || day === addDays(CLOSED_TO, 1)) {
        const again = await rt.core.billing.run({ asOf: day, dryRun: false }, 'billing-schedule');
        repeatedRuns += 1;
        if (again.invoices.length + again.autopay.charged.length + again.autopay.declined.length + again.dunning.notices.length + again.dunning.lateFees.length > 0) repeatedDidSomething += 1;
      }

      // The phone payers pay everything open on the 20th, by a new card read out on the phone.
      if (day.endsWith('-20')) {
        for (let i = 0; i < CUSTOMERS; i += 1) {
          if (profileOf(i) !== 'phone') continue;
          const open = await q().all<{ invoice_number: string; open_cents: number }>(
            `SELECT i.invoice_number, i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS open_cents
             FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = ? AND i.status = 'open' ORDER BY i.due_date, i.id`,
            numberOf(i),
          );
          const owed = open.filter((o) => o.open_cents > 0);
          if (owed.length === 0) continue;
          const r = await call(rt, 'payments.submit', {
            customerNumber: numberOf(i),
            invoiceNumbers: owed.map((o) => o.invoice_number),
            creditNumbers: [],
            method: cardMethod('4242424242424242'),
            confirmedAmountCents: owed.reduce((s, o) => s + o.open_cents, 0),
            idempotencyKey: newKey(),
          });
          expect(r.status).toBe('approved');
          phonePayments += 1;
        }
      }

      // A client who never pays disputes its open invoices in February; a supervisor resolves it against them in March.
      if (day === DISPUTE_OPEN) {
        const open = await q().all<{ invoice_number: string }>(
          "SELECT i.invoice_number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = ? AND i.status = 'open' ORDER BY i.id",
          disputeCustomer,
        );
        await call(rt, 'disputes.open', { customerNumber: disputeCustomer, invoiceNumbers: open.map((o) => o.invoice_number), reason: 'The service was not performed' }, 'pat');
      }
      if (day === DISPUTE_RESOLVE) {
        const d = await q().get<{ id: number }>("SELECT id FROM disputes WHERE status = 'open'");
        await call(rt, 'disputes.resolve', { disputeId: d!.id, outcome: 'against', reason: 'The visit log shows the service' }, 'sue');
      }
      await expectHealthy(rt);
    }
    const attempts = await q().get<{ n: number }>('SELECT count(*) AS n FROM autopay_attempts');
    // eslint-disable-next-line no-console
    console.log(
      `year simulation: ${daysRun.length} runs (${repeatedRuns} repeated), autopay ${counts.charged} charged, ${counts.declined} declined, ${counts.skipped} skipped, ${counts.waitingRetry} waiting for a retry ` +
        `(${Number(attempts!.n)} attempts), ${phonePayments} phone payments, ${counts.notices} follow-up notices, ${counts.lateFees} late fees`,
    );
  }, 1_500_000);

  afterAll(async () => {
    await rt?.dispose();
  });

  const attemptsOf = (customerNumber: string) =>
    q().all<{ attempt_date: string; attempt_number: number; outcome: string; decline_code: string | null; amount_cents: number }>(
      'SELECT a.attempt_date, a.attempt_number, a.outcome, a.decline_code, a.amount_cents FROM autopay_attempts a JOIN customers c ON c.id = a.customer_id WHERE c.customer_number = ? ORDER BY a.id',
      customerNumber,
    );
  const invoicesOf = (customerNumber: string) =>
    q().all<{ id: number; invoice_number: string; due_date: string; total_cents: number; open_cents: number }>(
      `SELECT i.id, i.invoice_number, i.due_date, i.total_cents, i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS open_cents
       FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = ? AND i.status <> 'void' ORDER BY i.due_date, i.id`,
      customerNumber,
    );

  it('ran every open day, and a repeated run never did anything', () => {
    expect(daysRun.length).toBe(365 - 10);
    expect(repeatedRuns).toBe(13);
    expect(repeatedDidSomething).toBe(0);
    expect(phonePayments).toBeGreaterThan(100);
  });

  it('charged no invoice twice, and matched every gateway charge to one captured payment', async () => {
    const twice = await q().all(
      `SELECT a.invoice_id, count(DISTINCT a.payment_id) AS n FROM applications a JOIN payments p ON p.id = a.payment_id
       WHERE p.status = 'captured' AND a.amount_cents > 0 GROUP BY a.invoice_id HAVING count(DISTINCT a.payment_id) > 1`,
    );
    expect(twice).toEqual([]);
    const over = await q().all(
      'SELECT i.invoice_number FROM invoices i WHERE i.total_cents < coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0)',
    );
    expect(over).toEqual([]);
    const approved = (await rt.gateway.records()).filter((r) => r.kind === 'charge' && r.outcome === 'approved' && r.amountCents > 0);
    const captured = await q().all<{ gateway_transaction_id: string | null; amount_cents: number }>("SELECT gateway_transaction_id, amount_cents FROM payments WHERE status = 'captured' AND kind = 'card'");
    expect(captured.length).toBe(approved.length);
    const byTransaction = new Map(captured.map((p) => [p.gateway_transaction_id, p.amount_cents]));
    expect(byTransaction.size).toBe(captured.length);
    for (const r of approved) expect(byTransaction.get(r.transactionId), `gateway charge ${r.transactionId}`).toBe(r.amountCents);
  });

  it('charged each good card once per invoice, on its due date, to the cent', async () => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      if (profileOf(i) !== 'autopay') continue;
      const invoices = (await invoicesOf(numberOf(i))).filter((inv) => inv.due_date <= LAST);
      const attempts = await attemptsOf(numberOf(i));
      // A due date while the office was closed is charged the day it opens, with the others due by then.
      const expected: { date: string; cents: number }[] = [];
      for (const inv of invoices) {
        const date = closed(inv.due_date) ? addDays(CLOSED_TO, 1) : inv.due_date;
        const same = expected.find((e) => e.date === date);
        if (same) same.cents += inv.total_cents;
        else expected.push({ date, cents: inv.total_cents });
      }
      expect(attempts.map((a) => [a.attempt_date, a.outcome, a.amount_cents]), numberOf(i)).toEqual(expected.map((e) => [e.date, 'approved', e.cents]));
      expect(invoices.every((inv) => inv.open_cents === 0), numberOf(i)).toBe(true);
    }
  });

  it('retried a card that always declines exactly 1, 9, 13 and 20 days after the first decline, then never again', async () => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      if (profileOf(i) !== 'declines') continue;
      const attempts = await attemptsOf(numberOf(i));
      const first = attempts[0]!.attempt_date;
      const firstDue = (await invoicesOf(numberOf(i)))[0]!.due_date;
      expect(first).toBe(firstDue);
      expect(attempts.map((a) => [a.attempt_date, a.outcome, a.decline_code])).toEqual(
        [0, ...RETRY_DAYS].map((d) => [addDays(first, d), 'declined', 'card_declined']),
      );
    }
  });

  it('charged a card that declines once on the next day’s retry, and at the first try after that', async () => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      if (profileOf(i) !== 'declines-once') continue;
      const attempts = await attemptsOf(numberOf(i));
      expect(attempts[0]).toMatchObject({ outcome: 'declined', decline_code: 'card_declined' });
      expect(attempts[1]).toMatchObject({ attempt_date: addDays(attempts[0]!.attempt_date, 1), outcome: 'approved' });
      expect(attempts.slice(1).every((a) => a.outcome === 'approved')).toBe(true);
      expect((await invoicesOf(numberOf(i))).filter((inv) => inv.due_date <= LAST).every((inv) => inv.open_cents === 0)).toBe(true);
    }
  });

  it('listed as skipped only customers with invoices due and something for the office to do; those waiting for a retry only counted', async () => {
    const profileByNumber = new Map(Array.from({ length: CUSTOMERS }, (_, i) => [numberOf(i), profileOf(i)]));
    expect(skipped.filter((k) => k.invoices === 0)).toEqual([]);
    // The good cards and the card declining once never need the office.
    expect(skipped.filter((k) => ['autopay', 'declines-once'].includes(profileByNumber.get(k.customerNumber)!))).toEqual([]);
    for (const k of skipped) {
      const profile = profileByNumber.get(k.customerNumber);
      const want = profile === 'lost' ? /hard decline \(lost_card\)/ : profile === 'expiring' ? /expired at the end of 06\/2027/ : /no retry left/;
      expect(k.reason, `${k.customerNumber} on ${k.day}`).toMatch(want);
    }
    // The always-declining cards wait between their retries (every day of 20 but the five tried ones) before the office must act.
    expect(counts.waitingRetry).toBeGreaterThan(0);
    expect(skipped.some((k) => profileByNumber.get(k.customerNumber) === 'declines')).toBe(true);
    expect(counts.skipped).toBe(skipped.length);
  });

  it('never retried a lost card, and never charged an expired one; the expiring card was told once', async () => {
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const profile = profileOf(i);
      if (profile === 'lost') {
        const attempts = await attemptsOf(numberOf(i));
        expect(attempts.map((a) => [a.outcome, a.decline_code])).toEqual([['hard_declined', 'lost_card']]);
      }
      if (profile === 'expiring') {
        const attempts = await attemptsOf(numberOf(i));
        expect(attempts.length).toBeGreaterThan(3);
        // The card is good through June 30, 2027.
        expect(attempts.every((a) => a.attempt_date <= '2027-06-30' && a.outcome === 'approved')).toBe(true);
        const notices = await q().get<{ n: number }>(
          'SELECT count(*) AS n FROM payment_method_expiry_notices n JOIN payment_methods m ON m.id = n.payment_method_id JOIN customers c ON c.id = m.customer_id WHERE c.customer_number = ?',
          numberOf(i),
        );
        expect(Number(notices!.n)).toBe(1);
      }
    }
  });

  it('sent each follow-up level once per past-due run, on the day it was reached or the day the office opened, never for a disputed invoice', async () => {
    const notices = await q().all<{ id: number; customer_number: string; level: number; action: string; reached_on: string; sent_on: string; outbox_id: number | null; print_job_id: number | null }>(
      'SELECT n.id, c.customer_number, n.level, n.action, n.reached_on, n.sent_on, n.outbox_id, n.print_job_id FROM dunning_notices n JOIN customers c ON c.id = n.customer_id ORDER BY n.id',
    );
    expect(notices.length).toBeGreaterThan(50);
    for (const n of notices) {
      expect(n.action).toBe(LEVELS[n.level - 1]!.action);
      // Reached while the office was closed: sent the day it opened. Reached while the client's invoices
      // were in dispute: sent by the first run after the resolution against the client.
      const disputed = n.customer_number === disputeCustomer && n.reached_on >= DISPUTE_OPEN && n.reached_on <= DISPUTE_RESOLVE;
      const due = closed(n.reached_on) ? addDays(CLOSED_TO, 1) : disputed ? addDays(DISPUTE_RESOLVE, 1) : n.reached_on;
      expect(n.sent_on, `notice ${n.id} of ${n.customer_number}`).toBe(due);
      expect(n.action === 'email' ? n.outbox_id !== null : n.outbox_id === null).toBe(true);
      expect(n.action === 'letter' ? n.print_job_id !== null : n.print_job_id === null).toBe(true);
    }
    // The good payers were never followed up.
    const paying = new Set(Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => ['autopay', 'declines-once'].includes(profileOf(i))).map(numberOf));
    expect(notices.filter((n) => paying.has(n.customer_number))).toEqual([]);
    // Each invoice had each level at most once (the database's key), and the never-paying clients reached all three.
    const perInvoice = await q().all('SELECT invoice_id, level, count(*) AS n FROM dunning_notice_invoices GROUP BY invoice_id, level HAVING count(*) > 1');
    expect(perInvoice).toEqual([]);
    const neverPays = numberOf(18);
    expect(notices.filter((n) => n.customer_number === neverPays).map((n) => n.level)).toEqual([1, 2, 3]);
    // No follow-up on the disputed invoices while the dispute was open.
    const duringDispute = notices.filter((n) => n.customer_number === disputeCustomer && n.sent_on >= DISPUTE_OPEN && n.sent_on < DISPUTE_RESOLVE);
    expect(duringDispute).toEqual([]);
    // After the resolution against the client, the follow-up resumed.
    expect(notices.some((n) => n.customer_number === disputeCustomer && n.sent_on >= DISPUTE_RESOLVE)).toBe(true);
    // One email per email notice, none twice.
    const mails = await q().all<{ id: number }>("SELECT o.id FROM outbox o JOIN dunning_notices n ON n.outbox_id = o.id");
    expect(mails.length).toBe(notices.filter((n) => n.action === 'email').length);
  });

  it('billed each late fee as its own invoice, the fixed part plus 1.5% of the past-due balance, at least $10.00', async () => {
    const fees = await q().all<{ level: number; base_cents: number; fee_cents: number; total_cents: number; invoice_number: string }>(
      'SELECT n.level, f.base_cents, f.fee_cents, i.total_cents, i.invoice_number FROM dunning_late_fees f JOIN dunning_notices n ON n.id = f.notice_id JOIN invoices i ON i.id = f.invoice_id ORDER BY f.notice_id',
    );
    expect(fees.length).toBeGreaterThan(10);
    expect(fees.length).toBe(counts.lateFees);
    for (const f of fees) {
      expect(f.level).toBe(2);
      const want = Math.max(1_000, 500 + Math.floor((f.base_cents * 150 + 5_000) / 10_000));
      expect(f.fee_cents, `late fee on ${f.base_cents}`).toBe(want);
      expect(f.total_cents).toBe(want);
    }
  });
});
