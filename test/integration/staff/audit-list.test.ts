import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntryDto, AuditPageDto } from '../../../src/shared/contract/audit';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { addStaff, callAs, errorOf, sessionOf } from '../../helpers/staff-fixtures';
import { rawSql } from '../../helpers/sql';
import { testEngine } from '../../helpers/engine';

let rt: TestRuntime;
let admin: string;
beforeEach(async () => {
  rt = await openTestRuntime();
  await addStaff(rt, 'dana', 'admin');
  await addStaff(rt, 'sue', 'supervisor');
  admin = await sessionOf(rt, 'dana');
  // A morning of work, one call a minute: customers, a refused void, an email, as two people.
  const sue = await sessionOf(rt, 'sue');
  for (const [i, n] of ['CL1042', 'TO0007', 'HB2001'].entries()) {
    rt.clock.advance(60_000);
    await callAs(rt, admin, 'customers.create', { customerNumber: n, legalName: `Customer ${i}`, email: `ap${i}@example.com` });
  }
  rt.clock.advance(60_000);
  await callAs(rt, sue, 'customers.update', { customerNumber: 'CL1042', changes: { phone: '(503) 555-0100' } });
  rt.clock.advance(60_000);
  await callAs(rt, sue, 'invoices.void', { invoiceNumber: 'INV-404', reason: 'wrong' });
  rt.clock.advance(60_000);
  await callAs(rt, sue, 'documents.emailStatement', { customerNumber: 'TO0007' });
});
afterEach(async () => {
  await rt.dispose();
});

async function list(input: object): Promise<AuditPageDto> {
  const r = await callAs(rt, admin, 'audit.list', input);
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
  return r.data as AuditPageDto;
}

describe('audit.list', () => {
  it('answers newest first with who, approved by, what, target, outcome and workstation', async () => {
    const { entries } = await list({});
    const ats = entries.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const update = entries.find((e) => e.action === 'customer.update')!;
    expect(update).toMatchObject({
      actor: { username: 'sue', name: 'Sue Tester' },
      approvedBy: null,
      target: { type: 'customer', id: 'CL1042', customerNumber: 'CL1042' },
      outcome: { result: 'success', errorCode: null },
      workstation: rt.core.deps.workstation,
    });
    expect(update.actor.id).toEqual(expect.any(Number));
    expect(entries.find((e) => e.action === 'invoices.void')).toMatchObject({ actor: { username: 'sue' }, target: { type: 'invoice', id: 'INV-404' }, outcome: { result: 'failure', errorCode: 'NOT_FOUND' } });
  });

  it('filters by person, action, customer and date, and pages by cursor without gaps or repeats', async () => {
    expect((await list({ actor: 'sue' })).entries.every((e) => e.actor.username === 'sue')).toBe(true);
    expect((await list({ action: 'customer.create' })).entries.map((e) => e.target.id)).toEqual(['HB2001', 'TO0007', 'CL1042']);
    const cl1042 = (await list({ customerNumber: 'cl1042' })).entries.map((e) => e.action);
    expect(cl1042).toEqual(['customer.update', 'customer.create']);
    expect((await list({ customerNumber: 'TO0007' })).entries.map((e) => e.action)).toContain('email.queue');
    expect((await list({ from: '2026-11-21' })).entries).toEqual([]);
    expect((await list({ to: '2026-11-19' })).entries).toEqual([]);
    const sameDay = (await list({ from: '2026-11-20', to: '2026-11-20' })).entries;
    const everything = (await list({})).entries;
    // Everything happened today; the one row more is the audit row of the same-day listing itself.
    expect(sameDay.length).toBe(everything.length - 1);
    const instant = (await list({ to: '2026-11-20T15:02:00Z', action: 'customer.create' })).entries.map((e) => e.target.id);
    expect(instant).toEqual(['TO0007', 'CL1042']);

    const seen: AuditEntryDto[] = [];
    let cursor: string | undefined;
    let pages = 0;
    const all = (await list({ action: 'customer.create', limit: 500 })).entries;
    do {
      const page = await list({ action: 'customer.create', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('is itself audited, refuses a forged cursor, and is for supervisors and administrators', async () => {
    await list({ actor: 'sue' });
    const viewed = await list({ action: 'audit.list' });
    expect(viewed.entries[0]).toMatchObject({ actor: { username: 'dana' }, details: { input: { actor: 'sue' } } });
    expect(errorOf(await callAs(rt, admin, 'audit.list', { cursor: 'not-a-cursor' })).code).toBe('VALIDATION');
    expect(errorOf(await callAs(rt, admin, 'audit.list', { limit: 501 })).code).toBe('VALIDATION');
    await addStaff(rt, 'amy', 'clerk');
    expect(errorOf(await callAs(rt, await sessionOf(rt, 'amy'), 'audit.list', {}))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
  });

  // SQLite's plan; on PostgreSQL the planner's choice depends on the table's statistics, and the
  // benchmark measures audit.list at a million rows instead.
  it.runIf(testEngine === 'sqlite')('walks an index for every filter, newest first, without sorting', async () => {
    const plan = async (where: string) =>
      ((await rawSql(rt.ledger).all(`EXPLAIN QUERY PLAN SELECT * FROM audit_log ${where} ORDER BY at DESC, id DESC LIMIT 101`)) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(await plan('')).toMatch(/USING INDEX audit_log_at\b/);
    expect(await plan(`WHERE actor = 'sue'`)).toMatch(/USING INDEX audit_log_actor_at/);
    expect(await plan(`WHERE action = 'auth.signIn'`)).toMatch(/USING INDEX audit_log_action_at/);
    expect(await plan(`WHERE customer_number = 'CL1042'`)).toMatch(/USING INDEX audit_log_customer_at/);
    expect(await plan(`WHERE at >= '2026-01-01' AND at < '2026-02-01'`)).toMatch(/USING INDEX audit_log_at/);
    expect(await plan(`WHERE actor = 'sue' AND (at, id) < ('2026-11-20', 9)`)).toMatch(/audit_log_actor_at \(actor=\? AND at<\?\)/);
    for (const where of ['', `WHERE actor = 'sue'`, `WHERE action = 'x'`, `WHERE customer_number = 'CL1042'`]) expect(await plan(where)).not.toMatch(/TEMP B-TREE/);
  });
});
