import type { StaffRole, StaffUserDto } from '../../shared/contract/auth';
import type { StaffPolicyDto } from '../../shared/contract/staff';
import { AppError } from '../../shared/errors';
import type { StaffUserRow } from '../db/schema';
import { appendAudit } from './audit.repo';
import type { AuditPerson } from './audit.scope';
import { assertPasswordRule, hashPassword, nextHistory, parseHistory, reusesRecent } from './passwords';
import type { StaffDeps } from './ports';
import type { SessionStore } from './sessions';
import { activeAdminCount, insertStaff, listStaff, readPolicy, staffByUsername, staffCount, toStaffDto } from './staff.repo';
import { writeTx } from '../db/dialect';

/** Who asks: a signed-in administrator, or the CLI ("cli:<os user>", id null). */
export interface StaffActor {
  id: number | null;
  username: string;
  name: string | null;
}

/**
 * Staff accounts, kept by administrators (and the CLI, which acts with file-level access). Every
 * change is audited in its own transaction. The last active administrator cannot be demoted or
 * disabled, and an administrator changes their own password with auth.changePassword.
 */
export function createStaffService(deps: StaffDeps, sessions: SessionStore) {
  const db = deps.ledger.db;
  const nowIso = () => deps.clock.now().toISOString();

  async function userOrThrow(username: string): Promise<StaffUserRow> {
    const row = await staffByUsername(db, username);
    if (!row) throw new AppError('NOT_FOUND', `No staff account is named ${username}.`);
    return row;
  }

  async function change(actor: StaffActor, username: string, action: string, summary: Record<string, unknown>, set: Partial<StaffUserRow>): Promise<StaffUserDto> {
    const at = nowIso();
    await writeTx(db, async (trx) => {
      await trx.updateTable('staff_users').set({ ...set, updated_at: at }).where('username', '=', username).execute();
      await appendAudit(trx, { at, actor: actor.username, actorPerson: actor as AuditPerson, action, entity: 'staff', entityId: username, summary, customerNumber: null, workstation: deps.workstation });
    });
    return toStaffDto((await userOrThrow(username)), nowIso());
  }

  return {
    async list(): Promise<StaffUserDto[]> {
      const now = nowIso();
      return (await listStaff(db)).map((r) => toStaffDto(r, now));
    },

    /** A new account. Its password is temporary unless `mustChangePassword` is false (scripted set-ups, audited as such). */
    async create(
      actor: StaffActor,
      input: { username: string; name: string; role: StaffRole; password: string; mustChangePassword?: boolean },
    ): Promise<StaffUserDto> {
      assertPasswordRule(input.password, input.username);
      if (await staffByUsername(db, input.username)) throw new AppError('CONFLICT', `A staff account named ${input.username} exists already.`);
      const passwordHash = await hashPassword(input.password);
      const mustChangePassword = input.mustChangePassword ?? true;
      const at = nowIso();
      await writeTx(db, async (trx) => {
        const firstAccount = (await staffCount(trx)) === 0;
        if (firstAccount && input.role !== 'admin') throw new AppError('VALIDATION', 'The first staff account must be an administrator.', { fields: { role: 'must be admin for the first account' } });
        await insertStaff(trx, { username: input.username, name: input.name, role: input.role, passwordHash, mustChangePassword, at });
        await appendAudit(trx, {
          at,
          actor: actor.username,
          actorPerson: actor,
          action: 'staff.create',
          entity: 'staff',
          entityId: input.username,
          summary: { role: input.role, name: input.name, temporaryPassword: mustChangePassword, firstAccount },
          customerNumber: null,
          workstation: deps.workstation,
        });
      });
      return toStaffDto(await userOrThrow(input.username), nowIso());
    },

    async update(actor: StaffActor, input: { username: string; name?: string | undefined; role?: StaffRole | undefined; active?: boolean | undefined }): Promise<StaffUserDto> {
      const user = await userOrThrow(input.username);
      const demoting = input.role !== undefined && input.role !== 'admin' && user.role === 'admin';
      const disabling = input.active === false && user.active === 1;
      if ((demoting || disabling) && actor.id === user.id) {
        throw new AppError('CONFLICT', 'You cannot take away your own administrator access or disable your own account; another administrator can.');
      }
      if ((demoting || disabling) && user.role === 'admin' && user.active === 1 && (await activeAdminCount(db)) <= 1) {
        throw new AppError('CONFLICT', 'This is the last active administrator: make another administrator first.');
      }
      const set: Partial<StaffUserRow> = {};
      const summary: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== user.display_name) {
        set.display_name = input.name;
        summary.name = { from: user.display_name, to: input.name };
      }
      if (input.role !== undefined && input.role !== user.role) {
        set.role = input.role;
        summary.role = { from: user.role, to: input.role };
      }
      if (input.active !== undefined && (input.active ? 1 : 0) !== user.active) {
        set.active = input.active ? 1 : 0;
        summary.active = { from: user.active === 1, to: input.active };
      }
      if (Object.keys(set).length === 0) return toStaffDto(user, nowIso());
      const dto = await change(actor, user.username, 'staff.update', summary, set);
      if (input.active === false) sessions.endForUser(user.id);
      return dto;
    },

    /** A new temporary password, which also lifts a lockout; it may not repeat the person's last four. */
    async resetPassword(actor: StaffActor, input: { username: string; password: string; mustChangePassword?: boolean }): Promise<StaffUserDto> {
      const user = await userOrThrow(input.username);
      if (actor.id !== null && actor.id === user.id) {
        throw new AppError('CONFLICT', 'Change your own password with Change password (auth.changePassword), which asks for the current one.');
      }
      assertPasswordRule(input.password, user.username);
      if (await reusesRecent(input.password, user.password_hash, parseHistory(user.password_history))) {
        throw new AppError('VALIDATION', 'The password must differ from the last four of this account.', { fields: { password: 'must differ from the last four' } });
      }
      const passwordHash = await hashPassword(input.password);
      const mustChange = input.mustChangePassword ?? true;
      return change(actor, user.username, 'staff.resetPassword', { temporaryPassword: mustChange }, {
        password_hash: passwordHash,
        password_history: nextHistory(user.password_hash, parseHistory(user.password_history)),
        password_changed_at: nowIso(),
        must_change_password: mustChange ? 1 : 0,
        failed_attempts: 0,
        locked_until: null,
      });
    },

    async unlock(actor: StaffActor, username: string): Promise<StaffUserDto> {
      const user = await userOrThrow(username);
      return change(actor, user.username, 'staff.unlock', { wasLockedUntil: user.locked_until, failedAttempts: user.failed_attempts }, { failed_attempts: 0, locked_until: null });
    },

    async clearTotp(actor: StaffActor, username: string): Promise<StaffUserDto> {
      const user = await userOrThrow(username);
      return change(actor, user.username, 'staff.clearTotp', { hadTotp: user.totp_secret !== null }, { totp_secret: null, totp_last_step: null });
    },

    policy(): Promise<StaffPolicyDto> {
      return readPolicy(db);
    },

    async setPolicy(actor: StaffActor, changes: Partial<StaffPolicyDto>): Promise<StaffPolicyDto> {
      const before = await readPolicy(db);
      const after = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as StaffPolicyDto;
      const at = nowIso();
      await writeTx(db, async (trx) => {
        await trx
          .updateTable('staff_policy')
          .set({ idle_lock_minutes: after.idleLockMinutes, require_admin_totp: after.requireAdminTotp ? 1 : 0, updated_at: at, updated_by: actor.username })
          .where('id', '=', 1)
          .execute();
        await appendAudit(trx, { at, actor: actor.username, actorPerson: actor, action: 'staff.setPolicy', entity: 'settings', entityId: 'staff_policy', summary: { before, after }, customerNumber: null, workstation: deps.workstation });
      });
      return after;
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
