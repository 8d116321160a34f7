import fs from 'node:fs';
import path from 'node:path';
import { settingsSchema, type AppSettings } from '../../shared/settings';
import { fileWithSettings, mergeSettings, serializeSettingsFile, settingsFromFile } from './settings.file';

/** Where settings live. The Electron shell backs it with electron-store; Node tools with a JSON file; both in the layout of settings.file.ts. */
export interface SettingsStore {
  get(): AppSettings;
  set(next: AppSettings): void;
}

export function memorySettingsStore(initial?: Partial<AppSettings>): SettingsStore {
  let current = mergeSettings(initial ?? {});
  return {
    get: () => structuredClone(current),
    set: (next) => {
      current = settingsSchema.parse(next);
    },
  };
}

/** The whole file, {} when there is none yet; throws when it is there but not JSON. */
function readWholeFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`The settings file ${file} is not valid JSON (${(e as Error).message}); fix it or move it away.`);
  }
}

/**
 * The JSON file the CLI and dev:web use: the same file, in the same layout, that the app's
 * electron-store keeps (settingsFilePath beside the ledger). A save reads the file first and
 * rewrites only the settings, so what the app or another tool saved stays.
 */
export function jsonFileSettingsStore(file: string): SettingsStore {
  return {
    get: () => {
      try {
        return settingsFromFile(readWholeFile(file));
      } catch {
        return mergeSettings({});
      }
    },
    set: (next) => {
      // A file that is there but unreadable is not overwritten: the error says so instead.
      const whole = fileWithSettings(readWholeFile(file), next);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, serializeSettingsFile(whole));
      fs.renameSync(tmp, file);
    },
  };
}
