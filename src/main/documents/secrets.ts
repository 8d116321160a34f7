import fs from 'node:fs';
import path from 'node:path';
import { memorySecretStore, type SecretStore } from './ports';

/** The part of Electron's safeStorage this needs; passed in so this module never imports electron. */
export interface OsEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Secrets encrypted by the operating system's keychain (Electron's safeStorage) and kept as base64
 * in a small JSON file (e.g. secrets.json in the user-data folder). Where the OS offers no
 * encryption, secrets are held in memory only for this run rather than written in the clear.
 */
export function encryptedFileSecretStore(encryption: OsEncryption, file: string): SecretStore {
  if (!encryption.isEncryptionAvailable()) return memorySecretStore();
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    get(name) {
      const stored = read()[name];
      if (!stored) return undefined;
      try {
        return encryption.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        return undefined;
      }
    },
    set(name, value) {
      const all = read();
      all[name] = encryption.encryptString(value).toString('base64');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
  };
}
