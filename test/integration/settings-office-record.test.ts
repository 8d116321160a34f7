import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import { memorySettingsStore } from '../../src/main/settings/settings.store';
import type { SettingsView } from '../../src/shared/contract/settings';
import type { StaffRole } from '../../src/shared/contract/auth';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/shared/settings';
import type { Envelope } from '../../src/shared/errors';
import { asStaff } from '../helpers/dispatch';
import { listenTo, openSharedLedger, waitFor, type SharedLedger } from '../helpers/shared-ledger';
import type { TestRuntime } from '../helpers/runtime';
import { openTestOffice } from '../helpers/office';

// The office's settings are one record in the ledger, shared by every workstation on it: made once
// from the first workstation's config.json, saved with a version, refreshed through the change feed.

const offices: SharedLedger[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const office of offices.splice(0)) await office.dispose();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A workstation's own config.json, with office values of its own (what an office had before the record). */
function configWith(name: string, policy: Partial<AppSettings['policy']> = {}) {
  return memorySettingsStore({
    company: { ...DEFAULT_SETTINGS.company, name },
    policy: { ...DEFAULT_SETTINGS.policy, ...policy },
    numberFormat: 'en-US',
  });
}

async function office(a = configWith('Cascade Billing Co.'), b = configWith('Other Desk Inc.')): Promise<SharedLedger> {
  const shared = await openSharedLedger({ a: { settings: a, workstation: 'ws-front' }, b: { settings: b, workstation: 'ws-back' } });
  offices.push(shared);
  return shared;
}

const call = (rt: TestRuntime, channel: string, input: unknown, who = 'admin.lee', role: StaffRole = 'admin'): Promise<Envelope<SettingsView>> =>
  dispatch(createDispatcher(rt.core), channel, input, asStaff(who, role)) as Promise<Envelope<SettingsView>>;

async function recordRows(rt: TestRuntime) {
  return rt.ledger.db.selectFrom('office_settings').selectAll().execute();
}

async function officeAudit(rt: TestRuntime) {
  return rt.ledger.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'entity_id', 'outcome', 'error_code', 'summary', 'workstation'])
    .where('action', 'like', 'settings.%')
    .orderBy('id')
    .execute();
}

