import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptedFileSecretStore, type OsEncryption } from '../../../src/main/documents/secrets';
import { envSecretStore, SMTP_PASSWORD_SECRET } from '../../../src/main/documents/ports';

// Stands in for the OS keychain: reversible, and visibly not the plain text.
const fakeEncryption = (available: boolean): OsEncryption => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
});

describe('secret stores', () => {
  it('keeps the SMTP password encrypted on disk and reads it back in a new store', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-secrets-')), 'secrets.json');
    encryptedFileSecretStore(fakeEncryption(true), file).set(SMTP_PASSWORD_SECRET, 'hunter2-smtp');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(encryptedFileSecretStore(fakeEncryption(true), file).get(SMTP_PASSWORD_SECRET)).toBe('hunter2-smtp');
    expect(encryptedFileSecretStore(fakeEncryption(true), file).get('other')).toBeUndefined();
  });

  it('never writes a secret in the clear when the OS cannot encrypt', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-secrets-'));
    const store = encryptedFileSecretStore(fakeEncryption(false), path.join(dir, 'secrets.json'));
    store.set(SMTP_PASSWORD_SECRET, 'hunter2-smtp');
    expect(store.get(SMTP_PASSWORD_SECRET)).toBe('hunter2-smtp');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('takes the SMTP password from AR_DESK_SMTP_PASSWORD for tools without Electron', () => {
    expect(envSecretStore({ AR_DESK_SMTP_PASSWORD: 's3cret' }).get(SMTP_PASSWORD_SECRET)).toBe('s3cret');
    expect(envSecretStore({}).get(SMTP_PASSWORD_SECRET)).toBeUndefined();
  });
});
