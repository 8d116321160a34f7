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

  it('keeps the secret encrypted with AES-256-GCM, bound to its account', async () => {
    const stored = await encryptTotpSecret(source, 7, 'JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await decryptTotpSecret(source, 7, stored)).toBe('JBSWY3DPEHPK3PXP');
    await expect(decryptTotpSecret(source, 8, stored)).rejects.toThrow(/cannot be read/);
    await expect(decryptTotpSecret(() => crypto.randomBytes(32), 7, stored)).rejects.toThrow(/cannot be read/);
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'B' : 'A') + stored.slice(-1);
    await expect(decryptTotpSecret(source, 7, tampered)).rejects.toThrow(/cannot be read/);
    await expect(encryptTotpSecret(() => null, 7, 'JBSWY3DPEHPK3PXP')).rejects.toThrow(/AR_DESK_TOTP_KEY/);
  });

  it('takes its key from AR_DESK_TOTP_KEY (base64 or hex) or the keychain, never from a store without encryption', async () => {
    expect(envTotpKey({ AR_DESK_TOTP_KEY: key.toString('base64') })()).toEqual(key);
    expect(envTotpKey({ AR_DESK_TOTP_KEY: key.toString('hex') })()).toEqual(key);
    expect(envTotpKey({})()).toBeNull();
    expect(() => parseTotpKey('too short')).toThrow(/32 bytes/);
    const secrets = memorySecretStore();
    const first = await keychainTotpKey(secrets, true)();
    expect(first).toHaveLength(32);
    expect(await keychainTotpKey(secrets, true)()).toEqual(first);
    expect(await keychainTotpKey(memorySecretStore(), false)()).toBeNull();
  });

  it('makes one keychain key when several sign-ins ask for it at once, and asks again after a failed save', async () => {
    const inner = memorySecretStore();
    let saves = 0;
    let failNext = true;
    const secrets = {
      has: inner.has,
      get: inner.get,
      set: async (name: string, value: string) => {
        saves += 1;
        if (failNext) {
          failNext = false;
          throw new Error('keychain locked');
        }
        await inner.set(name, value);
      },
    };
    const source = keychainTotpKey(secrets, true);
    await expect(source()).rejects.toThrow('keychain locked');
    const [a, b] = await Promise.all([source(), source()]);
    expect(a).toEqual(b);
    expect(saves).toBe(2);
    expect(await keychainTotpKey(secrets, true)()).toEqual(a);
  });
});
