import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import {
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';
import { testEngine } from '../../helpers/engine';
import { countQuery, pageQuery, type PaymentSearchFilter } from '../../../src/main/payments/payments.search';

/**
 * Finding payments on the Payments screen: by confirmation number, exact amount, business dates,
 * customer and clerk, newest first, a page at a time with the count of all that match.
 */

let rt: PaymentsRuntime;
/** The payments taken in beforeEach, oldest first: [paymentId, customer, cents, clerk, business date, confirmation]. */
let taken: { id: number; customer: string; cents: number; clerk: string; on: string; confirmation: string }[];

const PLAN: { customer: string; cents: number; clerk: string; day: number }[] = [
  { customer: 'CL3001', cents: 12_000, clerk: 'clerk.amy', day: 16 },
  { customer: 'CL3002', cents: 7_550, clerk: 'clerk.bo', day: 16 },
  { customer: 'CL3001', cents: 7_550, clerk: 'clerk.amy', day: 17 },
  { customer: 'CL3002', cents: 3_000, clerk: 'clerk.amy', day: 17 },
  { customer: 'CL3002', cents: 7_550, clerk: 'clerk.bo', day: 18 },
  { customer: 'CL3001', cents: 4_125, clerk: 'clerk.bo', day: 18 },
  { customer: 'CL3001', cents: 7_550, clerk: 'clerk.amy', day: 19 },
  { customer: 'CL3002', cents: 9_999, clerk: 'clerk.amy', day: 19 },
  { customer: 'CL3001', cents: 7_550, clerk: 'clerk.bo', day: 20 },
  { customer: 'CL3002', cents: 1_000, clerk: 'clerk.amy', day: 20 },
  { customer: 'CL3001', cents: 7_550, clerk: 'clerk.amy', day: 20 },
  { customer: 'CL3002', cents: 2_500, clerk: 'clerk.bo', day: 20 },
];

beforeEach(async () => {
  rt = await openPaymentsRuntime({ now: '2026-11-16T15:00:00Z' });
  const db = rt.ledger.db;
  const ids = { CL3001: await addCustomer(db, 'CL3001', 'Birchwood Family Dental'), CL3002: await addCustomer(db, 'CL3002', 'Copperline Electric') };
  for (const [i, p] of PLAN.entries()) {
    await addInvoice(db, ids[p.customer as 'CL3001'], `INV-S${i}`, p.cents, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  }
  // A prior payment brought in by an import, of an amount searched for: never listed.
  await db
    .insertInto('payments')
    .values({ customer_id: ids.CL3001, kind: 'import', status: 'captured', amount_cents: 7_550, received_on: '2026-11-18', created_at: '2026-11-18T09:00:00.000Z', created_by: 'clerk.amy', delivery: 'none' })
    .execute();
  taken = [];
  for (const [i, p] of PLAN.entries()) {
    rt.clock.set(`2026-11-${p.day}T15:${String(i).padStart(2, '0')}:00Z`);
    const r = await call(
      rt,
      'payments.submit',
      { customerNumber: p.customer, invoiceNumbers: [`INV-S${i}`], creditNumbers: [], method: cardMethod(CARDS.visa), confirmedAmountCents: p.cents, idempotencyKey: newKey() },
      p.clerk,
    );
    if (r.status !== 'approved') throw new Error('not approved');
    taken.push({ id: r.paymentId, customer: p.customer, cents: p.cents, clerk: p.clerk, on: `2026-11-${p.day}`, confirmation: r.confirmationNumber });
  }
});
afterEach(async () => {
  await rt.dispose();
});

const newestFirst = (rows: typeof taken) => [...rows].reverse().map((r) => r.id);
const search = (input: Parameters<typeof call<'payments.search'>>[2]) => call(rt, 'payments.search', input);

describe('payments.search', () => {
  it('pages through every payment taken here, newest first, with the total count', async () => {
    const all = newestFirst(taken);
    const first = await search({ pageSize: 5 });
    expect([first.total, first.page, first.pageSize]).toEqual([12, 1, 5]);
    expect(first.payments.map((p) => p.paymentId)).toEqual(all.slice(0, 5));
    expect(first.payments[0]).toMatchObject({ customerNumber: 'CL3002', customerName: 'Copperline Electric', amountCents: 2_500, clerk: 'clerk.bo', receivedOn: '2026-11-20' });
    expect((await search({ pageSize: 5, page: 2 })).payments.map((p) => p.paymentId)).toEqual(all.slice(5, 10));
    const last = await search({ pageSize: 5, page: 3 });
    expect([last.total, last.payments.map((p) => p.paymentId)]).toEqual([12, all.slice(10)]);
    expect((await search({ pageSize: 5, page: 4 })).payments).toEqual([]);
    // Defaults: the first page of ten.
    const byDefault = await search({});
    expect([byDefault.total, byDefault.page, byDefault.pageSize, byDefault.payments.length]).toEqual([12, 1, 10, 10]);
  });

  it('finds by the exact amount in cents, page by page', async () => {
    const matching = newestFirst(taken.filter((t) => t.cents === 7_550));
    expect(matching).toHaveLength(6);
    const page1 = await search({ amountCents: 7_550, pageSize: 4 });
    expect([page1.total, page1.payments.map((p) => p.paymentId)]).toEqual([6, matching.slice(0, 4)]);
    const page2 = await search({ amountCents: 7_550, pageSize: 4, page: 2 });
    expect([page2.total, page2.payments.map((p) => p.paymentId)]).toEqual([6, matching.slice(4)]);
    expect(page2.payments.every((p) => p.amountCents === 7_550)).toBe(true);
    expect((await search({ amountCents: 7_551 })).total).toBe(0);
  });

  it('finds by the confirmation number as read over the phone', async () => {
    const wanted = taken[4]!;
    const spoken = wanted.confirmation.toLowerCase().replace('-', ' ');
    const found = await search({ confirmationNumber: spoken });
    expect([found.total, found.payments.map((p) => p.paymentId)]).toEqual([1, [wanted.id]]);
    const e = await callError(rt, 'payments.search', { confirmationNumber: 'ABC' });
    expect(e.code).toBe('VALIDATION');
    expect((e.details as { fields: Record<string, string> }).fields).toEqual({ confirmationNumber: 'is 8 letters and digits, such as K7M2-Q9XR' });
  });

  it('finds by business dates, both ends included', async () => {
    const inRange = newestFirst(taken.filter((t) => t.on >= '2026-11-17' && t.on <= '2026-11-18'));
    const found = await search({ from: '2026-11-17', to: '2026-11-18', pageSize: 3 });
    expect([found.total, found.payments.map((p) => p.paymentId)]).toEqual([4, inRange.slice(0, 3)]);
    expect((await search({ from: '2026-11-17', to: '2026-11-18', pageSize: 3, page: 2 })).payments.map((p) => p.paymentId)).toEqual(inRange.slice(3));
    expect((await search({ from: '2026-11-20' })).total).toBe(4);
    expect((await search({ to: '2026-11-16' })).payments.map((p) => p.paymentId)).toEqual([taken[1]!.id, taken[0]!.id]);
    const backwards = await callError(rt, 'payments.search', { from: '2026-11-19', to: '2026-11-17' });
    expect((backwards.details as { fields: Record<string, string> }).fields).toEqual({ to: 'must be on or after the first date' });
    const notADate = await callError(rt, 'payments.search', { from: '11/17/2026' });
    expect((notADate.details as { fields: Record<string, string> }).fields).toEqual({ from: 'must be a date (YYYY-MM-DD)' });
  });

  it('finds by customer and by clerk, and by several filters at once', async () => {
    const ofCustomer = newestFirst(taken.filter((t) => t.customer === 'CL3001'));
    const byCustomer = await search({ customerNumber: 'cl3001', pageSize: 4 });
    expect([byCustomer.total, byCustomer.payments.map((p) => p.paymentId)]).toEqual([6, ofCustomer.slice(0, 4)]);
    expect((await search({ customerNumber: 'CL3001', pageSize: 4, page: 2 })).payments.map((p) => p.paymentId)).toEqual(ofCustomer.slice(4));
    expect(await search({ customerNumber: 'CL9999' })).toEqual({ payments: [], total: 0, page: 1, pageSize: 10 });

    const ofBo = newestFirst(taken.filter((t) => t.clerk === 'clerk.bo'));
    const byClerk = await search({ clerk: 'clerk.bo' });
    expect([byClerk.total, byClerk.payments.map((p) => p.paymentId)]).toEqual([5, ofBo]);

    const narrow = newestFirst(taken.filter((t) => t.cents === 7_550 && t.customer === 'CL3001' && t.clerk === 'clerk.amy' && t.on >= '2026-11-18'));
    const both = await search({ amountCents: 7_550, customerNumber: 'CL3001', clerk: 'clerk.amy', from: '2026-11-18' });
    expect([both.total, both.payments.map((p) => p.paymentId)]).toEqual([2, narrow]);
    expect(narrow).toHaveLength(2);
  });

  it('walks an index for each filter on SQLite, for the page and the count, without sorting (the query plans)', async () => {
    if (testEngine !== 'sqlite') return;
    const db = rt.ledger.db;
    const planOf = async (q: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
      const c = q.compile();
      const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
      return r.rows.map((row) => row.detail).join(' | ');
    };
    const expected: [PaymentSearchFilter, string][] = [
      [{ amountCents: 7_550 }, 'payments_found_amount'],
      [{ customerId: 1 }, 'payments_found_customer'],
      [{ clerk: 'clerk.bo' }, 'payments_found_clerk'],
      [{ from: '2026-11-17', to: '2026-11-18' }, 'payments_found_received'],
      [{}, 'payments_found_received'],
      [{ status: 'captured' }, 'payments_found_received'],
    ];
    for (const [f, index] of expected) {
      const page = await planOf(pageQuery(db, f, { limit: 10, offset: 0 }));
      expect(page, JSON.stringify(f)).toMatch(new RegExp(`SEARCH p USING (COVERING )?INDEX ${index}|SCAN p USING (COVERING )?INDEX ${index}`));
      expect(page, JSON.stringify(f)).not.toMatch(/TEMP B-TREE/);
      // The count reads index entries only: the filter's own index, or for no filter any index of the payments taken here.
      const count = await planOf(countQuery(db, f));
      expect(count, JSON.stringify(f)).toMatch(Object.keys(f).length === 0 || 'status' in f ? /USING COVERING INDEX payments_(found_\w+|taken_here_created)/ : new RegExp(`USING COVERING INDEX ${index}`));
    }
    expect(await planOf(pageQuery(db, { confirmationNumber: 'K7M2-Q9XR' }, { limit: 10, offset: 0 }))).toMatch(/INDEX sqlite_autoindex_payments_\d/);
    const byCheck = await planOf(pageQuery(db, { checkNumber: '1042' }, { limit: 10, offset: 0 }));
    expect(byCheck).toMatch(/SEARCH p USING (COVERING )?INDEX payments_found_check/);
    expect(byCheck).not.toMatch(/TEMP B-TREE/);
    expect(await planOf(countQuery(db, { checkNumber: '1042' }))).toMatch(/USING COVERING INDEX payments_found_check/);
  });
});

describe('payments.search and payments.recent with money received at the desk', () => {
  /** A check, cash and a wire recorded on the 21st, after the card payments of beforeEach, oldest first. */
  async function receive() {
    const db = rt.ledger.db;
    const customer = (await db.selectFrom('customers').select('id').where('customer_number', '=', 'CL3001').executeTakeFirstOrThrow()).id;
    await addInvoice(db, customer, 'INV-CHK', 31_415, { issueDate: '2026-10-01', dueDate: '2026-11-01' });
    await addInvoice(db, customer, 'INV-CSH', 2_000, { issueDate: '2026-10-02', dueDate: '2026-11-02' });
    await addInvoice(db, customer, 'INV-WIR', 50_000, { issueDate: '2026-10-03', dueDate: '2026-11-03' });
    const base = { customerNumber: 'CL3001', creditNumbers: [] };
    const ids: number[] = [];
    const inputs = [
      { ...base, invoiceNumbers: ['INV-CHK'], method: 'check' as const, amountCents: 31_415, checkNumber: '001042', checkBank: 'First Federal Bank' },
      { ...base, invoiceNumbers: ['INV-CSH'], method: 'cash' as const, amountCents: 2_000 },
      { ...base, invoiceNumbers: ['INV-WIR'], method: 'wire' as const, amountCents: 50_000, reference: 'FW-2291-77' },
    ];
    for (const [i, input] of inputs.entries()) {
      rt.clock.set(`2026-11-21T16:0${i}:00Z`);
      const r = await call(rt, 'payments.recordReceived', { ...input, idempotencyKey: newKey() }, 'clerk.cy');
      if (r.status !== 'approved') throw new Error('not recorded');
      ids.push(r.paymentId);
    }
    return ids;
  }

  it('lists a received check, cash and a wire with the card payments, newest first, and counts them', async () => {
    const [checkId, cashId, wireId] = await receive();
    const recent = await call(rt, 'payments.recent', { limit: 4 });
    expect(recent.payments.map((p) => [p.paymentId, p.methodLabel, p.amountCents])).toEqual([
      [wireId, 'Wire FW-2291-77', 50_000],
      [cashId, 'Cash', 2_000],
      [checkId, 'Check 1042 (First Federal Bank)', 31_415],
      [taken.at(-1)!.id, expect.stringContaining('Visa'), 2_500],
    ]);
    const all = await search({ pageSize: 2 });
    expect([all.total, all.payments.map((p) => p.paymentId)]).toEqual([15, [wireId, cashId]]);
    expect((await search({ pageSize: 2, page: 2 })).payments.map((p) => p.paymentId)).toEqual([checkId, taken.at(-1)!.id]);
    const byDay = await search({ from: '2026-11-21', to: '2026-11-21' });
    expect([byDay.total, byDay.payments.map((p) => p.paymentId)]).toEqual([3, [wireId, cashId, checkId]]);
    expect((await search({ amountCents: 2_000 })).payments.map((p) => p.paymentId)).toEqual([cashId]);
    expect((await search({ clerk: 'clerk.cy' })).total).toBe(3);
  });

  it('finds a check by its number as written on it, with or without leading zeros or spaces', async () => {
    const [checkId] = await receive();
    for (const typed of ['1042', '001042', ' 10 42 ']) {
      const found = await search({ checkNumber: typed });
      expect([found.total, found.payments.map((p) => [p.paymentId, p.amountCents, p.confirmationNumber !== null])], typed).toEqual([1, [[checkId, 31_415, true]]]);
    }
    expect((await search({ checkNumber: '1043' })).total).toBe(0);
    expect((await search({ checkNumber: '1042', customerNumber: 'CL3002' })).total).toBe(0);
    expect((await search({ checkNumber: '1042', amountCents: 31_415, from: '2026-11-21' })).payments.map((p) => p.paymentId)).toEqual([checkId]);
  });
});
