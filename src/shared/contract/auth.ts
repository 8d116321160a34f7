import { z } from 'zod';
import { channel, type ChannelDef } from './define';
import { PASSWORD_MAX_LENGTH } from '../passwords';

/**
 * Staff sign-in and the window's session. Passwords travel only in these inputs and in `approval`;
 * no output carries a password, a hash or a TOTP secret (except the new secret of auth.totpSetup,
 * shown once to its owner).
 */

export const STAFF_ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Lowercase letters, digits and . _ -, starting with a letter: "mokafor", "j.smith". */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;
export const username = z.string().trim().toLowerCase().max(32).regex(USERNAME_PATTERN, {
  error: 'must be 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter',
});
/** Checked against the rule in main (src/shared/passwords.ts); here only the size. */
export const password = z.string().min(1, { error: 'enter the password' }).max(PASSWORD_MAX_LENGTH);
/** Six digits from the authenticator app. */
export const totpCode = z.string().trim().regex(/^\d{6}$/, { error: 'must be the 6 digits the authenticator app shows' });
export const displayName = z.string().trim().min(1, { error: 'enter the full name' }).max(100);

/**
 * A supervisor's approval typed into a clerk's screen: the supervisor's own credentials and why.
 * Main checks them, runs the action as the clerk, approved by the supervisor, and never hands them
 * to the action itself.
 */
export const approvalSchema = z.strictObject({
  username,
  password,
  code: totpCode.optional(),
  reason: z.string().trim().min(3, { error: 'say why, in a few words' }).max(500),
});
export type ApprovalInput = z.infer<typeof approvalSchema>;

type ApprovableDef<D> = D extends ChannelDef<z.ZodObject<infer S>, infer O>
  ? ChannelDef<z.ZodObject<S & { approval: z.ZodOptional<typeof approvalSchema> }, z.core.$strict>, O>
  : never;

/** Adds the optional `approval` to the named channels' (strict object) inputs. */
export function withApproval<M extends Record<string, ChannelDef<z.ZodType, unknown>>, K extends keyof M & string>(
  channels: M,
  names: readonly K[],
): { [P in K]: ApprovableDef<M[P]> } {
  const out: Record<string, ChannelDef<z.ZodType, unknown>> = {};
  for (const name of names) {
    const input = channels[name]!.input;
    if (!(input instanceof z.ZodObject)) throw new Error(`${name}: only an object input can carry an approval`);
    out[name] = { input: input.extend({ approval: approvalSchema.optional() }) };
  }
  return out as { [P in K]: ApprovableDef<M[P]> };
}

export interface StaffUserDto {
  id: number;
  username: string;
  name: string;
  role: StaffRole;
  active: boolean;
  /** The password is temporary (first or reset): it must be changed before anything else. */
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** Set while the account is locked after too many failed sign-ins. */
  lockedUntil: string | null;
  failedAttempts: number;
  lastSignInAt: string | null;
  createdAt: string;
}

/** The signed-in person as the footer and title bar show them. */
export interface SignedInDto {
  id: number;
  username: string;
  name: string;
  role: StaffRole;
}

export interface SessionStateDto {
  user: SignedInDto;
  /** Locked by its owner or after the idle time: only auth.unlock (or auth.signOut) answers. */
  locked: boolean;
  lockReason: 'idle' | 'manual' | null;
  /** What must happen before any other channel answers. */
  mustChangePassword: boolean;
  mustEnrollTotp: boolean;
  /** The person signs in with a code from an authenticator app. */
  totpEnabled: boolean;
  /** The window locks after this many idle minutes (the office's setting, 15 at most). */
  idleLockMinutes: number;
}

export interface AuthStatusDto {
  /** No staff account exists: the app shows "Create the first administrator" and nothing else. */
  firstRun: boolean;
  /** Null when this window is not signed in. */
  session: SessionStateDto | null;
  workstation: string;
}

export interface SignInDto extends SessionStateDto {
  /**
   * Over the HTTP bridge: the session token later requests carry in X-AR-Desk-Session. In Electron
   * the session is tied to the window in main, so this is null.
   */
  token: string | null;
}

export interface TotpSetupDto {
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  /** otpauth:// URI, for a QR code. */
  uri: string;
}

export const authChannels = {
  'auth.status': channel<AuthStatusDto>()(z.strictObject({})),
  /** Only while no staff account exists: the first administrator, signed in at once. */
  'auth.setupFirstAdmin': channel<SignInDto>()(z.strictObject({ username, name: displayName, password })),
  'auth.signIn': channel<SignInDto>()(z.strictObject({ username, password, code: totpCode.optional() })),
  'auth.signOut': channel<{ signedOut: true }>()(z.strictObject({})),
  'auth.lock': channel<SessionStateDto>()(z.strictObject({})),
  'auth.unlock': channel<SessionStateDto>()(z.strictObject({ password })),
  'auth.changePassword': channel<SessionStateDto>()(z.strictObject({ currentPassword: password, newPassword: password })),
  /** Starts TOTP enrollment: a new secret held in the session until auth.totpEnable confirms a code from it. */
  'auth.totpSetup': channel<TotpSetupDto>()(z.strictObject({})),
  'auth.totpEnable': channel<SessionStateDto>()(z.strictObject({ code: totpCode })),
};
