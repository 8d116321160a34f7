import path from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type AppSettings } from '../../shared/settings';

/**
 * The one layout of the settings file, read and written alike by the app (through electron-store),
 * the CLI and dev:web (through a plain JSON file):
 *
 *   config.json beside the ledger:  { "settings": { ...AppSettings }, ...any other top-level key }
 *
 * This is the layout electron-store has always written for the app. A save rewrites only what this
 * version knows and keeps the rest: other top-level keys, and settings a newer version added.
 * A file in the flat layout older tools wrote ({ "timeZone": ..., ... } at the top) is read as
 * settings and moved under "settings" on the next save.
 */

export const SETTINGS_FILE_NAME = 'config.json';
export const SETTINGS_KEY = 'settings';

/** Where the app, the CLI and dev:web keep the settings for a ledger. */
export function settingsFilePath(ledgerPath: string): string {
  return path.join(path.dirname(path.resolve(ledgerPath)), SETTINGS_FILE_NAME);
}

/** The options the shell gives electron-store, so that it reads and writes settingsFilePath(ledgerPath). */
export function electronStoreOptions(ledgerPath: string) {
  const file = settingsFilePath(ledgerPath);
  return {
    cwd: path.dirname(file),
    name: path.basename(SETTINGS_FILE_NAME, '.json'),
    fileExtension: 'json',
    // Read the file on every get: the CLI or dev:web may have saved since.
    cache: false,
    watch: false,
    // A file someone broke by hand is reported, never silently emptied.
    clearInvalidConfig: false,
  } as const;
}

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SETTINGS_KEYS = new Set(Object.keys(DEFAULT_SETTINGS));

/** True for a file in the flat layout: settings at the top and no "settings" key. */
function isFlatLayout(file: Json): boolean {
  return !(SETTINGS_KEY in file) && Object.keys(file).some((k) => SETTINGS_KEYS.has(k));
}

function storedSettings(file: unknown): Json {
  if (!isPlainObject(file)) return {};
  if (isFlatLayout(file)) return Object.fromEntries(Object.entries(file).filter(([k]) => SETTINGS_KEYS.has(k)));
  const stored = file[SETTINGS_KEY];
  return isPlainObject(stored) ? stored : {};
}

/** `stored` over `defaults`, taking only the keys `defaults` has, at every depth (a newer version's keys are left out). */
export function knownOver(defaults: unknown, stored: unknown): unknown {
  if (!isPlainObject(defaults)) return stored === undefined ? defaults : stored;
  if (!isPlainObject(stored)) return defaults;
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, k in stored ? knownOver(v, stored[k]) : v]));
}

/** Stored settings over the defaults; a stored setting that is not valid gives that setting's default. */
export function mergeSettings(stored: unknown): AppSettings {
  const merged = knownOver(DEFAULT_SETTINGS, stored) as Json;
  // Settings saved before the time zone was confirmed on first run: the office has been working in
  // the zone it saved, so it is not asked again.
  if (isPlainObject(stored) && 'timeZone' in stored && !('timeZoneConfirmed' in stored)) merged.timeZoneConfirmed = true;
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const shape = settingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const out = structuredClone(DEFAULT_SETTINGS) as Json;
  for (const [k, v] of Object.entries(merged)) if (shape[k]?.safeParse(v).success) out[k] = v;
  const whole = settingsSchema.safeParse(out);
  return whole.success ? whole.data : structuredClone(DEFAULT_SETTINGS);
}

/** The settings a whole settings file holds. */
export function settingsFromFile(file: unknown): AppSettings {
  return mergeSettings(storedSettings(file));
}

/** `known` written over `kept`: objects merged key by key, so keys only `kept` has stay. */
export function overlay(kept: unknown, known: unknown): unknown {
  if (!isPlainObject(kept) || !isPlainObject(known)) return known;
  const out: Json = { ...kept };
  for (const [k, v] of Object.entries(known)) out[k] = overlay(kept[k], v);
  return out;
}

/** The whole file after saving `next`: other top-level keys and unknown settings kept, flat layout moved under "settings". */
export function fileWithSettings(file: unknown, next: AppSettings): Json {
  const valid = settingsSchema.parse(next);
  const current = isPlainObject(file) ? file : {};
  const others = isFlatLayout(current)
    ? Object.fromEntries(Object.entries(current).filter(([k]) => !SETTINGS_KEYS.has(k)))
    : Object.fromEntries(Object.entries(current).filter(([k]) => k !== SETTINGS_KEY));
  return { ...others, [SETTINGS_KEY]: overlay(storedSettings(current), valid) };
}

/** The text of a settings file, as electron-store (conf) writes it: JSON indented with tabs. */
export function serializeSettingsFile(file: Json): string {
  return JSON.stringify(file, undefined, '\t');
}

/** What the shell's electron-store instance offers: the whole file as one object, read and written. */
export interface WholeFileStore {
  store: Json;
}

/**
 * The app's settings store: electron-store, made with electronStoreOptions(ledgerPath), read and
 * written through this layout. `Store` is passed in so that this module does not import electron.
 */
export function electronSettingsStore(Store: new (options: ReturnType<typeof electronStoreOptions>) => WholeFileStore, ledgerPath: string): SettingsAccess {
  const store = new Store(electronStoreOptions(ledgerPath));
  return overWholeFile(store);
}

/** The same shape as SettingsStore (settings.store.ts), which builds on this module. */
export interface SettingsAccess {
  get(): AppSettings;
  set(next: AppSettings): void;
}

export function overWholeFile(store: WholeFileStore): SettingsAccess {
  return {
    get: () => {
      try {
        return settingsFromFile(store.store);
      } catch {
        return structuredClone(DEFAULT_SETTINGS);
      }
    },
    set: (next) => {
      store.store = fileWithSettings(store.store, next);
    },
  };
}
