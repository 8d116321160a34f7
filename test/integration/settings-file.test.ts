import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/shared/settings';
import { jsonFileSettingsStore, type SettingsStore } from '../../src/main/settings/settings.store';
import { electronSettingsStore, electronStoreOptions, settingsFilePath } from '../../src/main/settings/settings.file';
import { openNodeRuntime } from '../../src/main/runtime';
import { silentLogger } from '../../src/main/log';
import { memorySecretStore } from '../../src/main/documents/ports';
import { tempDir } from '../helpers/runtime';
import { runCli } from '../../src/main/cli/cli';
import { buildDocumentScene } from '../helpers/documents-fixtures';

/**
 * The app keeps its settings with electron-store; the CLI and dev:web with a JSON file. Both must
 * be one file in one layout. electron-store is the real package here: outside Electron it needs an
 * absolute cwd, and its `electron` import is pointed at a dummy binary path so that it does not try
 * to download Electron.
 */

type StoreClass = typeof import('electron-store').default;
let ElectronStore: StoreClass;

beforeAll(async () => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= tempDir('ar-desk-no-electron-');
  ElectronStore = (await import('electron-store')).default;
});

let dir: string;
let ledgerPath: string;
let configPath: string;
beforeEach(() => {
  dir = tempDir();
  ledgerPath = path.join(dir, 'ledger.db');
  configPath = path.join(dir, 'config.json');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The store exactly as the shell (src/main/index.ts) makes it. */
const appStore = (): SettingsStore => electronSettingsStore(ElectronStore, ledgerPath);
/** The store exactly as the CLI and dev:web make it (src/main/runtime.ts). */
const toolsStore = (): SettingsStore => jsonFileSettingsStore(settingsFilePath(ledgerPath));

const withOffice = (s: AppSettings): AppSettings => ({
  ...s,
  company: { ...s.company, name: 'Łódź Import Partners sp. z o.o.', phone: '+48 42 555 01 00' },
  defaultTaxRateBp: 825,
});

describe('one settings file for the app, the CLI and dev:web', () => {
  it('keeps the app and the tools in one config.json beside the ledger', () => {
    const store = new ElectronStore(electronStoreOptions(ledgerPath));
    expect(store.path).toBe(configPath);
    expect(settingsFilePath(ledgerPath)).toBe(configPath);
  });

  it('reads in the tools what the app saved, and keeps it when the tools save', () => {
    const app = appStore();
    app.set(withOffice(app.get()));
    expect(fs.existsSync(configPath)).toBe(true);

    const tools = toolsStore();
    expect(tools.get().company.name).toBe('Łódź Import Partners sp. z o.o.');
    expect(tools.get().defaultTaxRateBp).toBe(825);

    tools.set({ ...tools.get(), timeZone: 'Europe/Warsaw', dateFormat: 'YYYY-MM-DD' });
    const seenByApp = appStore().get();
    expect(seenByApp).toMatchObject({
      timeZone: 'Europe/Warsaw',
      dateFormat: 'YYYY-MM-DD',
      company: { name: 'Łódź Import Partners sp. z o.o.', phone: '+48 42 555 01 00' },
      defaultTaxRateBp: 825,
    });
  });

  it('reads in the app what the tools saved, and keeps it when the app saves', () => {
    const tools = toolsStore();
    tools.set(withOffice(tools.get()));

    const app = appStore();
    expect(app.get().company.name).toBe('Łódź Import Partners sp. z o.o.');
    app.set({ ...app.get(), numberFormat: 'pl-PL', exportFormat: 'csv-semicolon' });

    expect(toolsStore().get()).toMatchObject({
      numberFormat: 'pl-PL',
      exportFormat: 'csv-semicolon',
      company: { name: 'Łódź Import Partners sp. z o.o.' },
      defaultTaxRateBp: 825,
    });
    // Written as electron-store writes it: the settings under one key, indented with tabs.
    const text = fs.readFileSync(configPath, 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(['settings']);
    expect(text).toMatch(/^\{\n\t"settings": \{/);
  });

  it('sees a save of the other side at once, while both stay open', () => {
    const app = appStore();
    const tools = toolsStore();
    tools.set({ ...tools.get(), timeZone: 'Asia/Tokyo' });
    expect(app.get().timeZone).toBe('Asia/Tokyo');
    app.set({ ...app.get(), dateFormat: 'DD/MM/YYYY' });
    expect(tools.get()).toMatchObject({ timeZone: 'Asia/Tokyo', dateFormat: 'DD/MM/YYYY' });
  });

  it('keeps keys neither side knows: other top-level keys and settings a newer version added', () => {
    fs.writeFileSync(
      configPath,
      JSON.stringify({
        windowBounds: { width: 1200, height: 800 },
        settings: { ...DEFAULT_SETTINGS, printing: { silent: true, printerName: 'Front desk' }, newerSetting: 'kept' },
      }),
    );
    toolsStore().set({ ...toolsStore().get(), timeZone: 'America/Chicago' });
    appStore().set({ ...appStore().get(), numberFormat: 'en-GB' });
    const file = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    expect(file.windowBounds).toEqual({ width: 1200, height: 800 });
    expect(file.settings).toMatchObject({
      timeZone: 'America/Chicago',
      numberFormat: 'en-GB',
      newerSetting: 'kept',
      printing: { silent: true, printerName: 'Front desk' },
    });
    expect(appStore().get().printing.silent).toBe(true);
  });

  it('reads a file in the flat layout older tools wrote, and moves it under "settings" on the next save', () => {
    fs.writeFileSync(configPath, JSON.stringify({ ...DEFAULT_SETTINGS, timeZone: 'Europe/Lisbon' }, null, 2));
    expect(appStore().get().timeZone).toBe('Europe/Lisbon');
    expect(toolsStore().get().timeZone).toBe('Europe/Lisbon');
    appStore().set({ ...appStore().get(), dateFormat: 'YYYY-MM-DD' });
    const file = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    expect(Object.keys(file)).toEqual(['settings']);
    expect(file.settings).toMatchObject({ timeZone: 'Europe/Lisbon', dateFormat: 'YYYY-MM-DD' });
  });

  it('does not overwrite a settings file that is not JSON, and says which file', () => {
    fs.writeFileSync(configPath, '{ "settings": { broken');
    const tools = toolsStore();
    expect(tools.get()).toEqual(DEFAULT_SETTINGS);
    expect(() => tools.set({ ...DEFAULT_SETTINGS, timeZone: 'UTC' })).toThrow(/config\.json is not valid JSON/);
    expect(fs.readFileSync(configPath, 'utf8')).toBe('{ "settings": { broken');
  });

  it('shares office settings saved through the CLI runtime with the app through the ledger, and the app\'s own settings through config.json', async () => {
    const rt = await openNodeRuntime({ ledgerPath, log: silentLogger, secrets: memorySecretStore() });
    try {
      await rt.core.settings.updateOffice({ company: { name: 'Ørsted Facility Services A/S' } }, 'admin');
      // The office's settings are the ledger's record: the app's core on the same ledger reads them there.
      const app = await openNodeRuntime({ ledgerPath, log: silentLogger, secrets: memorySecretStore(), settings: appStore() });
      try {
        expect(app.core.settings.get().settings.company.name).toBe('Ørsted Facility Services A/S');
      } finally {
        await app.close();
      }
      expect(fs.existsSync(configPath) ? fs.readFileSync(configPath, 'utf8') : '').not.toContain('Ørsted');
      const store = appStore();
      store.set({ ...store.get(), numberFormat: 'da-DK' });
      expect(rt.core.settings.get().settings).toMatchObject({
        numberFormat: 'da-DK',
        company: { name: 'Ørsted Facility Services A/S' },
      });
    } finally {
      await rt.close();
    }
  });

  it('runs the CLI with the settings the app saved', async () => {
    const rt = await openNodeRuntime({ ledgerPath, log: silentLogger, secrets: memorySecretStore() });
    await buildDocumentScene(rt.ledger.db);
    await rt.close();
    const app = appStore();
    app.set({ ...app.get(), numberFormat: 'de-DE' });
    let out = '';
    const code = await runCli(['--db', ledgerPath, 'statements', '--as-of', '2026-11-20', '--out', path.join(dir, 's.pdf')], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect(code).toBe(0);
    expect(out).toContain('balance due in all 874,17');
  });
});
