import type { ChannelName } from '../../shared/contract';
import type { ApprovalInput, StaffRole } from '../../shared/contract/auth';
import { AppError, type AppErrorShape } from '../../shared/errors';
import { appendAudit } from './audit.repo';
import { customerOfInput, scrubMessage, targetOfInput } from './audit.rules';
import type { AuditPerson, AuditScope } from './audit.scope';
import { checkCredentials } from './credentials';
import { PERMISSIONS, roleAtLeast, type Permission } from './permissions';
import type { StaffDeps } from './ports';
import type { SessionStore, StaffSession } from './sessions';
import { readPolicy, staffByUsername, staffCount, staffWithPolicy } from './staff.repo';

/** The person a call acts for. `id` is null only for in-process callers that are no account (tests' set-up). */
export interface SignedIn {
  id: number | null;
  username: string;
  name: string | null;
  role: StaffRole;
}

/**
 * Where a call comes from. The bridge names its session by token, Electron by the window; an
 * in-process caller (tests, end-to-end set-up) names a person outright and is still held to the
 * permission table and audited.
 */
export type CallOrigin =
  | { via: 'bridge'; sessionToken: string | null }
  | { via: 'window'; windowId: number }
  | { via: 'internal'; staff: SignedIn };

/** Channels a locked session may still call. */
const WHILE_LOCKED = new Set<ChannelName>(['auth.unlock', 'auth.signOut', 'auth.lock']);
/** Channels open before a temporary password is changed. */
const BEFORE_PASSWORD_CHANGE = new Set<ChannelName>([...WHILE_LOCKED, 'auth.changePassword']);
/** Channels open before an administrator who must use TOTP has enrolled. */
const BEFORE_TOTP_ENROLLMENT = new Set<ChannelName>([...BEFORE_PASSWORD_CHANGE, 'auth.totpSetup', 'auth.totpEnable']);

function approvalOf(scope: AuditScope): { by: AuditPerson; reason: string | null } | null {
  return scope.approvedBy ? { by: scope.approvedBy, reason: scope.approvalReason } : null;
}

export function permissionOf(channel: ChannelName): Permission {
  return PERMISSIONS[channel];
}

/**
 * The checks of dispatch before a handler runs (session, role, supervisor approval) and the audit
 * row of the call's outcome after it. Every refusal for role or approval is audited.
 */
