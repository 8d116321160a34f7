/**
 * The office ledger's address and which ledger a workstation opens at start. Pure: the Electron
 * shell asks these functions and does what they say (index.ts), the settings read and write them.
 *
 * The address is saved in the workstation's settings without its password; the password is kept
 * apart, in the OS keychain, and put back into the address only in memory, when the ledger is opened.
 */

import type { LedgerOrigin, OfficeLedgerView } from '../../shared/contract/settings';

export type { LedgerOrigin };

function urlOf(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** True when the address carries a password, in its user part or as a `password=` parameter. */
export function passwordInAddress(address: string): boolean {
  const u = urlOf(address);
  return u !== null && (u.password !== '' || u.searchParams.has('password'));
}

/** The address as it is saved and shown: trimmed, and without a password (an empty one's colon too). */
export function addressWithoutPassword(url: string): string {
  const u = urlOf(url.trim());
  if (!u) return url.trim();
  u.password = '';
  u.searchParams.delete('password');
  return u.toString();
}

/** The address with the password put in (percent-encoded, so any character survives); unchanged without one. */
export function addressWithPassword(address: string, password: string | undefined): string {
  const u = urlOf(address);
  if (!password || !u) return address;
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** What the shell opens: the office's server (with the password, in memory only) or the SQLite file. */
export interface LedgerPlan {
  /** postgres://USER:PASSWORD@HOST:PORT/DB, or undefined for this workstation's own SQLite file. */
  databaseUrl: string | undefined;
  origin: LedgerOrigin;
  /** The address without its password, for messages; null for the SQLite file. */
  address: string | null;
}

/**
 * AR_DESK_DATABASE_URL when it is set (an IT person's choice for the whole computer), else the
 * address saved on the Settings screen with the keychain's password, else the SQLite file.
 */
export function planLedger(input: { environmentUrl: string | undefined; savedAddress: string | null; savedPassword: string | undefined }): LedgerPlan {
  if (input.environmentUrl) {
    return { databaseUrl: input.environmentUrl, origin: { source: 'environment' }, address: addressWithoutPassword(input.environmentUrl) };
  }
  if (input.savedAddress) {
    return { databaseUrl: addressWithPassword(input.savedAddress, input.savedPassword), origin: { source: 'settings' }, address: input.savedAddress };
  }
  return { databaseUrl: undefined, origin: { source: 'local' }, address: null };
}

/** The words of a failure to open the ledger (AppError messages are written for people already). */
export function problemOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const QUIT = 'Quit';
export const OPEN_LOCAL = "Open settings with this workstation's own ledger";

/** What the shell shows when the office ledger cannot be opened (Electron's dialog.showMessageBox options). */
export interface StartupFailureDialog {
  type: 'error';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
}

/**
 * The dialog for an office ledger that could not be opened, or null when the SQLite file itself
 * failed (no office ledger was asked for: the shell's usual error box says why). The way back to
 * this workstation's own ledger is offered only for an address saved on the Settings screen, which
 * the Settings screen can then change; AR_DESK_DATABASE_URL is changed where it was set.
 */
export function startupFailureDialog(plan: LedgerPlan, problem: string): StartupFailureDialog | null {
  if (plan.origin.source === 'local' || plan.origin.source === 'fallback') return null;
  const base = {
    type: 'error' as const,
    title: 'AR Desk',
    message: "AR Desk could not open the office's ledger",
    defaultId: 0,
    cancelId: 0,
    noLink: true as const,
  };
  if (plan.origin.source === 'environment') {
    return {
      ...base,
      detail: `${problem}\n\nThis computer's AR_DESK_DATABASE_URL names the office ledger (${plan.address}). Correct it, or remove it to use the address saved in Settings, and start AR Desk again.`,
      buttons: [QUIT],
    };
  }
  return {
    ...base,
    detail:
      `${problem}\n\nThe address saved in Settings is ${plan.address}. An administrator can open Settings with this ` +
      "workstation's own ledger to correct the address or clear it, then restart AR Desk. Payments taken there are not in the office's ledger.",
    buttons: [QUIT, OPEN_LOCAL],
  };
}

/** What follows the administrator's answer: quit, or open the SQLite file, remembering why. */
export type StartupAnswer = { action: 'quit' } | { action: 'open-local'; plan: LedgerPlan };

export function afterStartupFailure(dialog: StartupFailureDialog, response: number, problem: string): StartupAnswer {
  if (dialog.buttons[response] !== OPEN_LOCAL) return { action: 'quit' };
  return { action: 'open-local', plan: { databaseUrl: undefined, origin: { source: 'fallback', problem }, address: null } };
}

/**
 * What the Settings screen tells about the office ledger. `running` is the open ledger's engine and
 * where it is (the SQLite file, or the server's address without the password).
 */
export function officeLedgerView(input: {
  savedAddress: string | null;
  passwordSet: boolean;
  running: { engine: 'sqlite' | 'postgres'; where: string };
  origin: LedgerOrigin;
}): OfficeLedgerView {
  const { savedAddress, running, origin } = input;
  const runningAddress = running.engine === 'postgres' ? addressWithoutPassword(running.where) : null;
  // Under AR_DESK_DATABASE_URL the saved address waits until the variable is removed: a restart alone changes nothing.
  const restartNeeded = origin.source !== 'environment' && (savedAddress ?? null) !== (origin.source === 'settings' ? runningAddress : null);
  return {
    databaseUrl: savedAddress,
    passwordSet: input.passwordSet,
    current: { engine: running.engine, where: runningAddress ?? running.where, origin },
    restartNeeded,
  };
}
