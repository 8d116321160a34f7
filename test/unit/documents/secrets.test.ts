import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptedFileSecretStore, osKeychainAvailable, type OsEncryption } from '../../../src/main/documents/secrets';
import { envSecretStore, SMTP_PASSWORD_SECRET } from '../../../src/main/documents/ports';

const xor = (b: Buffer, k: number) => Buffer.from([...b].map((x) => x ^ k));

// Stands in for the OS keychain with only the synchronous calls (Electron before 39): reversible, and visibly not the plain text.
const fakeEncryption = (available: boolean): OsEncryption => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => xor(Buffer.from(s, 'utf8'), 0x5a),
  decryptString: (b) => xor(b, 0x5a).toString('utf8'),
});

/**
 * The asynchronous safeStorage of Electron 39+: its synchronous calls throw, so a test passes only if
 * they are never used. It reads values written under the old key (0x5a) and asks for them to be
 * written again under its current one (0x33), as a rotated keychain key does.
 */
function fakeAsyncEncryption(options: { available?: boolean; backend?: string } = {}) {
  const calls: string[] = [];
  const forbidden = () => {
    throw new Error('the synchronous safeStorage call was used');
  };
  const os: OsEncryption = {
    isEncryptionAvailable: forbidden,
    encryptString: forbidden,
    decryptString: forbidden,
    isAsyncEncryptionAvailable: async () => {
      calls.push('available');
      return options.available ?? true;
    },
    encryptStringAsync: async (s) => {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from([0x33]), xor(Buffer.from(s, 'utf8'), 0x33)]);
    },
    decryptStringAsync: async (b) => {
      calls.push('decrypt');
      const k = b[0]!;
      return { result: xor(b.subarray(1), k).toString('utf8'), shouldReEncrypt: k !== 0x33 };
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
  return { os, calls };
}

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-secrets-')), 'secrets.json');

describe('secret stores', () => {
  it('keeps the SMTP password encrypted on disk and reads it back in a new store', async () => {
    const file = tempFile();
    await (await encryptedFileSecretStore(fakeEncryption(true), file)).set(SMTP_PASSWORD_SECRET, 'hunter2-smtp');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2');
    const again = await encryptedFileSecretStore(fakeEncryption(true), file);
    expect(await again.get(SMTP_PASSWORD_SECRET)).toBe('hunter2-smtp');
    expect(again.has(SMTP_PASSWORD_SECRET)).toBe(true);
    expect(await again.get('other')).toBeUndefined();
    await again.set(SMTP_PASSWORD_SECRET, '');
    expect(again.has(SMTP_PASSWORD_SECRET)).toBe(false);
  });

  it('never writes a secret in the clear when the OS cannot encrypt', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-secrets-'));
    const store = await encryptedFileSecretStore(fakeEncryption(false), path.join(dir, 'secrets.json'));
    await store.set(SMTP_PASSWORD_SECRET, 'hunter2-smtp');
    expect(await store.get(SMTP_PASSWORD_SECRET)).toBe('hunter2-smtp');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("uses safeStorage's asynchronous calls where Electron has them, and writes a value again when asked to", async () => {
    const file = tempFile();
    // Written earlier under the old key, as the synchronous encryptString of an older release did.
    fs.writeFileSync(file, JSON.stringify({ [SMTP_PASSWORD_SECRET]: Buffer.concat([Buffer.from([0x5a]), xor(Buffer.from('old-pass'), 0x5a)]).toString('base64') }));
    const { os: asyncOs, calls } = fakeAsyncEncryption();
    const store = await encryptedFileSecretStore(asyncOs, file);
    expect(await store.get(SMTP_PASSWORD_SECRET)).toBe('old-pass');
    expect(calls).toEqual(['available', 'decrypt', 'encrypt']);
    const rewritten = Buffer.from(JSON.parse(fs.readFileSync(file, 'utf8'))[SMTP_PASSWORD_SECRET], 'base64');
    expect(rewritten[0]).toBe(0x33);
    expect(await store.get(SMTP_PASSWORD_SECRET)).toBe('old-pass');

    // Two saves at once both land: each is written after the other, not over it.
    await Promise.all([store.set('a', 'first value'), store.set('b', 'second value')]);
    expect([await store.get('a'), await store.get('b')]).toEqual(['first value', 'second value']);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('value');
  });

  it('holds secrets in memory when the asynchronous encryption is not available', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-secrets-'));
    const store = await encryptedFileSecretStore(fakeAsyncEncryption({ available: false }).os, path.join(dir, 'secrets.json'));
    await store.set(SMTP_PASSWORD_SECRET, 'hunter2-smtp');
    expect(await store.get(SMTP_PASSWORD_SECRET)).toBe('hunter2-smtp');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("counts Linux's basic_text fallback as no keychain", async () => {
    expect(await osKeychainAvailable(fakeAsyncEncryption().os, 'linux')).toBe(true);
    expect(await osKeychainAvailable(fakeAsyncEncryption({ backend: 'basic_text' }).os, 'linux')).toBe(false);
    expect(await osKeychainAvailable(fakeAsyncEncryption({ backend: 'basic_text' }).os, 'win32')).toBe(true);
    expect(await osKeychainAvailable(fakeAsyncEncryption({ available: false }).os, 'darwin')).toBe(false);
    expect(await osKeychainAvailable(fakeEncryption(true), 'darwin')).toBe(true);
  });

  it('takes the SMTP password from AR_DESK_SMTP_PASSWORD for tools without Electron', async () => {
    expect(await envSecretStore({ AR_DESK_SMTP_PASSWORD: 's3cret' }).get(SMTP_PASSWORD_SECRET)).toBe('s3cret');
    expect(await envSecretStore({}).get(SMTP_PASSWORD_SECRET)).toBeUndefined();
  });
});
