import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSubmitDto } from '../../../src/shared/contract/payments';
import type { RecordReceivedInput } from '../../../src/shared/contract/received';
import { keepPdf, pdfText } from '../../helpers/documents-fixtures';
import { addCustomer, addInvoice, call, callError, expectHealthy, newKey, openPaymentsRuntime, type PaymentsRuntime } from '../../helpers/payments-fixtures';
import { rawSql } from '../../helpers/sql';

let rt: PaymentsRuntime;
const ids: Record<string, number> = {};

function approved(r: PaymentSubmitDto) {
  if (r.status !== 'approved') throw new Error(`not approved: ${JSON.stringify(r)}`);
  return r;
}

async function receive(more: Partial<RecordReceivedInput> & Pick<RecordReceivedInput, 'customerNumber' | 'invoiceNumbers' | 'method' | 'amountCents'>) {
  return approved(await call(rt, 'payments.recordReceived', { creditNumbers: [], idempotencyKey: newKey(), ...more }));
}

const CLOSED = /a closed deposit never changes: correct it with a reversal in a new deposit/;

// Today is 2026-11-20. Two customers pay by check (one back-dated to the 18th), a third in cash, and one by wire (never deposited here).
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const db = rt.ledger.db;
  const a = await addCustomer(db, 'CL3001', 'Harbor Lane Dental LLC');
  const b = await addCustomer(db, 'CL3002', 'Birchwood Veterinary');
  const c = await addCustomer(db, 'CL3003', 'Cedar Point Physio');
  await addInvoice(db, a, 'INV-301', 12_345);
  await addInvoice(db, b, 'INV-302', 45_000);
  await addInvoice(db, c, 'INV-303', 7_525);
  await addInvoice(db, c, 'INV-304', 9_900);
  ids.check1 = (await receive({ customerNumber: 'CL3001', invoiceNumbers: ['INV-301'], method: 'check', amountCents: 12_345, checkNumber: '2201', checkBank: 'First Federal Bank', receivedOn: '2026-11-18' })).paymentId;
  ids.check2 = (await receive({ customerNumber: 'CL3002', invoiceNumbers: ['INV-302'], method: 'check', amountCents: 45_000, checkNumber: '88817', checkBank: 'Coastal Credit Union' })).paymentId;
  ids.cash = (await receive({ customerNumber: 'CL3003', invoiceNumbers: ['INV-303'], method: 'cash', amountCents: 7_525 })).paymentId;
  ids.wire = (await receive({ customerNumber: 'CL3003', invoiceNumbers: ['INV-304'], method: 'wire', amountCents: 9_900, reference: 'FW-1' })).paymentId;
  await expectHealthy(db);
});
afterEach(async () => {
  await rt.dispose();
});

