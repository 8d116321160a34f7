import { AppError } from '../../shared/errors';
import type { StaffUserRow } from '../db/schema';
import type { StaffDeps } from './ports';
import { appendAudit } from './audit.repo';
import { verifyPassword } from './passwords';
import { claimTotpStep, clearFailures, recordFailedAttempt, staffById } from './staff.repo';
import { codeStep, decryptTotpSecret } from './totp';

/** PCI DSS 8.3.4: locked after 10 failed attempts, for 30 minutes or until an administrator unlocks. */
export const MAX_FAILED_ATTEMPTS = 10;
export const LOCKOUT_MINUTES = 30;

export type CredentialCheck =
  | { ok: true; user: StaffUserRow }
  | {
      ok: false;
      /** unknown: no such active account; password or code wrong; code_needed: right password, no code given. */
      reason: 'unknown' | 'locked' | 'password' | 'code' | 'code_reused' | 'code_needed';
      user: StaffUserRow | null;
      error: AppError;
    };

const WRONG = 'The username or password is not right.';

/**
 * Checks a person's password (and TOTP code when they have one) with the lockout rule: a locked
 * account is refused without looking at the password; a wrong password or code counts towards the
 * lockout (audited when it locks); a right one clears the count. The caller audits the attempt.
 */
export async function checkCredentials(
  deps: StaffDeps,
  user: StaffUserRow | undefined,
  password: string,
  code: string | undefined,
  /** False when the person re-enters their password inside a session already opened with their code (unlock, password change). */
  options: { secondFactor: boolean } = { secondFactor: true },
): Promise<CredentialCheck> {
  const db = deps.ledger.db;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  if (!user || user.active !== 1) {
    await verifyPassword(null, password);
    return { ok: false, reason: 'unknown', user: null, error: new AppError('UNAUTHENTICATED', WRONG) };
  }
  if (user.locked_until && user.locked_until > nowIso) return lockedOut(user, user.locked_until);

  const failed = async (reason: 'password' | 'code' | 'code_reused', message: string): Promise<CredentialCheck> => {
    const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
    const { lockedNow } = await recordFailedAttempt(db, user.id, MAX_FAILED_ATTEMPTS, until);
    if (lockedNow) {
      await appendAudit(db, {
        at: nowIso,
        actor: user.username,
        actorPerson: { id: user.id, username: user.username, name: user.display_name },
        action: 'auth.lockout',
        entity: 'staff',
        entityId: user.username,
        summary: { failedAttempts: MAX_FAILED_ATTEMPTS, lockedUntil: until },
        customerNumber: null,
        outcome: 'failure',
        errorCode: 'LOCKED_OUT',
      });
      return lockedOut(user, until);
    }
    return { ok: false, reason, user, error: new AppError('UNAUTHENTICATED', message) };
  };

  if (!(await verifyPassword(user.password_hash, password))) return failed('password', WRONG);
  if (user.totp_secret && options.secondFactor) {
    if (code === undefined) {
      return {
        ok: false,
        reason: 'code_needed',
        user,
        error: new AppError('UNAUTHENTICATED', 'Enter the 6-digit code from the authenticator app.', { needs: 'code' }),
      };
    }
    const secret = await decryptTotpSecret(deps.totpKey, user.id, user.totp_secret);
    const step = codeStep(secret, code, now.getTime());
    if (step === null) return failed('code', 'The code is not right; enter the one the authenticator app shows now.');
    if (!(await claimTotpStep(db, user.id, step))) return failed('code_reused', 'That code was used already; wait for the next one.');
  }
  if (user.failed_attempts > 0) await clearFailures(db, user.id);
  return { ok: true, user: (await staffById(db, user.id)) ?? user };
}

function lockedOut(user: StaffUserRow, until: string): CredentialCheck {
  return {
    ok: false,
    reason: 'locked',
    user,
    error: new AppError('LOCKED_OUT', `Too many failed attempts: the account is locked for ${LOCKOUT_MINUTES} minutes from the last one, or until an administrator unlocks it.`, {
      lockedUntil: until,
    }),
  };
}
