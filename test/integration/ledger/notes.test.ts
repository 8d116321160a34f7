import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  expectHealthy,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';

/** The account's notes and promises to pay: an append-only log; a promise judged from the payments at read time. */

let rt: PaymentsRuntime;

beforeEach(async () => {
  // 15:00 UTC: the business date is 2026-11-20 in the office's zone (America/New_York).
  rt = await openPaymentsRuntime({ now: '2026-11-20T15:00:00Z' });
  const db = rt.ledger.db;
  const c = await addCustomer(db, 'CL1042', 'Harbor Lights Dental');
  await addCustomer(db, 'CL1043', 'Other Customer');
  await addInvoice(db, c, 'INV-0', 2_000, { issueDate: '2026-09-01', dueDate: '2026-10-01' });
  await addInvoice(db, c, 'INV-1', 10_000, { issueDate: '2026-09-02', dueDate: '2026-10-02' });
  await addInvoice(db, c, 'INV-2', 5_000, { issueDate: '2026-09-03', dueDate: '2026-10-03' });
  await addInvoice(db, c, 'INV-3', 3_000, { issueDate: '2026-09-04', dueDate: '2026-10-04' });
});
afterEach(async () => {
  await rt.dispose();
});

const pay = (invoiceNumbers: string[], cents: number) =>
  call(rt, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers,
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: cents,
    idempotencyKey: newKey(),
  });

const noteRows = () => rawSql(rt.ledger).all<{ id: number; kind: string; body: string }>('SELECT id, kind, body FROM account_notes ORDER BY id');

