import type { AuthStatusDto, SessionStateDto, SignInDto, TotpSetupDto } from '../../shared/contract/auth';
import type { StaffPolicyDto } from '../../shared/contract/staff';
import { AppError } from '../../shared/errors';
import type { StaffUserRow } from '../db/schema';
import { appendAudit, type AuditEntry } from './audit.repo';
import { markFailureRecorded } from './audit.scope';
import { checkCredentials, type CredentialCheck } from './credentials';
import { assertPasswordRule, hashPassword, nextHistory, parseHistory, reusesRecent } from './passwords';
import type { StaffDeps } from './ports';
import type { SessionBinding, SessionStore, StaffSession } from './sessions';
import { insertStaff, readPolicy, recordSignIn, staffById, staffByUsername, staffCount } from './staff.repo';
import { codeStep, encryptTotpSecret, newTotpSecret } from './totp';
import { writeTx } from '../db/dialect';

/** Sign-in, the session's lock, password changes and TOTP enrollment; every attempt is audited. */
export function createAuthService(deps: StaffDeps, sessions: SessionStore) {
  const db = deps.ledger.db;
  const nowIso = () => deps.clock.now().toISOString();

  function audit(user: Pick<StaffUserRow, 'id' | 'username' | 'display_name'> | null, entry: Omit<AuditEntry, 'actor' | 'at' | 'entity' | 'entityId'> & { entityId?: string }) {
    return appendAudit(db, {
      at: nowIso(),
      actor: user?.username ?? '(unknown)',
      actorPerson: user ? { id: user.id, username: user.username, name: user.display_name } : { id: null, username: '(unknown)', name: null },
      entity: 'staff',
      entityId: entry.entityId ?? user?.username ?? '',
      customerNumber: null,
      workstation: deps.workstation,
      ...entry,
    });
  }

  /** Records a refused attempt (it stays in the log though the call fails) and throws its error. */
  async function refuse(action: string, check: Extract<CredentialCheck, { ok: false }>): Promise<never> {
    await audit(check.user, { action, summary: { reason: check.reason }, outcome: 'failure', errorCode: check.error.code });
    markFailureRecorded();
    throw check.error;
  }

  function state(session: StaffSession, user: StaffUserRow, policy: StaffPolicyDto): SessionStateDto {
    return {
      user: { id: user.id, username: user.username, name: user.display_name, role: user.role },
      locked: session.locked !== null,
      lockReason: session.locked,
      mustChangePassword: user.must_change_password === 1,
      mustEnrollTotp: policy.requireAdminTotp && user.role === 'admin' && user.totp_secret === null,
      totpEnabled: user.totp_secret !== null,
      idleLockMinutes: policy.idleLockMinutes,
    };
  }

  async function stateOf(session: StaffSession): Promise<SessionStateDto> {
    const user = await staffById(db, session.userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
    return state(session, user, await readPolicy(db));
  }

  async function startSession(user: StaffUserRow, binding: SessionBinding): Promise<SignInDto> {
    const session = sessions.create(user.id, binding);
    return { ...state(session, user, await readPolicy(db)), token: binding.kind === 'token' ? session.token : null };
  }

  return {
    async status(session: StaffSession | null): Promise<AuthStatusDto> {
      const firstRun = (await staffCount(db)) === 0;
      return { firstRun, session: session ? await stateOf(session) : null, workstation: deps.workstation };
    },

    async setupFirstAdmin(input: { username: string; name: string; password: string }, binding: SessionBinding): Promise<SignInDto> {
      assertPasswordRule(input.password, input.username);
      const passwordHash = await hashPassword(input.password);
      const at = nowIso();
      const id = await writeTx(db, async (trx) => {
        if ((await staffCount(trx)) > 0) throw new AppError('FORBIDDEN', 'Staff accounts exist already: an administrator adds new ones.');
        // The person chose this password themselves, so it is not a temporary one.
        const newId = await insertStaff(trx, { username: input.username, name: input.name, role: 'admin', passwordHash, mustChangePassword: false, at });
        await appendAudit(trx, {
          at,
          actor: input.username,
          actorPerson: { id: newId, username: input.username, name: input.name },
          action: 'auth.setupFirstAdmin',
          entity: 'staff',
          entityId: input.username,
          summary: { role: 'admin' },
          customerNumber: null,
          workstation: deps.workstation,
        });
        await recordSignIn(trx, newId, at);
        return newId;
      });
      return startSession((await staffById(db, id))!, binding);
    },

    async signIn(input: { username: string; password: string; code?: string | undefined }, binding: SessionBinding): Promise<SignInDto> {
      const check = await checkCredentials(deps, await staffByUsername(db, input.username), input.password, input.code);
      if (!check.ok) return refuse('auth.signIn', check);
      const at = nowIso();
      await writeTx(db, async (trx) => {
        await recordSignIn(trx, check.user.id, at);
        await appendAudit(trx, {
          at,
          actor: check.user.username,
          actorPerson: { id: check.user.id, username: check.user.username, name: check.user.display_name },
          action: 'auth.signIn',
          entity: 'staff',
          entityId: check.user.username,
          summary: { via: binding.kind === 'window' ? 'window' : 'bridge', secondFactor: check.user.totp_secret !== null },
          customerNumber: null,
          workstation: deps.workstation,
        });
      });
      return startSession(check.user, binding);
    },

    async signOut(session: StaffSession): Promise<{ signedOut: true }> {
      const user = await staffById(db, session.userId);
      sessions.end(session);
      await audit(user ?? null, { action: 'auth.signOut', summary: {} });
      return { signedOut: true };
    },

    async lock(session: StaffSession): Promise<SessionStateDto> {
      sessions.lock(session);
      await audit((await staffById(db, session.userId)) ?? null, { action: 'auth.lock', summary: { reason: 'manual' } });
      return stateOf(session);
    },

    async unlock(session: StaffSession, password: string): Promise<SessionStateDto> {
      // The password alone unlocks a window its owner opened with their code.
      const check = await checkCredentials(deps, await staffById(db, session.userId), password, undefined, { secondFactor: false });
      if (!check.ok) {
        if (check.reason === 'locked' || check.reason === 'unknown') sessions.end(session);
        return refuse('auth.unlock', check);
      }
      sessions.unlock(session);
      await audit(check.user, { action: 'auth.unlock', summary: {} });
      return stateOf(session);
    },

    async changePassword(session: StaffSession, currentPassword: string, newPassword: string): Promise<SessionStateDto> {
      const user = await staffById(db, session.userId);
      const check = await checkCredentials(deps, user, currentPassword, undefined, { secondFactor: false });
      if (!check.ok) {
        if (check.reason === 'locked' || check.reason === 'unknown') sessions.end(session);
        return refuse('auth.changePassword', check);
      }
      const me = check.user;
      // A new password that breaks the rule is a form error (VALIDATION): like any invalid input, not audited.
      assertPasswordRule(newPassword, me.username);
      if (await reusesRecent(newPassword, me.password_hash, parseHistory(me.password_history))) {
        throw new AppError('VALIDATION', 'The new password must differ from your last four.', { fields: { newPassword: 'must differ from your last four passwords' } });
      }
      const passwordHash = await hashPassword(newPassword);
      const at = nowIso();
      await writeTx(db, async (trx) => {
        await trx
          .updateTable('staff_users')
          .set({ password_hash: passwordHash, password_history: nextHistory(me.password_hash, parseHistory(me.password_history)), password_changed_at: at, must_change_password: 0, updated_at: at })
          .where('id', '=', me.id)
          .execute();
        await appendAudit(trx, { at, actor: me.username, actorPerson: { id: me.id, username: me.username, name: me.display_name }, action: 'auth.changePassword', entity: 'staff', entityId: me.username, summary: {}, customerNumber: null, workstation: deps.workstation });
      });
      return stateOf(session);
    },

    async totpSetup(session: StaffSession): Promise<TotpSetupDto> {
      const user = await staffById(db, session.userId);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
      // Fails now, not after the person has scanned the code, when there is no key to keep the secret with.
      await encryptTotpSecret(deps.totpKey, user.id, 'AAAAAAAAAAAAAAAA');
      const offer = newTotpSecret(user.username);
      session.pendingTotpSecret = offer.secret;
      await audit(user, { action: 'auth.totpSetup', summary: {} });
      return offer;
    },

    async totpEnable(session: StaffSession, code: string): Promise<SessionStateDto> {
      const user = await staffById(db, session.userId);
      if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
      const secret = session.pendingTotpSecret;
      if (!secret) throw new AppError('CONFLICT', 'Start with auth.totpSetup: there is no new authenticator to confirm.');
      const step = codeStep(secret, code, deps.clock.now().getTime());
      if (step === null) {
        // A mistyped code while enrolling is a form error: the ledger is left as it was.
        throw new AppError('VALIDATION', 'The code is not right; enter the one the authenticator app shows now.', { fields: { code: 'not the current code' } });
      }
      const stored = await encryptTotpSecret(deps.totpKey, user.id, secret);
      const at = nowIso();
      await writeTx(db, async (trx) => {
        await trx.updateTable('staff_users').set({ totp_secret: stored, totp_last_step: step, updated_at: at }).where('id', '=', user.id).execute();
        await appendAudit(trx, { at, actor: user.username, actorPerson: { id: user.id, username: user.username, name: user.display_name }, action: 'auth.totpEnable', entity: 'staff', entityId: user.username, summary: {}, customerNumber: null, workstation: deps.workstation });
      });
      session.pendingTotpSecret = null;
      return stateOf(session);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
