import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorklistDto } from '../../../src/shared/contract/dunning';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { addStaff, callAs, errorOf, sessionOf } from '../../helpers/staff-fixtures';
import { customerInput, expectHealthy, invoiceInput } from '../ledger/fixtures';

// As of Oct 20, 2026: BR7001 owes $50.00 due Sep 1 (49 days), AK5521 $500.00 and CL1042 $100.00 due
// Oct 1 (19 days); DM3300's $70.00 is not due until Nov 20 and EV4400's only invoice is disputed.
let rt: TestRuntime;
let clerk: string;
let supervisor: string;
let admin: string;
const ASOF = '2026-10-20';
beforeEach(async () => {
  rt = await openTestRuntime({ now: `${ASOF}T15:00:00Z` });
  const owing: [string, string, number, string][] = [
    ['CL1042', 'Clearwater Landscaping LLC', 10_000, '2026-10-01'],
    ['AK5521', 'Alder Kitchen', 50_000, '2026-10-01'],
    ['BR7001', 'Birch Roofing', 5_000, '2026-09-01'],
    ['DM3300', 'Delta Mowing', 7_000, '2026-11-20'],
    ['EV4400', 'Evergreen Vets', 9_000, '2026-09-15'],
  ];
  for (const [number, name, cents, due] of owing) {
    await rt.core.customers.create(customerInput({ customerNumber: number, legalName: name, email: `ap@${number.toLowerCase()}.example` }), 'dana');
    await rt.core.invoices.create(invoiceInput(number, cents, { issueDate: '2026-08-01', dueDate: due }), 'dana');
  }
  const ev = await rawSql(rt.ledger).get<{ invoice_number: string }>("SELECT i.invoice_number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.customer_number = 'EV4400'");
  await rt.core.disputes.open({ customerNumber: 'EV4400', invoiceNumbers: [ev!.invoice_number], reason: 'Billed twice' }, 'dana');
  await rt.core.billing.run({ asOf: ASOF, dryRun: false }, 'billing-schedule');
  await addStaff(rt, 'lee', 'admin');
  await addStaff(rt, 'amy', 'clerk');
  await addStaff(rt, 'sue', 'supervisor');
  clerk = await sessionOf(rt, 'amy');
  supervisor = await sessionOf(rt, 'sue');
  admin = await sessionOf(rt, 'lee');
});
afterEach(async () => {
  await rt.dispose();
});

async function worklist(input: Record<string, unknown> = {}): Promise<WorklistDto> {
  const r = await callAs(rt, clerk, 'collections.worklist', input);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as WorklistDto;
}
const numbers = (w: WorklistDto) => w.rows.map((r) => r.customerNumber);

