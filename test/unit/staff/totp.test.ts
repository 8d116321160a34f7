import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeAt, codeStep, decryptTotpSecret, encryptTotpSecret, envTotpKey, keychainTotpKey, newTotpSecret, parseTotpKey } from '../../../src/main/staff/totp';
import { memorySecretStore } from '../../../src/main/documents/ports';

const key = crypto.randomBytes(32);
const source = () => key;

describe('TOTP (RFC 6238)', () => {
  it('accepts the code of this step and one step either side, nothing further', () => {
    const { secret, uri } = newTotpSecret('mokafor');
    expect(uri).toMatch(/^otpauth:\/\/totp\/AR%20Desk:mokafor\?.*period=30/);
    const now = Date.parse('2026-11-20T15:00:10Z');
    const step = Math.floor(now / 30_000);
    expect(codeStep(secret, codeAt(secret, now), now)).toBe(step);
    expect(codeStep(secret, codeAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(codeStep(secret, codeAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(codeStep(secret, codeAt(secret, now - 60_000), now)).toBeNull();
    expect(codeStep(secret, codeAt(secret, now + 60_000), now)).toBeNull();
  });

  it('keeps the secret encrypted with AES-256-GCM, bound to its account', () => {
    const stored = encryptTotpSecret(source, 7, 'JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decryptTotpSecret(source, 7, stored)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decryptTotpSecret(source, 8, stored)).toThrow(/cannot be read/);
    expect(() => decryptTotpSecret(() => crypto.randomBytes(32), 7, stored)).toThrow(/cannot be read/);
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'B' : 'A') + stored.slice(-1);
    expect(() => decryptTotpSecret(source, 7, tampered)).toThrow(/cannot be read/);
    expect(() => encryptTotpSecret(() => null, 7, 'JBSWY3DPEHPK3PXP')).toThrow(/AR_DESK_TOTP_KEY/);
  });

  it('takes its key from AR_DESK_TOTP_KEY (base64 or hex) or the keychain, never from a store without encryption', () => {
    expect(envTotpKey({ AR_DESK_TOTP_KEY: key.toString('base64') })()).toEqual(key);
    expect(envTotpKey({ AR_DESK_TOTP_KEY: key.toString('hex') })()).toEqual(key);
    expect(envTotpKey({})()).toBeNull();
    expect(() => parseTotpKey('too short')).toThrow(/32 bytes/);
    const secrets = memorySecretStore();
    const first = keychainTotpKey(secrets, true)();
    expect(first).toHaveLength(32);
    expect(keychainTotpKey(secrets, true)()).toEqual(first);
    expect(keychainTotpKey(memorySecretStore(), false)()).toBeNull();
  });
});
