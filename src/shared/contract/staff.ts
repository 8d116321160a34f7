import { z } from 'zod';
import { channel } from './define';
import { displayName, password, STAFF_ROLES, username, type StaffUserDto } from './auth';

/** Staff accounts and the office's sign-in policy: administrators only. */

export interface StaffPolicyDto {
  /** Minutes of inactivity before a window locks: 1 to 15 (PCI DSS 8.2.8 allows no more). */
  idleLockMinutes: number;
  /** Administrators must sign in with a TOTP code; one without enrolls at the next sign-in. */
  requireAdminTotp: boolean;
}

const byUsername = z.strictObject({ username });

export const staffChannels = {
  /** Every account, active or not, by username; no password hashes or secrets. */
  'staff.list': channel<{ users: StaffUserDto[] }>()(z.strictObject({})),
  /** A new account with a temporary password its owner must change at first sign-in. */
  'staff.create': channel<StaffUserDto>()(
    z.strictObject({ username, name: displayName, role: z.enum(STAFF_ROLES), password }),
  ),
  /** Role, name or active flag; disabling an account ends its sessions. */
  'staff.update': channel<StaffUserDto>()(
    z.strictObject({
      username,
      name: displayName.optional(),
      role: z.enum(STAFF_ROLES).optional(),
      active: z.boolean().optional(),
    }),
  ),
  /** A new temporary password (must be changed at the next sign-in); also lifts a lockout. */
  'staff.resetPassword': channel<StaffUserDto>()(z.strictObject({ username, password })),
  /** Lifts a lockout before its 30 minutes are up. */
  'staff.unlock': channel<StaffUserDto>()(byUsername),
  /** Removes a person's authenticator (a lost phone); they enroll again at the next sign-in if required. */
  'staff.clearTotp': channel<StaffUserDto>()(byUsername),
  'staff.policy': channel<StaffPolicyDto>()(z.strictObject({})),
  'staff.setPolicy': channel<StaffPolicyDto>()(
    z.strictObject({
      idleLockMinutes: z.number().int().min(1).max(15, { error: 'must be 15 minutes or less' }).optional(),
      requireAdminTotp: z.boolean().optional(),
    }),
  ),
};