export function createGate(deps: StaffDeps, sessions: SessionStore) {
  const db = deps.ledger.db;
  const nowIso = () => deps.clock.now().toISOString();

  async function auditCall(
    action: string,
    staff: SignedIn | null,
    input: unknown,
    outcome: { error?: AppErrorShape; summary?: Record<string, unknown> },
    approval: { by: AuditPerson; reason: string | null } | null = null,
  ): Promise<void> {
    const target = targetOfInput(action, input);
    if ((outcome.error?.details as { reason?: unknown } | undefined)?.reason === 'ledger-damaged') {
      // Nothing is written to a ledger the start-up check found damaged, not even this row: the
      // attempt goes to the log, and the file stays as it was for the restore.
      deps.log.warn('Refused on a damaged ledger', { action, actor: staff?.username ?? '(unknown)', workstation: deps.workstation });
      return;
    }
    await appendAudit(db, {
      at: nowIso(),
      actor: staff?.username ?? '(unknown)',
      actorPerson: { id: staff?.id ?? null, username: staff?.username ?? '(unknown)', name: staff?.name ?? null },
      action,
      entity: target.type,
      entityId: target.id,
      summary: outcome.error ? { ...outcome.summary, message: scrubMessage(outcome.error.message) } : (outcome.summary ?? {}),
      customerNumber: customerOfInput(input) ?? undefined,
      outcome: outcome.error ? 'failure' : 'success',
      errorCode: outcome.error?.code ?? null,
      workstation: deps.workstation,
      approval,
    });
  }

  return {
    /** Finds the caller's session and person; throws UNAUTHENTICATED, SESSION_EXPIRED or FORBIDDEN (password change first). */
    async identify(channel: ChannelName, origin: CallOrigin): Promise<{ staff: SignedIn | null; session: StaffSession | null }> {
      if (origin.via === 'internal') return { staff: origin.staff, session: null };
      const needs = PERMISSIONS[channel].needs;
      const open = needs === 'nobody' || needs === 'first-run';
      let session = origin.via === 'window' ? sessions.byWindow(origin.windowId) : origin.sessionToken ? sessions.byToken(origin.sessionToken) : undefined;
      if (session && origin.via === 'bridge' && session.binding.kind !== 'token') session = undefined;
      if (!session) {
        if (open) return { staff: null, session: null };
        throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
      }
      const found = await staffWithPolicy(db, session.userId);
      const user = found?.user;
      if (!found || !user || user.active !== 1) {
        sessions.end(session);
        if (open) return { staff: null, session: null };
        throw new AppError('UNAUTHENTICATED', 'This account was disabled; sign in again.');
      }
      const staff: SignedIn = { id: user.id, username: user.username, name: user.display_name, role: user.role };
      const policy = found.policy;
      const wasLocked = session.locked !== null;
      const locked = sessions.checkIdle(session, policy.idleLockMinutes);
      if (locked && !wasLocked) {
        await appendAudit(db, {
          at: nowIso(),
          actor: user.username,
          actorPerson: staff,
          action: 'auth.lock',
          entity: 'staff',
          entityId: user.username,
          summary: { reason: 'idle', idleLockMinutes: policy.idleLockMinutes },
          customerNumber: null,
          workstation: deps.workstation,
        });
      }
      if (open) return { staff, session };
      if (locked && !WHILE_LOCKED.has(channel)) {
        throw new AppError('SESSION_EXPIRED', session.locked === 'idle' ? 'The window locked after being idle; enter your password to go on.' : 'The window is locked; enter your password to go on.', {
          reason: session.locked,
        });
      }
      if (!locked) sessions.touch(session);
      if (user.must_change_password === 1 && !BEFORE_PASSWORD_CHANGE.has(channel)) {
        throw new AppError('FORBIDDEN', 'Your password is temporary: choose your own before going on.', { needs: 'password_change' });
      }
      if (policy.requireAdminTotp && user.role === 'admin' && user.totp_secret === null && !BEFORE_TOTP_ENROLLMENT.has(channel)) {
        throw new AppError('FORBIDDEN', 'Administrators sign in with an authenticator code here: set one up before going on.', { needs: 'totp_enrollment' });
      }
      return { staff, session };
    },

    /**
     * Holds the call to the permission table: 'ok', or 'approval' when a clerk brings a supervisor's
     * approval for an approvable channel (checked after the input is parsed). A refusal is audited.
     */
    async authorize(channel: ChannelName, staff: SignedIn | null, rawInput: unknown): Promise<'ok' | 'approval'> {
      const p = PERMISSIONS[channel];
      if (p.needs === 'nobody') return 'ok';
      if (p.needs === 'first-run') {
        if ((await staffCount(db)) === 0) return 'ok';
        const error = new AppError('FORBIDDEN', 'Staff accounts exist already: sign in, and an administrator adds new accounts.', { needs: 'first_run' });
        await auditCall(channel, staff, rawInput, { error: error.toShape() });
        throw error;
      }
      if (!staff) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
      if (p.needs === 'signed-in' || roleAtLeast(staff.role, p.needs)) return 'ok';
      const brought = rawInput !== null && typeof rawInput === 'object' && Object.prototype.hasOwnProperty.call(rawInput, 'approval');
      if (p.approval && p.needs === 'supervisor' && brought) return 'approval';
      const error = p.approval
        ? new AppError('FORBIDDEN', 'This needs a supervisor: ask one to approve it with their own username and password.', { needs: 'supervisor_approval' })
        : new AppError('FORBIDDEN', `This needs ${p.needs === 'admin' ? 'an administrator' : `a ${p.needs}`}.`, { needs: p.needs });
      await auditCall(channel, staff, rawInput, { error: error.toShape() });
      throw error;
    },

    /** Checks a supervisor's approval of a clerk's call; the approval and any refusal are audited. */
    async approve(channel: ChannelName, clerk: SignedIn, approval: ApprovalInput | undefined, input: unknown): Promise<SignedIn> {
      const approver = approval ? await staffByUsername(db, approval.username) : undefined;
      const refuse = async (message: string, reason: string): Promise<never> => {
        const error = new AppError('FORBIDDEN', message, { needs: 'supervisor_approval', reason });
        await auditCall('auth.approve', clerk, input, { error: error.toShape(), summary: { channel, approver: approver?.username ?? null, reason } });
        throw error;
      };
      if (!approval) return refuse('This needs a supervisor: ask one to approve it with their own username and password.', 'missing');
      const check = await checkCredentials(deps, approver, approval.password, approval.code);
      if (!check.ok) {
        if (check.reason === 'code_needed') return refuse('The supervisor must also enter the code from their authenticator app.', 'code_needed');
        if (check.reason === 'locked') return refuse("The supervisor's account is locked after too many failed attempts.", 'locked_out');
        return refuse("The supervisor's username, password or code is not right.", check.reason);
      }
      const who = check.user;
      if (!roleAtLeast(who.role, 'supervisor')) return refuse(`${who.username} is not a supervisor: only a supervisor or an administrator can approve this.`, 'not_supervisor');
      if (who.must_change_password === 1) return refuse(`${who.username} must first sign in and choose their own password.`, 'password_change');
      if (clerk.id !== null && who.id === clerk.id) return refuse('Another person must approve this.', 'self');
      const approvedBy: SignedIn = { id: who.id, username: who.username, name: who.display_name, role: who.role };
      await auditCall('auth.approve', clerk, input, { summary: { channel } }, { by: approvedBy, reason: approval.reason });
      return approvedBy;
    },

    /** The audit row of a call's outcome, unless the handler wrote its own (see dispatch). */
    async recordOutcome(channel: ChannelName, scope: AuditScope, staff: SignedIn | null, input: unknown, error: AppErrorShape | null): Promise<void> {
      const p = PERMISSIONS[channel];
      if (error === null) {
        // A write's service records what it changed in its own transaction (nothing, when nothing changed).
        if (p.audit !== 'export' || scope.rows > 0) return;
        const summary = p.audit === 'export' ? { input } : {};
        await auditCall(channel, staff, input, { summary }, approvalOf(scope));
        return;
      }
      if (scope.failureRecorded || error.code === 'VALIDATION' || (p.audit === 'read' && error.code !== 'FORBIDDEN')) return;
      await auditCall(channel, staff, input, { error }, approvalOf(scope));
    },

    policy: () => readPolicy(db),
  };
}

export type Gate = ReturnType<typeof createGate>;
