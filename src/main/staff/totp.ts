import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../documents/ports';
import type { TotpKeySource } from './ports';

/**
 * RFC 6238 codes: 6 digits, 30-second steps, one step of tolerance either side, and each step used
 * at most once per person (the last used step is stored). Secrets are kept encrypted with
 * AES-256-GCM under a key from the OS keychain in the app, or AR_DESK_TOTP_KEY for tools, and
 * bound to their account, so a copied value does not work on another row.
 */
export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'AR Desk';
const KEY_SECRET_NAME = 'staff.totp-key';

function totp(secretBase32: string, label = 'AR Desk'): TOTP {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS });
}

/** A new 160-bit secret, base32, and its otpauth:// URI for an authenticator app. */
export function newTotpSecret(username: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totp(secret, username).toString() };
}

/** The time step a code belongs to (within one step of now), or null when it matches none. */
export function codeStep(secretBase32: string, code: string, nowMs: number): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The code of a step (tests and the enrollment check). */
export function codeAt(secretBase32: string, nowMs: number): string {
  return totp(secretBase32).generate({ timestamp: nowMs });
}

async function requireKey(source: TotpKeySource): Promise<Buffer> {
  const key = await source();
  if (!key) {
    throw new AppError(
      'UNAVAILABLE',
      'Authenticator codes need an encryption key: the OS keychain in the app, or AR_DESK_TOTP_KEY (32 bytes as base64 or 64 hex digits) for tools.',
    );
  }
  return key;
}

export async function encryptTotpSecret(source: TotpKeySource, userId: number, secretBase32: string): Promise<string> {
  const key = await requireKey(source);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`staff:${userId}`));
  const ct = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join('.');
}

export async function decryptTotpSecret(source: TotpKeySource, userId: number, stored: string): Promise<string> {
  const key = await requireKey(source);
  const [version, iv, tag, ct] = stored.split('.');
  try {
    if (version !== 'v1' || !iv || !tag || !ct) throw new Error('format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(`staff:${userId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('UNAVAILABLE', 'The authenticator secret cannot be read with this key; an administrator can clear it (staff.clearTotp).');
  }
}

/** Reads a key given as base64 (32 bytes) or 64 hex digits; throws on anything else. */
export function parseTotpKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('AR_DESK_TOTP_KEY must be 32 bytes, as base64 or 64 hex digits.');
  return key;
}

/** AR_DESK_TOTP_KEY, for the CLI, dev:web and tests; null when unset. */
export function envTotpKey(env: NodeJS.ProcessEnv = process.env): TotpKeySource {
  const text = env.AR_DESK_TOTP_KEY;
  if (!text) return () => null;
  const key = parseTotpKey(text);
  return () => key;
}

/**
 * A key kept in the OS keychain (the app's safeStorage-backed secret store), made on first use.
 * Where the keychain offers no real encryption, there is no key: a secret encrypted under a key held
 * in memory could not be read after a restart. Calls at the same moment share one read (and one new
 * key); a read or save that failed is tried again on the next call.
 */
export function keychainTotpKey(secrets: SecretStore, encryptionAvailable: boolean): TotpKeySource {
  let key: Promise<Buffer> | null = null;
  const load = async (): Promise<Buffer> => {
    const stored = await secrets.get(KEY_SECRET_NAME);
    if (stored) return parseTotpKey(stored);
    const made = crypto.randomBytes(32);
    await secrets.set(KEY_SECRET_NAME, made.toString('base64'));
    return made;
  };
  return () => {
    if (!encryptionAvailable) return null;
    key ??= load().catch((e: unknown) => {
      key = null;
      throw e;
    });
    return key;
  };
}