describe('the office settings record', () => {
  it('is made once, from the first workstation’s config.json, and every later workstation reads it', async () => {
    const { a, b, open } = await office(configWith('Cascade Billing Co.', { writeOffLimitCents: 4_000 }));
    const rows = await recordRows(a);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 1, version: 1, updated_by: 'workstation ws-front' });
    expect(JSON.parse(rows[0]!.settings)).toMatchObject({ company: { name: 'Cascade Billing Co.' }, policy: { writeOffLimitCents: 4_000 } });
    // The second workstation's own office values are not used: the record is the office's.
    expect(b.core.settings.get().settings.company.name).toBe('Cascade Billing Co.');
    expect(b.core.settings.get().settings.policy.writeOffLimitCents).toBe(4_000);
    expect(b.core.settings.get().office).toEqual({ version: 1, updatedAt: '2026-11-20T15:00:00.000Z', updatedBy: 'workstation ws-front' });
    // Three more starting at once, each with other values, agree on the one record.
    const more = await Promise.all(['One', 'Two', 'Three'].map((n) => open({ settings: configWith(`Desk ${n}`), workstation: `ws-${n}` })));
    for (const rt of more) expect(rt.core.settings.get().settings.company.name).toBe('Cascade Billing Co.');
    expect(await recordRows(a)).toHaveLength(1);
    expect((await recordRows(a))[0]!.version).toBe(1);
  });

  it('keeps each workstation’s own settings (number format, printing) in its own config.json', async () => {
    const bStore = configWith('Other Desk Inc.');
    const { a, b } = await office(undefined, bStore);
    expect(await call(b, 'settings.update', { changes: { numberFormat: 'de-DE' } })).toMatchObject({ ok: true });
    expect(bStore.get().numberFormat).toBe('de-DE');
    expect(b.core.settings.get().settings.numberFormat).toBe('de-DE');
    expect(a.core.settings.get().settings.numberFormat).toBe('en-US');
    expect((await recordRows(a))[0]!.version).toBe(1);
  });

  it('gives another workstation a save through its change feed, and a workstation started later through its first read', async () => {
    const { a, b, open } = await office();
    const heard = await listenTo(b);
    try {
      const saved = await call(a, 'settings.updateOffice', { changes: { policy: { writeOffLimit: '$75.50', lateGraceDays: '10', billingLeadDays: '5' } }, officeVersion: 1 });
      expect(saved).toMatchObject({ ok: true, data: { office: { version: 2, updatedBy: 'admin.lee' } } });
      expect(a.core.settings.get().settings.policy).toEqual({ exactInvoicePayments: true, overpayment: 'refuse', writeOffLimitCents: 7_550, lateGraceDays: 10, billingLeadDays: 5, invoiceDelivery: 'paper', autopayChargeOn: 'due_date', autopayRetryDays: [1, 9, 13, 20] });
      await heard.next((batch) => batch.entities.includes('office_settings'), 5_000);
      // By the time the screens hear of the change, main has read the record again.
      expect(b.core.settings.get().settings.policy).toEqual({ exactInvoicePayments: true, overpayment: 'refuse', writeOffLimitCents: 7_550, lateGraceDays: 10, billingLeadDays: 5, invoiceDelivery: 'paper', autopayChargeOn: 'due_date', autopayRetryDays: [1, 9, 13, 20] });
      expect(b.core.settings.get().office?.version).toBe(2);
    } finally {
      heard.stop();
    }
    const later = await open({ settings: configWith('Late Desk') });
    expect(later.core.settings.get().settings.policy.writeOffLimitCents).toBe(7_550);
    expect(later.core.deps.settings.get().policy.lateGraceDays).toBe(10);
    expect(later.core.deps.settings.get().policy.billingLeadDays).toBe(5);
  });

  it('refuses a save made from a version another workstation has saved over, saying so, and keeps the first save', async () => {
    const { a, b } = await office();
    expect(await call(a, 'settings.updateOffice', { changes: { company: { phone: '(541) 555-0110' } }, officeVersion: 1 })).toMatchObject({ ok: true });
    // b's screen was opened at version 1 and has not heard of a's save yet.
    const late = await call(b, 'settings.updateOffice', { changes: { company: { phone: '(541) 555-0199' } }, officeVersion: 1 }, 'admin.kim');
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { officeVersion: 2 } } });
    if (late.ok) throw new Error('expected a refusal');
    expect(late.error.message).toBe(
      'The office settings were changed meanwhile (by admin.lee at 2026-11-20T15:00:00.000Z). Reload them and make your change again.',
    );
    const rows = await recordRows(a);
    expect(rows[0]!.version).toBe(2);
    expect(JSON.parse(rows[0]!.settings).company.phone).toBe('(541) 555-0110');
    expect((await officeAudit(a)).map((r) => [r.actor, r.action, r.outcome, r.error_code])).toEqual([
      ['admin.lee', 'settings.updateOffice', 'success', null],
      ['admin.kim', 'settings.updateOffice', 'failure', 'CONFLICT'],
    ]);
    // Reloaded (version 2), the same change goes through.
    expect(await call(b, 'settings.updateOffice', { changes: { company: { phone: '(541) 555-0199' } }, officeVersion: 2 }, 'admin.kim')).toMatchObject({
      ok: true,
      data: { office: { version: 3 }, settings: { company: { phone: '(541) 555-0199' } } },
    });
  });

  it('lets exactly one of two saves made at once from the same version through', async () => {
    // One connection per engine as an office has it (openTestOffice): on SQLite two connections in
    // one thread cannot wait for each other's write lock, as two workstations' processes do.
    const shared = await openTestOffice(['ws-front', 'ws-back'], { each: (id) => ({ settings: configWith(id) }) });
    cleanups.push(() => shared.dispose());
    const [a, b] = shared.workstations as [TestRuntime, TestRuntime];
    const results = await Promise.all([
      call(a, 'settings.updateOffice', { changes: { policy: { writeOffLimit: '100' } }, officeVersion: 1 }),
      call(b, 'settings.updateOffice', { changes: { policy: { writeOffLimit: '200' } }, officeVersion: 1 }, 'admin.kim'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual(['CONFLICT']);
    const winner = results[0]!.ok ? 10_000 : 20_000;
    const rows = await recordRows(a);
    expect(rows[0]!.version).toBe(2);
    expect(JSON.parse(rows[0]!.settings).policy.writeOffLimitCents).toBe(winner);
  });
});

describe('the house rules', () => {
  it('takes the write-off limit as typed money and the grace days, and audits each change from and to', async () => {
    const { a } = await office();
    for (const [typed, cents] of [['$25.00', 2_500], ['25', 2_500], ['1,000', 100_000], ['0', 0], ['$1,000,000.00', 100_000_000], ['12.5', 1_250]] as const) {
      const r = await call(a, 'settings.updateOffice', { changes: { policy: { writeOffLimit: typed } } });
      expect(r, typed).toMatchObject({ ok: true });
      expect(a.core.settings.get().settings.policy.writeOffLimitCents, typed).toBe(cents);
    }
    const r = await call(a, 'settings.updateOffice', {
      changes: { policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit', lateGraceDays: '7', billingLeadDays: '3' } },
    });
    expect(r).toMatchObject({ ok: true, data: { settings: { policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit', writeOffLimitCents: 1_250, lateGraceDays: 7, billingLeadDays: 3 } } } });
    const audit = await officeAudit(a);
    // '25' after '$25.00' changed nothing: no row.
    expect(audit.map((x) => JSON.parse(x.summary).changes)).toEqual([
      { 'policy.writeOffLimitCents': { from: 2_500, to: 100_000 } },
      { 'policy.writeOffLimitCents': { from: 100_000, to: 0 } },
      { 'policy.writeOffLimitCents': { from: 0, to: 100_000_000 } },
      { 'policy.writeOffLimitCents': { from: 100_000_000, to: 1_250 } },
      {
        'policy.exactInvoicePayments': { from: true, to: false },
        'policy.overpayment': { from: 'refuse', to: 'unapplied_credit' },
        'policy.lateGraceDays': { from: 0, to: 7 },
        'policy.billingLeadDays': { from: 0, to: 3 },
      },
    ]);
    expect(audit.every((x) => x.action === 'settings.updateOffice' && x.entity_id === 'office' && x.actor === 'admin.lee' && x.workstation === 'ws-front')).toBe(true);
    // The payment quote follows the new house rules at once.
    expect(a.core.deps.settings.get().policy.overpayment).toBe('unapplied_credit');
  });

  it('refuses a negative, too large or non-money limit, grace days outside 0..90 and lead days outside 0..30 at their fields, changing nothing', async () => {
    const { a } = await office();
    const cases: [Record<string, string>, Record<string, unknown>][] = [
      [{ writeOffLimit: '-5' }, { 'policy.writeOffLimit': '"-5" is negative; enter 0 for no write-offs, or a limit up to $1,000,000.00' }],
      [{ writeOffLimit: '1000000.01' }, { 'policy.writeOffLimit': '"1000000.01" is over the highest limit, $1,000,000.00' }],
      [{ writeOffLimit: 'twenty' }, { 'policy.writeOffLimit': '"twenty" is not an amount in dollars and cents (e.g. 1,234.50)' }],
      [{ writeOffLimit: '25.001' }, { 'policy.writeOffLimit': '"25.001" has more than 2 decimal places' }],
      [{ writeOffLimit: '' }, { 'policy.writeOffLimit': expect.stringContaining('enter the largest balance') }],
      [{ lateGraceDays: '91' }, { 'policy.lateGraceDays': 'must be from 0 to 90 days (you typed 91)' }],
      [{ lateGraceDays: '-1' }, { 'policy.lateGraceDays': 'must be from 0 to 90 days (you typed -1)' }],
      [{ lateGraceDays: '2.5' }, { 'policy.lateGraceDays': '"2.5" is not a whole number of days from 0 to 90' }],
      [{ billingLeadDays: '31' }, { 'policy.billingLeadDays': 'must be from 0 to 30 days (you typed 31)' }],
      [{ billingLeadDays: '-1' }, { 'policy.billingLeadDays': 'must be from 0 to 30 days (you typed -1)' }],
      [{ billingLeadDays: 'a week' }, { 'policy.billingLeadDays': '"a week" is not a whole number of days from 0 to 30' }],
      [{ billingLeadDays: '' }, { 'policy.billingLeadDays': 'enter the number of days, from 0 to 30' }],
      [
        { writeOffLimit: '-1', lateGraceDays: 'x' },
        { 'policy.writeOffLimit': expect.stringContaining('is negative'), 'policy.lateGraceDays': '"x" is not a whole number of days from 0 to 90' },
      ],
    ];
    for (const [policy, fields] of cases) {
      const r = await call(a, 'settings.updateOffice', { changes: { policy, company: { phone: '(541) 555-0123' } } });
      expect(r, JSON.stringify(policy)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!r.ok) expect(r.error.details, JSON.stringify(policy)).toEqual({ fields });
    }
    // All or nothing: the phone typed with the bad rule was not saved either.
    const rows = await recordRows(a);
    expect(rows[0]!.version).toBe(1);
    expect(JSON.parse(rows[0]!.settings).policy).toEqual(DEFAULT_SETTINGS.policy);
    expect(a.core.settings.get().settings.company.phone).toBe(DEFAULT_SETTINGS.company.phone);
    expect((await officeAudit(a)).every((x) => x.outcome === 'failure' && x.error_code === 'VALIDATION')).toBe(true);
  });

  it('refuses a clerk and a supervisor, who may only read them', async () => {
    const { a } = await office();
    for (const role of ['clerk', 'supervisor'] as const) {
      const r = await call(a, 'settings.updateOffice', { changes: { policy: { writeOffLimit: '500' } } }, `${role}.pat`, role);
      expect(r, role).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call(a, 'settings.get', {}, `${role}.pat`, role), role).toMatchObject({ ok: true, data: { settings: { policy: { writeOffLimitCents: 2_500 } } } });
    }
    expect((await recordRows(a))[0]!.version).toBe(1);
    expect((await officeAudit(a)).map((x) => [x.actor, x.outcome, x.error_code])).toEqual([
      ['clerk.pat', 'failure', 'FORBIDDEN'],
      ['supervisor.pat', 'failure', 'FORBIDDEN'],
    ]);
  });
});

describe('a record this version cannot fully read', () => {
  it('falls back setting by setting, and keeps what a newer version wrote when it saves', async () => {
    const { a, b } = await office(configWith('Cascade Billing Co.', { writeOffLimitCents: 3_000 }), configWith('Other Desk Inc.', { writeOffLimitCents: 9_900 }));
    const stored = {
      ...JSON.parse((await recordRows(a))[0]!.settings),
      // A newer version's setting, and a house rule it added.
      remittance: { lockbox: 'PO Box 1' },
      policy: { exactInvoicePayments: false, overpayment: 'refuse', writeOffLimitCents: -3, lateGraceDays: 5, autoWriteOff: true },
      company: { ...DEFAULT_SETTINGS.company, name: 'Cascade Billing Co.', motto: 'Paid on time' },
    };
    await a.ledger.db.updateTable('office_settings').set({ settings: JSON.stringify(stored), version: 7 }).where('id', '=', 1).execute();
    await b.core.office.reload();
    const read = b.core.settings.get().settings;
    // The policy cannot be read (a negative limit): this workstation's own policy stands in for it.
    expect(read.policy).toEqual({ ...DEFAULT_SETTINGS.policy, writeOffLimitCents: 9_900 });
    expect(read.company.name).toBe('Cascade Billing Co.');
    expect(await call(b, 'settings.updateOffice', { changes: { company: { phone: '(541) 555-0177' } }, officeVersion: 7 })).toMatchObject({ ok: true });
    const saved = JSON.parse((await recordRows(a))[0]!.settings);
    expect(saved.remittance).toEqual({ lockbox: 'PO Box 1' });
    expect(saved.company).toMatchObject({ motto: 'Paid on time', phone: '(541) 555-0177' });
    expect(saved.policy).toMatchObject({ autoWriteOff: true, writeOffLimitCents: 9_900 });
  });

  it('uses the workstation’s own values when the record is not JSON, until an administrator saves it again', async () => {
    const { a, b } = await office();
    await a.ledger.db.updateTable('office_settings').set({ settings: '{ broken', version: 2 }).where('id', '=', 1).execute();
    await b.core.office.reload();
    expect(b.core.settings.get().settings.company.name).toBe('Other Desk Inc.');
    expect(await call(b, 'settings.updateOffice', { changes: { company: { name: 'Cascade Billing Co.' } }, officeVersion: 2 })).toMatchObject({ ok: true });
    expect(JSON.parse((await recordRows(a))[0]!.settings).company.name).toBe('Cascade Billing Co.');
    await a.core.office.reload();
    await waitFor(() => a.core.settings.get().settings.company.name === 'Cascade Billing Co.', 1_000, 'the saved name');
  });
});
