import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type AppSettings } from '../../shared/settings';

/** Where settings live. The Electron shell backs it with electron-store; Node tools with a JSON file. */
export interface SettingsStore {
  get(): AppSettings;
  set(next: AppSettings): void;
}

function merge(stored: unknown): AppSettings {
  const base = structuredClone(DEFAULT_SETTINGS) as Record<string, unknown>;
  if (stored && typeof stored === 'object') {
    for (const [k, v] of Object.entries(stored as Record<string, unknown>)) {
      if (!(k in base)) continue;
      const cur = base[k];
      base[k] = cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object'
        ? { ...(cur as object), ...(v as object) }
        : v;
    }
  }
  const parsed = settingsSchema.safeParse(base);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS);
}

export function memorySettingsStore(initial?: Partial<AppSettings>): SettingsStore {
  let current = merge(initial ?? {});
  return {
    get: () => structuredClone(current),
    set: (next) => {
      current = settingsSchema.parse(next);
    },
  };
}

/** A JSON file store with the same layout electron-store writes (config.json beside the ledger by default). */
export function jsonFileSettingsStore(file: string): SettingsStore {
  const read = (): AppSettings => {
    try {
      return merge(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
  };
  return {
    get: read,
    set: (next) => {
      const valid = settingsSchema.parse(next);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(valid, null, 2));
      fs.renameSync(tmp, file);
    },
  };
}
