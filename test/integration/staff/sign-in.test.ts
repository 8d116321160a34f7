import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeAt } from '../../../src/main/staff/totp';
import type { SessionStateDto, SignInDto, TotpSetupDto } from '../../../src/shared/contract/auth';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { addStaff, auditRows, callAs, errorOf, PASSWORD, pw, sessionOf, signIn } from '../../helpers/staff-fixtures';
import { CHECK_FAILED, rawSql } from '../../helpers/sql';

let rt: TestRuntime;
const totpKey = crypto.randomBytes(32);
beforeEach(async () => {
  rt = await openTestRuntime({ totpKey: () => totpKey });
});
afterEach(async () => {
  await rt.dispose();
});

const MINUTE = 60_000;

describe('first run', () => {
  it('shows first run while no staff exist, makes the first administrator once, and signs them in', async () => {
    const status = await callAs(rt, null, 'auth.status');
    expect(status).toMatchObject({ ok: true, data: { firstRun: true, session: null, workstation: rt.core.deps.workstation } });
    expect(errorOf(await callAs(rt, null, 'lookup.search', { query: 'x' })).code).toBe('UNAUTHENTICATED');
    const weak = await callAs(rt, null, 'auth.setupFirstAdmin', { username: 'dana', name: 'Dana Reyes', password: 'short1' });
    expect(errorOf(weak)).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/at least 12 characters/) });
    const made = await callAs(rt, null, 'auth.setupFirstAdmin', { username: 'dana', name: 'Dana Reyes', password: PASSWORD });
    expect(made).toMatchObject({ ok: true, data: { user: { username: 'dana', role: 'admin' }, mustChangePassword: false } });
    const token = (made as { data: SignInDto }).data.token!;
    expect(await callAs(rt, token, 'lookup.search', { query: 'x' })).toMatchObject({ ok: true });
    const again = await callAs(rt, null, 'auth.setupFirstAdmin', { username: 'mallory', name: 'Mallory', password: PASSWORD });
    expect(errorOf(again)).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'first_run' } });
    expect((await callAs(rt, null, 'auth.status')) as { data: { firstRun: boolean } }).toMatchObject({ data: { firstRun: false } });
    expect((await auditRows(rt)).map((r) => [r.action, r.outcome])).toEqual([
      ['auth.setupFirstAdmin', 'success'],
      ['auth.setupFirstAdmin', 'failure'],
    ]);
  });
});