describe('the collections worklist', () => {
  it('lists the past-due accounts, most days past due first, then the largest amount, with level and next action', async () => {
    const w = await worklist();
    expect(w.total).toBe(3);
    expect(w.rows.map((r) => [r.customerNumber, r.daysPastDue, r.pastDueCents, r.level])).toEqual([
      ['BR7001', 49, 5_000, 3],
      ['AK5521', 19, 50_000, 1],
      ['CL1042', 19, 10_000, 1],
    ]);
    expect(w.rows[0]!.nextAction).toEqual({ kind: 'call-task', since: ASOF });
    expect(w.rows[1]).toMatchObject({ legalName: 'Alder Kitchen', oldestDueDate: '2026-10-01', pastDueInvoices: 1, lastContact: null, openPromise: null, assignedTo: null, noFollowUp: false, suspendedOn: null });
    expect(w.rows[1]!.nextAction).toEqual({ kind: 'level', level: 2, action: 'letter', on: '2026-10-31' });
  });

  it('filters by level, minimum amount and assigned clerk, and serves a window with the total', async () => {
    expect(numbers(await worklist({ level: 1 }))).toEqual(['AK5521', 'CL1042']);
    expect(numbers(await worklist({ minCents: 10_000 }))).toEqual(['AK5521', 'CL1042']);
    expect(numbers(await worklist({ minCents: 10_001 }))).toEqual(['AK5521']);
    const assigned = await callAs(rt, supervisor, 'collections.assign', { customerNumber: 'ak5521', assignedTo: 'amy' });
    expect(assigned.ok && assigned.data).toEqual({ customerNumber: 'AK5521', assignedTo: 'amy' });
    expect(numbers(await worklist({ assignedTo: 'amy' }))).toEqual(['AK5521']);
    expect(numbers(await worklist({ assignedTo: '' }))).toEqual(['BR7001', 'CL1042']);
    expect((await worklist({ assignedTo: 'amy' })).rows[0]!.assignedTo).toBe('amy');
    const page = await worklist({ limit: 1, offset: 1 });
    expect([page.total, page.offset, numbers(page)]).toEqual([3, 1, ['AK5521']]);
    expect(numbers(await worklist({ limit: 2, offset: 2 }))).toEqual(['CL1042']);
    expect(await worklist({ level: 2 })).toMatchObject({ total: 0, rows: [] });
    const audit = await rawSql(rt.ledger).get<{ actor: string; summary: string }>("SELECT actor, summary FROM audit_log WHERE action = 'collections.assign'");
    expect(audit!.actor).toBe('sue');
    expect(JSON.parse(audit!.summary)).toEqual({ customerNumber: 'AK5521', assignedTo: 'amy' });
  });

  it('logging a call adds a note to the account: the call task is done and the call is the last contact; an open promise shows', async () => {
    const call = await callAs(rt, clerk, 'notes.add', { customerNumber: 'BR7001', kind: 'call', text: 'Spoke to the owner; paying Friday' });
    expect(call.ok).toBe(true);
    await callAs(rt, clerk, 'notes.add', { customerNumber: 'CL1042', kind: 'promise', text: 'Will pay in full', promisedOn: '2026-10-25', promisedCents: 10_000 });
    const w = await worklist();
    expect(w.rows[0]).toMatchObject({ customerNumber: 'BR7001', nextAction: null, lastContact: { kind: 'call', by: 'amy', text: 'Spoke to the owner; paying Friday' } });
    expect(w.rows[2]).toMatchObject({ customerNumber: 'CL1042', openPromise: { promisedOn: '2026-10-25', promisedCents: 10_000 } });
    await expectHealthy(rt);
  });

  it('assigning and the no-follow-up flag are a supervisor’s; the levels are an admin’s', async () => {
    expect(errorOf(await callAs(rt, clerk, 'collections.assign', { customerNumber: 'AK5521', assignedTo: 'amy' })).code).toBe('FORBIDDEN');
    expect(errorOf(await callAs(rt, clerk, 'collections.setNoFollowUp', { customerNumber: 'AK5521', noFollowUp: true })).code).toBe('FORBIDDEN');
    expect(errorOf(await callAs(rt, supervisor, 'dunning.setLevels', { levels: [], suspendAtLevel: null })).code).toBe('FORBIDDEN');
    expect(errorOf(await callAs(rt, supervisor, 'collections.assign', { customerNumber: 'AK5521', assignedTo: 'nobody' })).code).toBe('VALIDATION');
    const set = await callAs(rt, admin, 'dunning.setLevels', { levels: [{ daysPastDue: 10, action: 'call' }], suspendAtLevel: 1 });
    expect(set.ok && set.data).toMatchObject({ levels: [{ level: 1, daysPastDue: 10, action: 'call', feeFixedCents: 0 }], suspendAtLevel: 1, updatedBy: 'lee' });
    const read = await callAs(rt, clerk, 'dunning.levels', {});
    expect(read.ok && (read.data as { levels: unknown[] }).levels).toHaveLength(1);
    const flagged = await callAs(rt, supervisor, 'collections.setNoFollowUp', { customerNumber: 'AK5521', noFollowUp: true });
    expect(flagged.ok).toBe(true);
    expect((await worklist()).rows.find((r) => r.customerNumber === 'AK5521')!.noFollowUp).toBe(true);
  });
});
