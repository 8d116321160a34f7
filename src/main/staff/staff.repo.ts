import type { Kysely, Transaction } from 'kysely';
import type { DB, StaffUserRow } from '../db/schema';
import type { StaffRole, StaffUserDto } from '../../shared/contract/auth';
import type { StaffPolicyDto } from '../../shared/contract/staff';

type Db = Kysely<DB> | Transaction<DB>;

export function staffByUsername(db: Db, username: string): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function staffById(db: Db, id: number): Promise<StaffUserRow | undefined> {
  return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function staffCount(db: Db): Promise<number> {
  const row = await db.selectFrom('staff_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function activeAdminCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listStaff(db: Db): Promise<StaffUserRow[]> {
  return db.selectFrom('staff_users').selectAll().orderBy('username').execute();
}

export interface NewStaff {
  username: string;
  name: string;
  role: StaffRole;
  passwordHash: string;
  mustChangePassword: boolean;
  at: string;
}

export async function insertStaff(db: Db, s: NewStaff): Promise<number> {
  const row = await db
    .insertInto('staff_users')
    .values({
      username: s.username,
      display_name: s.name,
      role: s.role,
      active: 1,
      created_at: s.at,
      password_hash: s.passwordHash,
      password_changed_at: s.at,
      must_change_password: s.mustChangePassword ? 1 : 0,
      updated_at: s.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Counts a failed attempt; at `limit` the account locks until `lockUntil` and the count starts again. */
export async function recordFailedAttempt(db: Db, id: number, limit: number, lockUntil: string): Promise<{ lockedNow: boolean }> {
  const row = await db
    .updateTable('staff_users')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirst();
  if (!row || row.failed_attempts < limit) return { lockedNow: false };
  await db.updateTable('staff_users').set({ failed_attempts: 0, locked_until: lockUntil }).where('id', '=', id).execute();
  return { lockedNow: true };
}

export async function recordSignIn(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('staff_users').set({ failed_attempts: 0, locked_until: null, last_sign_in_at: at }).where('id', '=', id).execute();
}

export async function clearFailures(db: Db, id: number): Promise<void> {
  await db.updateTable('staff_users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
}

/** Takes a TOTP step for the person; false when that step (or a later one) was already used. */
export async function claimTotpStep(db: Db, id: number, step: number): Promise<boolean> {
  const r = await db
    .updateTable('staff_users')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function readPolicy(db: Db): Promise<StaffPolicyDto> {
  const row = await db.selectFrom('staff_policy').selectAll().where('id', '=', 1).executeTakeFirst();
  return { idleLockMinutes: row?.idle_lock_minutes ?? 15, requireAdminTotp: row?.require_admin_totp === 1 };
}

/** A person and the office's policy in one read: what every call with a session needs. */
export async function staffWithPolicy(db: Db, id: number): Promise<{ user: StaffUserRow; policy: StaffPolicyDto } | undefined> {
  const row = await db
    .selectFrom('staff_users as u')
    .innerJoin('staff_policy as p', (join) => join.on('p.id', '=', 1))
    .selectAll('u')
    .select(['p.idle_lock_minutes', 'p.require_admin_totp'])
    .where('u.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { idle_lock_minutes, require_admin_totp, ...user } = row;
  return { user, policy: { idleLockMinutes: idle_lock_minutes, requireAdminTotp: require_admin_totp === 1 } };
}

export function toStaffDto(row: StaffUserRow, now: string): StaffUserDto {
  return {
    id: row.id,
    username: row.username,
    name: row.display_name,
    role: row.role,
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    totpEnabled: row.totp_secret !== null,
    lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until : null,
    failedAttempts: row.failed_attempts,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  };
}