describe('signing in', () => {
  beforeEach(async () => {
    await addStaff(rt, 'dana', 'admin');
    await addStaff(rt, 'amy', 'clerk');
  });

  it('lets the right password in and keeps the wrong one out, auditing both', async () => {
    const ok = await signIn(rt, 'amy');
    expect(ok).toMatchObject({ ok: true, data: { user: { username: 'amy', role: 'clerk' }, locked: false, idleLockMinutes: 15 } });
    expect((ok as { data: SignInDto }).data.token).toMatch(/^[\w-]{40,}$/);
    expect(errorOf(await signIn(rt, 'amy', 'wrong password 1'))).toEqual({ code: 'UNAUTHENTICATED', message: 'The username or password is not right.' });
    expect(errorOf(await signIn(rt, 'nobody', PASSWORD))).toEqual({ code: 'UNAUTHENTICATED', message: 'The username or password is not right.' });
    const rows = await auditRows(rt, 'auth.signIn');
    expect(rows.map((r) => [r.actor, r.actor_id !== null, r.outcome, r.error_code, r.workstation])).toEqual([
      ['amy', true, 'success', null, rt.core.deps.workstation],
      ['amy', true, 'failure', 'UNAUTHENTICATED', rt.core.deps.workstation],
      ['(unknown)', false, 'failure', 'UNAUTHENTICATED', rt.core.deps.workstation],
    ]);
    const all = JSON.stringify(await auditRows(rt));
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('wrong password 1');
    const hash = (await rt.ledger.db.selectFrom('staff_users').select('password_hash').executeTakeFirstOrThrow()).password_hash!;
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('locks the account after 10 wrong passwords for 30 minutes, even against the right one, then lets it in', async () => {
    for (let i = 0; i < 9; i += 1) expect(errorOf(await signIn(rt, 'amy', `wrong password ${i}`)).code).toBe('UNAUTHENTICATED');
    const tenth = errorOf(await signIn(rt, 'amy', 'wrong password 10'));
    expect(tenth).toMatchObject({ code: 'LOCKED_OUT', details: { lockedUntil: '2026-11-20T15:30:00.000Z' } });
    expect(errorOf(await signIn(rt, 'amy')).code).toBe('LOCKED_OUT');
    rt.clock.advance(29 * MINUTE + 59_000);
    expect(errorOf(await signIn(rt, 'amy')).code).toBe('LOCKED_OUT');
    rt.clock.advance(1_000);
    expect(await signIn(rt, 'amy')).toMatchObject({ ok: true });
    const lockouts = await auditRows(rt, 'auth.lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actor: 'amy', outcome: 'failure', error_code: 'LOCKED_OUT' });
  });

  it('lets an administrator unlock early, audited', async () => {
    const admin = await sessionOf(rt, 'dana');
    for (let i = 0; i < 10; i += 1) await signIn(rt, 'amy', `wrong password ${i}`);
    expect(errorOf(await signIn(rt, 'amy')).code).toBe('LOCKED_OUT');
    expect(await callAs(rt, admin, 'staff.list')).toMatchObject({ ok: true, data: { users: expect.arrayContaining([expect.objectContaining({ username: 'amy', lockedUntil: '2026-11-20T15:30:00.000Z' })]) } });
    expect(await callAs(rt, admin, 'staff.unlock', { username: 'amy' })).toMatchObject({ ok: true, data: { lockedUntil: null, failedAttempts: 0 } });
    expect(await signIn(rt, 'amy')).toMatchObject({ ok: true });
    expect(await auditRows(rt, 'staff.unlock')).toMatchObject([{ actor: 'dana', entity: 'staff', entity_id: 'amy', outcome: 'success' }]);
  });

  it('makes a temporary password be changed before anything else, to a new one not among the last four', async () => {
    await addStaff(rt, 'ben', 'supervisor', { password: pw(1), temporary: true });
    const token = await sessionOf(rt, 'ben', pw(1));
    expect(errorOf(await callAs(rt, token, 'lookup.search', { query: 'x' }))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'password_change' } });
    const change = (current: string, next: string) => callAs(rt, token, 'auth.changePassword', { currentPassword: current, newPassword: next });
    expect(errorOf(await change(pw(1), pw(1)))).toMatchObject({ code: 'VALIDATION', message: 'The new password must differ from your last four.' });
    expect(errorOf(await change(pw(1), 'short 1'))).toMatchObject({ code: 'VALIDATION' });
    expect(errorOf(await change('not it at all 1', pw(2)))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await change(pw(1), pw(2))).toMatchObject({ ok: true, data: { mustChangePassword: false } });
    expect(await callAs(rt, token, 'lookup.search', { query: 'x' })).toMatchObject({ ok: true });
    await change(pw(2), pw(3));
    await change(pw(3), pw(4));
    // 1, 2, 3 and 4 are the last four: none again; 5 is new, and after it 1 has dropped out of the four.
    for (const old of [pw(1), pw(2), pw(3), pw(4)]) expect(errorOf(await change(pw(4), old)).message).toMatch(/last four/);
    expect(await change(pw(4), pw(5))).toMatchObject({ ok: true });
    expect(await change(pw(5), pw(1))).toMatchObject({ ok: true });
    const rows = await auditRows(rt, 'auth.changePassword');
    expect(rows.filter((r) => r.outcome === 'success')).toHaveLength(5);
    // The wrong current password is audited; a new one that breaks the rule is a form error and is not.
    expect(rows.filter((r) => r.outcome === 'failure').map((r) => r.error_code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a reset password that repeats the last four, and makes it temporary', async () => {
    const admin = await sessionOf(rt, 'dana');
    expect(errorOf(await callAs(rt, admin, 'staff.resetPassword', { username: 'amy', password: PASSWORD })).message).toMatch(/last four/);
    expect(await callAs(rt, admin, 'staff.resetPassword', { username: 'amy', password: pw(9) })).toMatchObject({ ok: true, data: { mustChangePassword: true } });
    const token = await sessionOf(rt, 'amy', pw(9));
    expect(errorOf(await callAs(rt, token, 'payments.recent', {}))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'password_change' } });
    expect(errorOf(await callAs(rt, admin, 'staff.resetPassword', { username: 'dana', password: pw(8) })).code).toBe('CONFLICT');
  });
});

describe('the session', () => {
  beforeEach(async () => {
    await addStaff(rt, 'dana', 'admin');
    await addStaff(rt, 'amy', 'clerk');
  });

  it('locks after 15 idle minutes and unlocks with the password, keeping the session', async () => {
    const token = await sessionOf(rt, 'amy');
    rt.clock.advance(14 * MINUTE + 59_000);
    expect(await callAs(rt, token, 'lookup.search', { query: 'x' })).toMatchObject({ ok: true });
    rt.clock.advance(15 * MINUTE - 1);
    expect(await callAs(rt, token, 'lookup.search', { query: 'x' })).toMatchObject({ ok: true });
    rt.clock.advance(15 * MINUTE);
    expect(errorOf(await callAs(rt, token, 'lookup.search', { query: 'x' }))).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'idle' } });
    expect(await callAs(rt, token, 'auth.status')).toMatchObject({ ok: true, data: { session: { locked: true, lockReason: 'idle', user: { username: 'amy' } } } });
    expect(errorOf(await callAs(rt, token, 'auth.unlock', { password: 'wrong password 1' })).code).toBe('UNAUTHENTICATED');
    expect(await callAs(rt, token, 'auth.unlock', { password: PASSWORD })).toMatchObject({ ok: true, data: { locked: false } });
    expect(await callAs(rt, token, 'lookup.search', { query: 'x' })).toMatchObject({ ok: true });
    expect((await auditRows(rt, 'auth.lock')).map((r) => JSON.parse(r.summary).reason)).toEqual(['idle']);
    expect((await auditRows(rt, 'auth.unlock')).map((r) => r.outcome)).toEqual(['failure', 'success']);
  });

  it('takes a shorter idle time from the office, never a longer one', async () => {
    const admin = await sessionOf(rt, 'dana');
    expect(errorOf(await callAs(rt, admin, 'staff.setPolicy', { idleLockMinutes: 16 })).code).toBe('VALIDATION');
    expect(await callAs(rt, admin, 'staff.setPolicy', { idleLockMinutes: 5 })).toMatchObject({ ok: true, data: { idleLockMinutes: 5 } });
    await expect(rawSql(rt.ledger).run('UPDATE staff_policy SET idle_lock_minutes = 30')).rejects.toThrow(CHECK_FAILED);
    const token = await sessionOf(rt, 'amy');
    rt.clock.advance(5 * MINUTE);
    expect(errorOf(await callAs(rt, token, 'customers.get', { customerNumber: 'CL1042' })).code).toBe('SESSION_EXPIRED');
    expect(await auditRows(rt, 'staff.setPolicy')).toHaveLength(1);
  });

  it('locks on request, signs out, and refuses a token it does not know', async () => {
    const token = await sessionOf(rt, 'amy');
    expect(await callAs(rt, token, 'auth.lock')).toMatchObject({ ok: true, data: { locked: true, lockReason: 'manual' } });
    expect(errorOf(await callAs(rt, token, 'payments.recent', {}))).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'manual' } });
    expect(await callAs(rt, token, 'auth.unlock', { password: PASSWORD })).toMatchObject({ ok: true });
    expect(await callAs(rt, token, 'auth.signOut')).toEqual({ ok: true, data: { signedOut: true } });
    expect(errorOf(await callAs(rt, token, 'payments.recent', {})).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await callAs(rt, 'made-up-token', 'payments.recent', {})).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await callAs(rt, null, 'payments.recent', {})).code).toBe('UNAUTHENTICATED');
  });

  it('ends the sessions of a disabled account, and a demotion applies at once', async () => {
    await addStaff(rt, 'sue', 'supervisor');
    const admin = await sessionOf(rt, 'dana');
    const amy = await sessionOf(rt, 'amy');
    const sue = await sessionOf(rt, 'sue');
    expect(await callAs(rt, sue, 'audit.list', {})).toMatchObject({ ok: true });
    expect(await callAs(rt, admin, 'staff.update', { username: 'sue', role: 'clerk' })).toMatchObject({ ok: true, data: { role: 'clerk' } });
    expect(errorOf(await callAs(rt, sue, 'audit.list', {}))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'supervisor_approval' } });
    expect(await callAs(rt, admin, 'staff.update', { username: 'amy', active: false })).toMatchObject({ ok: true, data: { active: false } });
    expect(errorOf(await callAs(rt, amy, 'payments.recent', {})).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await signIn(rt, 'amy')).code).toBe('UNAUTHENTICATED');
    // An administrator cannot demote themselves (and the last one stays one: see the CLI test).
    expect(errorOf(await callAs(rt, admin, 'staff.update', { username: 'dana', role: 'clerk' })).code).toBe('CONFLICT');
    expect((await auditRows(rt, 'staff.update')).map((r) => [r.outcome, r.error_code, JSON.parse(r.summary)])).toEqual([
      ['success', null, { role: { from: 'supervisor', to: 'clerk' } }],
      ['success', null, { active: { from: true, to: false } }],
      ['failure', 'CONFLICT', { message: 'You cannot take away your own administrator access or disable your own account; another administrator can.' }],
    ]);
  });
});

