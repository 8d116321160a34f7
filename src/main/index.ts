import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import Store from 'electron-store';
import { createCore } from './core';
import { openLedger } from './db/connection';
import { systemClock } from './clock';
import { consoleLogger } from './log';
import { resolveLedgerPath } from './paths';
import { registerIpc } from './ipc/register';
import { CONTENT_SECURITY_POLICY, isAppUrl, secureWindowOptions } from './window';
import { createDefaultGateway } from './payments/default-gateway';
import { startRecoveryTimer } from './payments/recovery';
import { DEFAULT_SETTINGS, settingsSchema, type AppSettings } from '../shared/settings';
import type { SettingsStore } from './settings/settings.store';
import type { Printer } from './documents/ports';
import { createSmtpMailer } from './documents/smtp.mailer';
import { encryptedFileSecretStore } from './documents/secrets';
import { workstationIdFile } from './staff/workstation';
import { envTotpKey, keychainTotpKey } from './staff/totp';

/** The Electron shell: the only module that imports electron. */

const here = path.dirname(fileURLToPath(import.meta.url));

function electronSettingsStore(): SettingsStore {
  const store = new Store<{ settings: AppSettings }>({ defaults: { settings: DEFAULT_SETTINGS } });
  return {
    get: () => {
      const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...store.get('settings') });
      return parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS);
    },
    set: (next) => store.set('settings', settingsSchema.parse(next)),
  };
}

/** Prints a PDF through a hidden window; silent printing goes to the default printer. */
const electronPrinter: Printer = {
  async print(pdf, options) {
    const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true } });
    try {
      await win.loadURL(`data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`);
      await new Promise<void>((resolve, reject) => {
        win.webContents.print({ silent: options.silent, printBackground: true }, (ok, reason) =>
          ok ? resolve() : reject(new Error(reason || 'Printing failed')),
        );
      });
    } finally {
      win.destroy();
    }
  },
};

async function main(): Promise<void> {
  await app.whenReady();
  const ledger = await openLedger(resolveLedgerPath(undefined, app.getPath('userData')));
  const settings = electronSettingsStore();
  // The SMTP password is kept encrypted by the operating system's keychain, never in settings.
  const secrets = encryptedFileSecretStore(safeStorage, path.join(app.getPath('userData'), 'secrets.json'));
  const core = createCore({
    ledger,
    clock: systemClock,
    gateway: createDefaultGateway(ledger.path),
    mailer: createSmtpMailer({ settings, secrets }),
    printer: electronPrinter,
    settings,
    secrets,
    log: consoleLogger,
    version: app.getVersion(),
    workstation: workstationIdFile(path.join(app.getPath('userData'), 'workstation.json')),
    // TOTP secrets are encrypted under a key kept in the OS keychain; Linux's basic_text fallback is no keychain.
    totpKey: process.env.AR_DESK_TOTP_KEY
      ? envTotpKey()
      : keychainTotpKey(
          secrets,
          safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
        ),
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  const win = new BrowserWindow(secureWindowOptions(path.join(here, '../preload/index.cjs')));
  const appUrl = process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(here, '../renderer/index.html')}`;

  registerIpc(core, ipcMain, {
    isTrustedSender: (event) =>
      event.sender.id === win.webContents.id && !!event.senderFrame && isAppUrl(event.senderFrame.url, appUrl),
  });
  // The window's staff session ends with the window.
  const windowId = win.webContents.id;
  win.webContents.once('destroyed', () => core.staff.sessions.endForWindow(windowId));

  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(appUrl);

  // Payments a crash or a silent gateway left pending are settled now and every few minutes.
  const stopRecovery = startRecoveryTimer(core);
  // The outbox sender delivers queued email, retrying with backoff while offline.
  void core.documents.sender.start();

  app.on('window-all-closed', () => {
    stopRecovery();
    void core.documents.sender
      .stop()
      .then(() => ledger.close())
      .finally(() => app.quit());
  });
}

void main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  consoleLogger.error('AR Desk failed to start', { error: message });
  // Say why in words (e.g. a ledger written by a newer AR Desk) instead of vanishing.
  dialog.showErrorBox('AR Desk could not start', message);
  app.quit();
});
