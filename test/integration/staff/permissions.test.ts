import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHANNEL_NAMES, contract, type ChannelName } from '../../../src/shared/contract';
import { STAFF_ROLES, type StaffRole } from '../../../src/shared/contract/auth';
import { PERMISSIONS, roleAtLeast } from '../../../src/main/staff/permissions';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { addCustomer } from '../../helpers/payments-fixtures';
import { addStaff, auditRows, callAs } from '../../helpers/staff-fixtures';

let rt: TestRuntime;
const ids: Record<StaffRole, number> = { clerk: 0, supervisor: 0, admin: 0 };
beforeAll(async () => {
  rt = await openTestRuntime({ totpKey: () => Buffer.alloc(32, 7) });
  ids.admin = (await addStaff(rt, 'dana', 'admin')).id;
  ids.supervisor = (await addStaff(rt, 'sue', 'supervisor')).id;
  ids.clerk = (await addStaff(rt, 'amy', 'clerk')).id;
});
afterAll(async () => {
  await rt.dispose();
});

/** A signed-in session of its own for each call, so a sign-out or a lock does not spill into the next row. */
function session(role: StaffRole): string {
  return rt.core.staff.sessions.create(ids[role], { kind: 'token' }).token;
}

/** What the table says a role gets: through, or refused naming what it needs. */
function expected(channel: ChannelName, role: StaffRole): { through: true } | { through: false; needs: string } {
  const p = PERMISSIONS[channel];
  if (p.needs === 'nobody' || p.needs === 'signed-in') return { through: true };
  if (p.needs === 'first-run') return { through: false, needs: 'first_run' };
  if (roleAtLeast(role, p.needs)) return { through: true };
  return { through: false, needs: p.approval ? 'supervisor_approval' : p.needs };
}

describe('the permission table', () => {
  it('has a row for every channel of the contract and none besides', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('lets exactly the approvable channels carry an approval in their input', () => {
    for (const channel of CHANNEL_NAMES) {
      const input = contract[channel].input;
      const carries = input instanceof z.ZodObject && 'approval' in input.shape;
      expect(carries, channel).toBe(PERMISSIONS[channel].approval === true);
      if (PERMISSIONS[channel].approval) expect(PERMISSIONS[channel].needs, channel).toBe('supervisor');
    }
  });

  it('answers UNAUTHENTICATED without a session on every channel but app.info, auth.status, auth.signIn and the first-run setup', async () => {
    const open: string[] = [];
    for (const channel of CHANNEL_NAMES) {
      const r = await callAs(rt, null, channel, {});
      if (r.ok || r.error.code !== 'UNAUTHENTICATED') open.push(channel);
    }
    expect(open.sort()).toEqual(['app.info', 'auth.setupFirstAdmin', 'auth.signIn', 'auth.status']);
  });
});

describe('every channel as clerk, supervisor and admin', () => {
  for (const channel of CHANNEL_NAMES) {
    const p = PERMISSIONS[channel];
    const rule = `${p.needs}${p.approval ? ' (a clerk with approval)' : ''}`;
    it(`${channel}: ${rule}`, async () => {
      for (const role of STAFF_ROLES) {
        const before = (await auditRows(rt)).length;
        const r = await callAs(rt, session(role), channel, {});
        const want = expected(channel, role);
        const code = r.ok ? 'ok' : r.error.code;
        expect(code, `${channel} as ${role}`).not.toBe('INTERNAL');
        if (want.through) {
          expect(['FORBIDDEN', 'UNAUTHENTICATED'], `${channel} as ${role}: ${JSON.stringify(r)}`).not.toContain(code);
        } else {
          expect(r, `${channel} as ${role}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { needs: want.needs } } });
          const rows = (await auditRows(rt)).slice(before);
          expect(rows.map((x) => [x.action, x.outcome, x.error_code]), `${channel} as ${role}: the refusal is audited`).toEqual([[channel, 'failure', 'FORBIDDEN']]);
        }
      }
    });
  }
});

describe('who bills a customer', () => {
  it('lets a clerk preview and create an invoice, and keeps a credit memo a supervisor’s (or a clerk’s with approval)', async () => {
    await addCustomer(rt.ledger.db, 'CL7001', 'Juniper Street Clinic');
    const lines = [{ description: 'Monthly service', quantity: 1, unitPriceCents: 12_500, taxable: false }];
    const clerk = session('clerk');
    const preview = await callAs(rt, clerk, 'invoices.preview', { customerNumber: 'CL7001', lines });
    expect(preview).toMatchObject({ ok: true, data: { totalCents: 12_500 } });
    const created = await callAs(rt, clerk, 'invoices.create', { customerNumber: 'CL7001', lines });
    expect(created).toMatchObject({ ok: true, data: { customerNumber: 'CL7001', totalCents: 12_500, createdBy: 'amy' } });
    expect((await auditRows(rt, 'invoice.create')).at(-1)).toMatchObject({ actor: 'amy', outcome: 'success' });

    const credit = await callAs(rt, clerk, 'credits.create', { customerNumber: 'CL7001', amountCents: 1_000, reason: 'Goodwill' });
    expect(credit).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } } });
  });
});
