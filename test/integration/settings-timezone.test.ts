import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { asStaff } from '../helpers/dispatch';
import { dispatch } from '../../src/main/ipc/dispatch';
import { jsonFileSettingsStore } from '../../src/main/settings/settings.store';
import { timeZoneFromAddress } from '../../src/main/settings/timezone.rules';
import type { SettingsView } from '../../src/shared/contract/settings';
import type { Envelope } from '../../src/shared/errors';
import { openTestRuntime, tempDir, type TestRuntime } from '../helpers/runtime';

// The office's time zone on first run: offered from the letterhead address, taken only when the
// admin confirms it, asked for when the address tells none. 03:30 UTC on Nov 21 is still Nov 20 in
// the Americas, so "today" shows which zone is in use.

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.dispose();
});

async function firstRun(dir = tempDir()): Promise<TestRuntime> {
  const rt = await openTestRuntime({ dir, now: '2026-11-21T03:30:00Z', settings: jsonFileSettingsStore(path.join(dir, 'config.json')) });
  runtimes.push(rt);
  return rt;
}

async function call(rt: TestRuntime, channel: string, input: unknown): Promise<SettingsView> {
  const res = (await dispatch(createDispatcher(rt.core), channel, input, asStaff('admin.lee'))) as Envelope<SettingsView>;
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.data;
}

describe('the time zone on first run', () => {
  it('offers the zone of the letterhead address and keeps the default until the admin confirms it', async () => {
    const rt = await firstRun();
    const view = await call(rt, 'settings.get', {});
    // The built-in letterhead is in Portland, Oregon: Pacific time is offered, not taken.
    expect(view.timeZoneSetup).toEqual({ confirmed: false, suggested: { timeZone: 'America/Los_Angeles', place: 'Portland, OR 97201' } });
    expect(view.settings.timeZone).toBe('America/New_York');

    // The office enters its own letterhead: the offer follows it, the zone still does not move.
    const moved = await call(rt, 'settings.updateOffice', { changes: { company: { addressLines: ['500 Congress Ave', 'Austin, TX 78701'] } } });
    expect(moved.timeZoneSetup).toEqual({ confirmed: false, suggested: { timeZone: 'America/Chicago', place: 'Austin, TX 78701' } });
    expect(moved.settings.timeZone).toBe('America/New_York');
    // Saving other workstation settings (the form sends the zone unchanged) is no confirmation either.
    const formats = await call(rt, 'settings.update', { changes: { timeZone: 'America/New_York', dateFormat: 'YYYY-MM-DD' } });
    expect(formats.timeZoneSetup.confirmed).toBe(false);

    const confirmed = await call(rt, 'settings.confirmTimeZone', { timeZone: 'America/Chicago' });
    expect(confirmed.timeZoneSetup).toEqual({ confirmed: true });
    expect(confirmed.settings.timeZone).toBe('America/Chicago');
    expect(confirmed.today).toBe('2026-11-20');
    const audit = await rt.ledger.db.selectFrom('audit_log').select(['actor', 'action', 'summary']).where('action', '=', 'settings.confirmTimeZone').execute();
    expect(audit.map((a) => ({ ...a, summary: JSON.parse(a.summary) }))).toEqual([
      { actor: 'admin.lee', action: 'settings.confirmTimeZone', summary: { changes: { timeZone: { from: 'America/New_York', to: 'America/Chicago' } }, suggested: 'America/Chicago' } },
    ]);

    // Kept in the office's record in the ledger; a letterhead moved later does not move the zone again.
    const again = await call(rt, 'settings.updateOffice', { changes: { company: { addressLines: ['1 Pike St', 'Seattle, WA 98101'] } } });
    expect(again.settings.timeZone).toBe('America/Chicago');
    expect(again.timeZoneSetup).toEqual({ confirmed: true });
    const record = await rt.ledger.db.selectFrom('office_settings').select('settings').executeTakeFirstOrThrow();
    expect(JSON.parse(record.settings)).toMatchObject({ timeZone: 'America/Chicago', timeZoneConfirmed: true });
  });

  it('asks when the letterhead address tells no zone, and takes the zone the admin chooses instead', async () => {
    const rt = await firstRun();
    await call(rt, 'settings.updateOffice', { changes: { company: { addressLines: ['Harbor Building', 'Springfield'] } } });
    expect((await call(rt, 'settings.get', {})).timeZoneSetup).toEqual({ confirmed: false, suggested: null });
    const chosen = await call(rt, 'settings.update', { changes: { timeZone: 'Asia/Tokyo' } });
    expect(chosen.timeZoneSetup).toEqual({ confirmed: true });
    expect(chosen.today).toBe('2026-11-21');
  });

  it('does not ask an office whose settings file already names its zone', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ settings: { timeZone: 'America/Denver', dateFormat: 'YYYY-MM-DD' } }));
    const rt = await firstRun(dir);
    const view = await call(rt, 'settings.get', {});
    expect(view.timeZoneSetup).toEqual({ confirmed: true });
    expect(view.settings.timeZone).toBe('America/Denver');
  });

  it('refuses a zone this computer does not know', async () => {
    const rt = await firstRun();
    const res = await dispatch(createDispatcher(rt.core), 'settings.confirmTimeZone', { timeZone: 'Mars/Olympus' }, asStaff('admin.lee'));
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: { timeZone: expect.stringContaining('Mars/Olympus') } } } });
    expect((await call(rt, 'settings.get', {})).timeZoneSetup.confirmed).toBe(false);
  });
});

describe('the zone a letterhead address points to', () => {
  const cases: [string[], string | null][] = [
    [['100 Harbor Way, Suite 400', 'Portland, OR 97201'], 'America/Los_Angeles'],
    [['1 Main St', 'Boise ID 83702-1234'], 'America/Boise'],
    [['20 W 34th St', 'New York, NY 10001', 'USA'], 'America/New_York'],
    [['Camelback Rd', 'Phoenix, AZ 85016, United States'], 'America/Phoenix'],
    [['1 Ala Moana Blvd', 'Honolulu, HI 96814'], 'Pacific/Honolulu'],
    [['750 Hornby St', 'Vancouver, BC V6Z 2H7', 'Canada'], 'America/Vancouver'],
    [['1 Rue Sainte-Catherine', 'Montréal QC H3B 1A7'], 'America/Toronto'],
    [['2 Albert St', 'Regina, SK S4P 3T2'], 'America/Regina'],
    [['10 Downing Street', 'London SW1A 2AA'], null],
    [['Harbor Building', 'Springfield'], null],
    [['Portland, ZZ 97201'], null],
    [[], null],
  ];
  for (const [lines, zone] of cases) {
    it(`${JSON.stringify(lines)} → ${zone ?? 'none'}`, () => {
      expect(timeZoneFromAddress(lines)?.timeZone ?? null).toBe(zone);
    });
  }
});
