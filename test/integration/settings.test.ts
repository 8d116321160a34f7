import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime';
import { asStaff } from '../helpers/dispatch';

let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-11-21T03:30:00Z' });
});
afterEach(async () => {
  await rt.dispose();
});

const call = (channel: string, input: unknown) =>
  dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));

describe('settings channels', () => {
  it('reports the settings, the editable keys and today in the settings time zone', async () => {
    const res = await call('settings.get', {});
    expect(res).toMatchObject({
      ok: true,
      data: {
        settings: { timeZone: 'America/New_York', numberFormat: 'en-US', policy: { exactInvoicePayments: true } },
        editable: ['timeZone', 'numberFormat', 'dateFormat', 'exportFormat', 'printing'],
        // 03:30 UTC on the 21st is still the 20th in New York
        today: '2026-11-20',
      },
    });
  });

  it('changes workstation settings, keeps them, and records who changed what in the audit log', async () => {
    const res = await call('settings.update', { changes: { timeZone: 'Asia/Tokyo', dateFormat: 'YYYY-MM-DD' } });
    expect(res).toMatchObject({ ok: true, data: { settings: { timeZone: 'Asia/Tokyo', dateFormat: 'YYYY-MM-DD' }, today: '2026-11-21' } });
    expect(rt.core.settings.get().settings.timeZone).toBe('Asia/Tokyo');
    const rows = await rt.ledger.db.selectFrom('audit_log').selectAll().where('entity', '=', 'settings').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'dana', action: 'settings.update', entity_id: 'workstation' });
    expect(JSON.parse(rows[0]!.summary)).toEqual({
      changes: {
        timeZone: { from: 'America/New_York', to: 'Asia/Tokyo' },
        // Choosing a zone answers the first-run question of which zone the office is in.
        timeZoneConfirmed: { from: false, to: true },
        dateFormat: { from: 'MM/DD/YYYY', to: 'YYYY-MM-DD' },
      },
    });
  });

  it('refuses an unknown time zone with the field named and changes nothing', async () => {
    const res = await call('settings.update', { changes: { timeZone: 'Mars/Olympus' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: { timeZone: expect.stringContaining('Mars/Olympus') } } } });
    expect(rt.core.settings.get().settings.timeZone).toBe('America/New_York');
  });

  it('refuses a malformed number format', async () => {
    const res = await call('settings.update', { changes: { numberFormat: 'not a locale' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: { numberFormat: expect.any(String) } } } });
  });

  it('does not let a workstation change the house rules', async () => {
    const res = await call('settings.update', { changes: { policy: { exactInvoicePayments: false, overpayment: 'refuse' } } });
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(rt.core.settings.get().settings.policy.exactInvoicePayments).toBe(true);
  });

  it('writes no audit row when nothing actually changes', async () => {
    await call('settings.update', { changes: { numberFormat: 'en-US' } });
    const rows = await rt.ledger.db.selectFrom('audit_log').selectAll().where('entity', '=', 'settings').execute();
    expect(rows).toHaveLength(0);
  });
});