describe('deposits', () => {
  it('gathers the two checks and the cash (not the wire), totals them to the cent, closes, and then refuses every change', async () => {
    const waiting = await call(rt, 'deposits.undeposited', {});
    expect(waiting.items.map((i) => [i.kind, i.checkNumber, i.amountCents])).toEqual([
      ['check', '2201', 12_345],
      ['check', '88817', 45_000],
      ['cash', null, 7_525],
    ]);

    const opened = await call(rt, 'deposits.open', { empty: true });
    expect(opened).toMatchObject({ status: 'open', depositDate: '2026-11-20', itemCount: 0, totalCents: 0 });
    let d = await call(rt, 'deposits.addItems', { depositId: opened.depositId, payments: [ids.check1!, ids.check2!, ids.cash!, ids.wire!].slice(0, 3) });
    expect(d).toMatchObject({ itemCount: 3, checkCount: 2, checksCents: 57_345, cashCents: 7_525, totalCents: 64_870 });
    const wire = await callError(rt, 'deposits.addItems', { depositId: opened.depositId, payments: [ids.wire!] });
    expect(wire.details).toEqual({ fields: { payments: `Payment ${ids.wire} is not a check or cash waiting to be deposited` } });

    // Taken out while open, and put back.
    const cashItem = d.items.find((i) => i.kind === 'cash')!;
    d = await call(rt, 'deposits.removeItem', { depositId: opened.depositId, itemId: cashItem.itemId! });
    expect(d).toMatchObject({ itemCount: 2, totalCents: 57_345, cashCents: 0 });
    expect((await call(rt, 'deposits.undeposited', {})).items.map((i) => i.paymentId)).toEqual([ids.cash]);
    d = await call(rt, 'deposits.addItems', { depositId: opened.depositId, payments: [ids.cash!] });
    expect(d.totalCents).toBe(64_870);

    const closed = await call(rt, 'deposits.close', { depositId: opened.depositId });
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-11-20T15:00:00.000Z', closedBy: 'clerk.amy', itemCount: 3, totalCents: 64_870 });
    expect((await call(rt, 'deposits.undeposited', {})).items).toEqual([]);

    // Refused by the service...
    const add = await callError(rt, 'deposits.addItems', { depositId: opened.depositId, payments: [ids.cash!] });
    expect(add.code).toBe('CONFLICT');
    const remove = await callError(rt, 'deposits.removeItem', { depositId: opened.depositId, itemId: closed.items[0]!.itemId! });
    expect(remove).toMatchObject({ code: 'CONFLICT', message: `Deposit ${opened.depositId} is closed and cannot change; put a correction in a new deposit` });
    // ...and by the database itself.
    const raw = rawSql(rt.ledger);
    const item = closed.items[0]!;
    await expect(raw.run('DELETE FROM deposit_items WHERE id = ?', item.itemId)).rejects.toThrow(CLOSED);
    await expect(raw.run('UPDATE deposit_items SET amount_cents = 1 WHERE id = ?', item.itemId)).rejects.toThrow(CLOSED);
    await expect(
      raw.run(
        `INSERT INTO deposit_items (deposit_id, payment_id, reversal_id, amount_cents, added_at, added_by) VALUES (?, ?, NULL, 9900, '2026-11-20T15:00:00.000Z', 'x')`,
        opened.depositId,
        ids.wire,
      ),
    ).rejects.toThrow(CLOSED);
    await expect(raw.run(`UPDATE deposits SET status = 'open' WHERE id = ?`, opened.depositId)).rejects.toThrow(CLOSED);
    await expect(raw.run('DELETE FROM deposits WHERE id = ?', opened.depositId)).rejects.toThrow(/deposits are never deleted/);
    const after = await call(rt, 'deposits.get', { depositId: opened.depositId });
    expect(after).toMatchObject({ status: 'closed', itemCount: 3, totalCents: 64_870 });

    const audit = await rt.ledger.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'deposit').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['deposit.open', 'deposit.add_items', 'deposit.remove_item', 'deposit.add_items', 'deposit.close']);
    const list = await call(rt, 'deposits.list', {});
    expect(list.deposits).toEqual([{ depositId: opened.depositId, depositDate: '2026-11-20', status: 'closed', itemCount: 3, totalCents: 64_870, closedAt: '2026-11-20T15:00:00.000Z' }]);
    await expectHealthy(rt.ledger.db);
  });

  it('opens a batch with what was received by its date, and prints a slip listing each check, the cash and the totals', async () => {
    const early = await call(rt, 'deposits.open', { depositDate: '2026-11-18' });
    expect(early.items.map((i) => i.checkNumber)).toEqual(['2201']);
    const d = await call(rt, 'deposits.open', {});
    expect(d).toMatchObject({ itemCount: 2, checkCount: 1, checksCents: 45_000, cashCents: 7_525, totalCents: 52_525 });
    await call(rt, 'deposits.removeItem', { depositId: early.depositId, itemId: early.items[0]!.itemId! });
    const full = await call(rt, 'deposits.addItems', { depositId: d.depositId, payments: [ids.check1!] });
    expect(full.totalCents).toBe(64_870);
    await call(rt, 'deposits.close', { depositId: d.depositId });

    const slip = await call(rt, 'deposits.slip', { depositId: d.depositId });
    expect(slip.fileName).toBe(`deposit-${d.depositId}-2026-11-20.pdf`);
    const text = pdfText(keepPdf(`deposit-slip-${rt.ledger.dialect}`, Buffer.from(slip.base64, 'base64'))).replace(/[ \t]+/g, ' ');
    expect(text).toContain('DEPOSIT SLIP');
    expect(text).toMatch(/Deposit date \S*2026|Deposit date 11\/20\/2026|Deposit date Nov/);
    expect(text).toContain('2201 First Federal Bank Harbor Lane Dental LLC (CL3001)');
    expect(text).toContain('$123.45');
    expect(text).toContain('88817 Coastal Credit Union Birchwood Veterinary (CL3002)');
    expect(text).toContain('$450.00');
    expect(text).toMatch(/Checks total, 2 items \$573\.45/);
    expect(text).toMatch(/Checks 2 \$573\.45/);
    expect(text).toMatch(/Cash 1 \$75\.25/);
    expect(text).toMatch(/Total deposit 3 items \$648\.70/);
  });

  it('puts a check the bank returned after its deposit into a new batch as a negative correction', async () => {
    const d = await call(rt, 'deposits.open', {});
    await call(rt, 'deposits.close', { depositId: d.depositId });
    await call(rt, 'payments.returnCheck', { paymentId: ids.check2!, reason: 'Account closed' });
    const waiting = await call(rt, 'deposits.undeposited', {});
    expect(waiting.items).toHaveLength(1);
    expect(waiting.items[0]).toMatchObject({ paymentId: ids.check2, checkNumber: '88817', amountCents: -45_000 });
    const correction = await call(rt, 'deposits.open', { empty: true });
    const withIt = await call(rt, 'deposits.addItems', { depositId: correction.depositId, reversals: [waiting.items[0]!.reversalId!] });
    expect(withIt).toMatchObject({ itemCount: 1, totalCents: -45_000 });
    const first = await call(rt, 'deposits.get', { depositId: d.depositId });
    expect(first.totalCents).toBe(64_870);
    await expectHealthy(rt.ledger.db);
  });
});