describe('TOTP', () => {
  const T0 = Date.parse('2026-11-20T15:00:00Z');
  beforeEach(async () => {
    await addStaff(rt, 'dana', 'admin');
  });

  async function enrolled(username: string): Promise<string> {
    await addStaff(rt, username, 'clerk');
    const token = await sessionOf(rt, username);
    const setup = (await callAs(rt, token, 'auth.totpSetup')) as { ok: true; data: TotpSetupDto };
    expect(setup.data.uri).toContain('otpauth://totp/');
    expect(errorOf(await callAs(rt, token, 'auth.totpEnable', { code: '000000' === codeAt(setup.data.secret, T0) ? '111111' : '000000' })).code).toBe('VALIDATION');
    expect(await callAs(rt, token, 'auth.totpEnable', { code: codeAt(setup.data.secret, T0) })).toMatchObject({ ok: true });
    const stored = await rt.ledger.db.selectFrom('staff_users').select('totp_secret').where('username', '=', username).executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(setup.data.secret);
    return setup.data.secret;
  }

  it('asks for the code, takes the right one once, and refuses a wrong or reused one', async () => {
    const secret = await enrolled('amy');
    rt.clock.advance(30_000);
    const now = T0 + 30_000;
    expect(errorOf(await signIn(rt, 'amy'))).toMatchObject({ code: 'UNAUTHENTICATED', details: { needs: 'code' } });
    expect(errorOf(await signIn(rt, 'amy', PASSWORD, codeAt(secret, now + 90_000))).code).toBe('UNAUTHENTICATED');
    expect(await signIn(rt, 'amy', PASSWORD, codeAt(secret, now))).toMatchObject({ ok: true });
    expect(errorOf(await signIn(rt, 'amy', PASSWORD, codeAt(secret, now))).message).toMatch(/used already/);
    // The code enrollment used (the step before) is older than the one just used: refused too.
    expect(errorOf(await signIn(rt, 'amy', PASSWORD, codeAt(secret, T0))).message).toMatch(/used already/);
    rt.clock.advance(30_000);
    expect(await signIn(rt, 'amy', PASSWORD, codeAt(secret, now + 30_000))).toMatchObject({ ok: true });
    const failures = (await auditRows(rt, 'auth.signIn')).filter((r) => r.outcome === 'failure').map((r) => JSON.parse(r.summary).reason);
    expect(failures).toEqual(['code_needed', 'code', 'code_reused', 'code_reused']);
  });

  it('holds an administrator without a code to enrolling when the office requires it', async () => {
    const token = await sessionOf(rt, 'dana');
    expect(await callAs(rt, token, 'staff.setPolicy', { requireAdminTotp: true })).toMatchObject({ ok: true });
    expect(errorOf(await callAs(rt, token, 'staff.list'))).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'totp_enrollment' } });
    const setup = (await callAs(rt, token, 'auth.totpSetup')) as { ok: true; data: TotpSetupDto };
    expect(await callAs(rt, token, 'auth.totpEnable', { code: codeAt(setup.data.secret, T0) })).toMatchObject({ ok: true, data: { mustEnrollTotp: false } });
    expect(await callAs(rt, token, 'staff.list')).toMatchObject({ ok: true });
    const state = (await callAs(rt, token, 'auth.status')) as { data: { session: SessionStateDto } };
    expect(state.data.session.mustEnrollTotp).toBe(false);
  });

  it('cannot be set up without a key to encrypt the secret with', async () => {
    const bare = await openTestRuntime({ totpKey: () => null });
    try {
      await addStaff(bare, 'dana', 'admin');
      await addStaff(bare, 'amy', 'clerk');
      const token = await sessionOf(bare, 'amy');
      expect(errorOf(await callAs(bare, token, 'auth.totpSetup'))).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/AR_DESK_TOTP_KEY/) });
    } finally {
      await bare.dispose();
    }
  });
});
