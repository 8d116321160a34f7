import type { Ledger } from '../db/connection';
import type { Clock } from '../clock';
import type { Logger } from '../log';

/**
 * What the staff module needs from outside, a slice of the core's deps (so it never imports core.ts).
 */
export interface StaffDeps {
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  /** This installation's stable id, written on every audit row. */
  workstation: string;
  /** The 32-byte key TOTP secrets are encrypted with; null when none is configured (TOTP then cannot be used). */
  totpKey: TotpKeySource;
  /** The office's time zone, for audit.list's calendar-day filters. */
  timeZone(): string;
}

/** Null when there is no key; the keychain's key is read asynchronously. */
export type TotpKeySource = () => Buffer | null | Promise<Buffer | null>;