describe('account notes', () => {
  it('appends notes and lists them newest first with their author and time; each write is audited and announced', async () => {
    const call1 = await call(rt, 'notes.add', { customerNumber: 'cl1042', kind: 'call', text: '  Spoke with Maria: invoice INV-1 is with their accountant.  ' }, 'clerk.amy');
    rt.clock.advance(90_000);
    const general = await call(rt, 'notes.add', { customerNumber: 'CL1042', kind: 'general', text: 'Prefers email over phone.' }, 'clerk.bo');
    await call(rt, 'notes.add', { customerNumber: 'CL1043', kind: 'general', text: 'Not this account.' }, 'clerk.bo');

    const listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.notes.map((n) => [n.noteId, n.kind, n.text, n.createdBy, n.createdAt, n.promise])).toEqual([
      [general.noteId, 'general', 'Prefers email over phone.', 'clerk.bo', '2026-11-20T15:01:30.000Z', null],
      [call1.noteId, 'call', 'Spoke with Maria: invoice INV-1 is with their accountant.', 'clerk.amy', '2026-11-20T15:00:00.000Z', null],
    ]);
    expect(listed.openPromises).toEqual([]);

    const audit = await rawSql(rt.ledger).all<{ actor: string; action: string; entity_id: string; customer_number: string }>(
      `SELECT actor, action, entity_id, customer_number FROM audit_log WHERE action LIKE 'note.%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { actor: 'clerk.amy', action: 'note.add', entity_id: String(call1.noteId), customer_number: 'CL1042' },
      { actor: 'clerk.bo', action: 'note.add', entity_id: String(general.noteId), customer_number: 'CL1042' },
      { actor: 'clerk.bo', action: 'note.add', entity_id: expect.any(String), customer_number: 'CL1043' },
    ]);
    // Live updates: other workstations' account screens hear of the new note.
    const changes = await rawSql(rt.ledger).all<{ entity_id: number }>(`SELECT entity_id FROM change_log WHERE entity = 'account_notes' ORDER BY id`);
    expect(changes.map((c) => Number(c.entity_id))).toEqual([call1.noteId, general.noteId, expect.any(Number)]);
  });

  it('refuses an edit or a delete in the database itself', async () => {
    const note = await call(rt, 'notes.add', { customerNumber: 'CL1042', kind: 'call', text: 'Left a voicemail.' });
    const sqlOf = rawSql(rt.ledger);
    await expect(sqlOf.run(`UPDATE account_notes SET body = 'Customer agreed to pay in full' WHERE id = ?`, note.noteId)).rejects.toThrow(
      /account notes are a log: add another note, never edit/,
    );
    await expect(sqlOf.run(`DELETE FROM account_notes WHERE id = ?`, note.noteId)).rejects.toThrow(/account notes are a log: never deleted/);
    expect(await noteRows()).toEqual([{ id: note.noteId, kind: 'call', body: 'Left a voicemail.' }]);
  });

  it('refuses a note without text, a promise dated in the past, without an amount or of $0, naming the field, and writes nothing', async () => {
    const fieldsOf = async (input: Parameters<typeof callError<'notes.add'>>[2]) => {
      const e = await callError(rt, 'notes.add', input);
      expect(e.code).toBe('VALIDATION');
      return (e.details as { fields: Record<string, string> }).fields;
    };
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'call', text: '   ' })).toEqual({ text: 'is required' });
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'general', text: 'x'.repeat(2001) })).toEqual({ text: 'must be at most 2000 characters (it has 2001)' });
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'promise', text: '', promisedOn: '2026-11-19', promisedCents: 5_000 })).toEqual({
      promisedOn: 'must be today (2026-11-20) or later',
    });
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'promise', text: '', promisedOn: '2026-11-25', promisedCents: 0 })).toEqual({
      promisedCents: 'must be more than $0.00',
    });
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'promise', text: '', promisedOn: '25/11/2026' })).toEqual({
      promisedOn: 'must be a date (YYYY-MM-DD)',
      promisedCents: 'is required for a promise to pay',
    });
    expect(await fieldsOf({ customerNumber: 'CL1042', kind: 'call', text: 'Called', promisedCents: 100 })).toEqual({ promisedCents: 'is only for a promise to pay' });
    expect((await callError(rt, 'notes.add', { customerNumber: 'CL9999', kind: 'call', text: 'Hello' })).code).toBe('NOT_FOUND');
    expect(await noteRows()).toEqual([]);
    expect(await rawSql(rt.ledger).all(`SELECT id FROM audit_log WHERE action LIKE 'note.%'`)).toEqual([]);
    // Today is accepted.
    const today = await call(rt, 'notes.add', { customerNumber: 'CL1042', kind: 'promise', text: '', promisedOn: '2026-11-20', promisedCents: 1 });
    expect(today.promise).toEqual({ promisedOn: '2026-11-20', promisedCents: 1, paidCents: 0, state: 'open' });
  });
});

describe('promises to pay', () => {
  it('counts the payments from its creation up to its date and is kept once they reach its amount', async () => {
    // Paid before the promise was made: not part of it.
    await pay(['INV-0'], 2_000);
    rt.clock.advance(60_000);
    const promise = await call(rt, 'notes.add', {
      customerNumber: 'CL1042',
      kind: 'promise',
      text: 'Will pay INV-1 and INV-2 by Wednesday',
      promisedOn: '2026-11-25',
      promisedCents: 15_000,
    });
    expect(promise.promise).toEqual({ promisedOn: '2026-11-25', promisedCents: 15_000, paidCents: 0, state: 'open' });
    let listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.openPromises.map((n) => [n.noteId, n.promise])).toEqual([[promise.noteId, { promisedOn: '2026-11-25', promisedCents: 15_000, paidCents: 0, state: 'open' }]]);

    rt.clock.set('2026-11-23T16:00:00Z');
    await pay(['INV-1'], 10_000);
    listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.notes[0]!.promise).toEqual({ promisedOn: '2026-11-25', promisedCents: 15_000, paidCents: 10_000, state: 'open' });

    rt.clock.set('2026-11-25T20:00:00Z');
    await pay(['INV-2'], 5_000);
    listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.notes[0]!.promise).toEqual({ promisedOn: '2026-11-25', promisedCents: 15_000, paidCents: 15_000, state: 'kept' });
    expect(listed.openPromises).toEqual([]);
    // Still kept after its date: the state is derived, never stored, and the ledger agrees.
    rt.clock.set('2026-12-15T15:00:00Z');
    expect((await call(rt, 'notes.list', { customerNumber: 'CL1042' })).notes[0]!.promise!.state).toBe('kept');
    await expectHealthy(rt.ledger.db);
  });

  it('is broken when the clock passes its date short of its amount; a payment after the date does not mend it', async () => {
    const promise = await call(rt, 'notes.add', { customerNumber: 'CL1042', kind: 'promise', text: '', promisedOn: '2026-11-22', promisedCents: 5_000 });
    await pay(['INV-3'], 3_000);
    // 23:00 in New York on the 22nd: still its date.
    rt.clock.set('2026-11-23T04:00:00Z');
    let listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.asOf).toBe('2026-11-22');
    expect(listed.openPromises.map((n) => n.noteId)).toEqual([promise.noteId]);
    expect(listed.notes[0]!.promise).toEqual({ promisedOn: '2026-11-22', promisedCents: 5_000, paidCents: 3_000, state: 'open' });

    rt.clock.set('2026-11-23T15:00:00Z');
    listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.notes[0]!.promise).toEqual({ promisedOn: '2026-11-22', promisedCents: 5_000, paidCents: 3_000, state: 'broken' });
    expect(listed.openPromises).toEqual([]);

    await pay(['INV-2'], 5_000);
    listed = await call(rt, 'notes.list', { customerNumber: 'CL1042' });
    expect(listed.notes[0]!.promise).toEqual({ promisedOn: '2026-11-22', promisedCents: 5_000, paidCents: 3_000, state: 'broken' });
    // Nothing about the promise's state was written: the row is as it was added.
    expect(await rawSql(rt.ledger).all(`SELECT promised_on, promised_cents FROM account_notes`)).toEqual([{ promised_on: '2026-11-22', promised_cents: 5_000 }]);
    await expectHealthy(rt.ledger.db);
  });
});
