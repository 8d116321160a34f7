import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../../shared/errors';
import { PASSWORD_HISTORY, passwordProblem } from '../../shared/passwords';

/**
 * Argon2id with OWASP's minimum: 19 MiB, 2 iterations, parallelism 1. The PHC string keeps the
 * parameters and salt, so a later change of them still verifies older hashes.
 */
/** 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read). */
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** False for a wrong password and for a malformed or missing hash alike. */
export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) {
    // Spend the same time as a real check, so a missing account or password cannot be told by timing.
    await verify(await dummyHash(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hash('not a password of anyone 0', ARGON2);
  return dummy;
}

/** Refuses a password that breaks the rule, saying which part. */
export function assertPasswordRule(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('VALIDATION', problem, { fields: { password: problem } });
}

/** The stored history: previous hashes, newest first. */
export function parseHistory(json: string): string[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

/** True when `password` is the current one or one of the previous (together the last four). */
export async function reusesRecent(password: string, current: string | null, history: string[]): Promise<boolean> {
  const recent = [current, ...history].filter((h): h is string => !!h).slice(0, PASSWORD_HISTORY);
  for (const h of recent) {
    if (await verifyPassword(h, password)) return true;
  }
  return false;
}

/** The history to store after a change: the old current hash first, keeping the last four minus the new one. */
export function nextHistory(oldCurrent: string | null, history: string[]): string {
  const list = [oldCurrent, ...history].filter((h): h is string => !!h).slice(0, PASSWORD_HISTORY - 1);
  return JSON.stringify(list);
}
