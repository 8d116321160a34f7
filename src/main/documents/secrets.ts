import fs from 'node:fs';
import path from 'node:path';
import { memorySecretStore, type SecretStore } from './ports';

/**
 * The part of Electron's safeStorage this needs; passed in so this module never imports electron.
 * Electron 39 and later have the asynchronous calls (the synchronous ones are deprecated there);
 * without them the synchronous ones are used.
 */
export interface OsEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plain: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the key was rotated or a better one is available, so the value is written again. */
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: which keychain safeStorage uses; 'basic_text' is a fixed key in the program, no keychain. */
  getSelectedStorageBackend?(): string;
}

interface Encryptor {
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** The asynchronous calls where the installed Electron has them, otherwise the synchronous ones. */
function encryptorOf(os: OsEncryption): Encryptor {
  if (os.isAsyncEncryptionAvailable && os.encryptStringAsync && os.decryptStringAsync) {
    const { isAsyncEncryptionAvailable, encryptStringAsync, decryptStringAsync } = os;
    return {
      available: () => isAsyncEncryptionAvailable.call(os),
      encrypt: (plain) => encryptStringAsync.call(os, plain),
      decrypt: (encrypted) => decryptStringAsync.call(os, encrypted),
    };
  }
  return {
    available: async () => os.isEncryptionAvailable(),
    encrypt: async (plain) => os.encryptString(plain),
    decrypt: async (encrypted) => ({ result: os.decryptString(encrypted), shouldReEncrypt: false }),
  };
}

/**
 * Whether the OS keychain really encrypts: encryption is available, and on Linux it is not the
 * basic_text fallback (a key built into the program, which keeps nothing from someone with the file).
 */
export async function osKeychainAvailable(os: OsEncryption, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (!(await encryptorOf(os).available())) return false;
  return platform !== 'linux' || os.getSelectedStorageBackend?.() !== 'basic_text';
}

/**
 * Secrets encrypted by the operating system's keychain (Electron's safeStorage) and kept as base64
 * in a small JSON file (e.g. secrets.json in the user-data folder). Where the OS offers no
 * encryption, secrets are held in memory only for this run rather than written in the clear.
 * Writes are made one at a time, so two saves close together cannot lose one another.
 */
export async function encryptedFileSecretStore(os: OsEncryption, file: string): Promise<SecretStore> {
  const encryptor = encryptorOf(os);
  if (!(await encryptor.available())) return memorySecretStore();
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  let writes: Promise<unknown> = Promise.resolve();
  /** `unlessChangedFrom`: written only while the file still holds that value (a re-encryption must not undo a newer save). */
  const write = (name: string, value: string, unlessChangedFrom?: string): Promise<void> => {
    const next = writes.then(async () => {
      if (unlessChangedFrom !== undefined && read()[name] !== unlessChangedFrom) return;
      const encrypted = value === '' ? null : (await encryptor.encrypt(value)).toString('base64');
      const all = read();
      if (encrypted === null) delete all[name];
      else all[name] = encrypted;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
      fs.renameSync(tmp, file);
    });
    writes = next.catch(() => undefined);
    return next;
  };
  return {
    has: (name) => Boolean(read()[name]),
    async get(name) {
      const stored = read()[name];
      if (!stored) return undefined;
      let opened: { result: string; shouldReEncrypt: boolean };
      try {
        opened = await encryptor.decrypt(Buffer.from(stored, 'base64'));
      } catch {
        return undefined;
      }
      // Kept under the keychain's current key from now on; the value read is good either way.
      if (opened.shouldReEncrypt) await write(name, opened.result, stored).catch(() => undefined);
      return opened.result;
    },
    set: (name, value) => write(name, value),
  };
}
