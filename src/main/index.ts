import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import Store from 'electron-store';
import { createCore } from './core';
import { openLedgerAt, type Ledger } from './db/connection';
import { systemClock } from './clock';
import { consoleLogger } from './log';
import { resolveDatabaseUrl, resolveLedgerPath } from './paths';
import { registerIpc } from './ipc/register';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, appFileFor, isAllowedExternalUrl, isAppUrl, rendererUrl, secureWindowOptions } from './window';
import { createDefaultGateway } from './payments/default-gateway';
import { startRecoveryTimer } from './payments/recovery';
import { startBillingSchedule } from './billing/billing.schedule';
import { startAgingWarmUp } from './ledger/aging.warm';
import { electronSettingsStore, type SettingsAccess } from './settings/settings.file';
import { afterStartupFailure, planLedger, problemOf, startupFailureDialog, type LedgerPlan } from './settings/office-ledger.rules';
import { systemPrinter, withPrintDialog, type PrintDialog } from './printing/system.printer';
import { createSmtpMailer } from './documents/smtp.mailer';
import { encryptedFileSecretStore, osKeychainAvailable } from './documents/secrets';
import { OFFICE_LEDGER_PASSWORD_SECRET, type SecretStore } from './documents/ports';
import { workstationIdFile } from './staff/workstation';
import { envTotpKey, keychainTotpKey } from './staff/totp';
import { LEDGER_CHANGED } from '../shared/changes';

/** The Electron shell: the only module that imports electron. */

const here = path.dirname(fileURLToPath(import.meta.url));

// The app is served by its own scheme, registered before the app is ready (Electron's security checklist).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves the built renderer at app://ar-desk/, files inside out/renderer only, HTML with the CSP. */
function serveAppScheme(): void {
  const rendererDir = path.join(here, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileFor(request.url, rendererDir, path.join, path.resolve);
    if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!file.endsWith('.html')) return res;
    return new Response(res.body, {
      status: res.status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
}

/**
 * "Print with dialog" only (silent printing goes to the system's print queue: printing/). The PDF is
 * written to a temporary file and opened in a hidden window with Chromium's PDF viewer enabled
 * (plugins: true), in its own session, and printed once loaded: not a data: URL in a window without
 * the viewer, which prints blank pages (electron/electron#30947). Not run by the tests (no display).
 */
const printDialog: PrintDialog = async (pdf, request) => {
  const dir = fs.mkdtempSync(path.join(app.getPath('temp'), 'ar-desk-print-'));
  const file = path.join(dir, 'document.pdf');
  fs.writeFileSync(file, pdf);
  const win = new BrowserWindow({
    show: false,
    title: request.jobName,
    webPreferences: { plugins: true, sandbox: true, contextIsolation: true, partition: 'ar-desk-print' },
  });
  try {
    await win.loadFile(file);
    return await new Promise<{ printer: string | null }>((resolve, reject) => {
      win.webContents.print(
        { silent: false, printBackground: true, copies: request.copies ?? 1, ...(request.paper ? { pageSize: request.paper } : {}) },
        (ok, reason) => (ok ? resolve({ printer: null }) : reject(new Error(reason || 'Printing failed'))),
      );
    });
  } finally {
    win.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * The office's server (AR_DESK_DATABASE_URL, else the address saved in Settings with the keychain's
 * password) or this workstation's own file. When the office ledger cannot be opened, the dialog says
 * why and an administrator may open Settings on the workstation's own file to correct the address;
 * null: quit. A failed attempt changes nothing.
 */
async function openChosenLedger(localPath: string, settings: SettingsAccess, secrets: SecretStore): Promise<{ ledger: Ledger; plan: LedgerPlan } | null> {
  const plan = planLedger({
    environmentUrl: resolveDatabaseUrl(undefined),
    savedAddress: settings.get().officeLedger.databaseUrl,
    savedPassword: await secrets.get(OFFICE_LEDGER_PASSWORD_SECRET),
  });
  try {
    return { ledger: await openLedgerAt({ file: localPath, databaseUrl: plan.databaseUrl }), plan };
  } catch (e) {
    const problem = problemOf(e);
    const failure = startupFailureDialog(plan, problem);
    if (!failure) throw e;
    consoleLogger.error('The office ledger could not be opened', { where: plan.address, error: problem });
    const answer = afterStartupFailure(failure, (await dialog.showMessageBox(failure)).response, problem);
    if (answer.action === 'quit') return null;
    return { ledger: await openLedgerAt({ file: localPath }), plan: answer.plan };
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  // This workstation's own files stay in its user-data folder whichever ledger it opens.
  const localPath = resolveLedgerPath(undefined, userData);
  // The same config.json, in the same layout, as the CLI and dev:web: see settings/settings.file.ts.
  const settings = electronSettingsStore(Store, localPath);
  // The SMTP and office ledger passwords are kept encrypted by the operating system's keychain, never in settings.
  const secrets = await encryptedFileSecretStore(safeStorage, path.join(userData, 'secrets.json'));
  const opened = await openChosenLedger(localPath, settings, secrets);
  if (!opened) {
    app.quit();
    return;
  }
  const { ledger, plan } = opened;
  // The mailer reads the office's outgoing mail settings from the core's merged settings (the ledger's record).
  let officeView: SettingsAccess = settings;
  const core = createCore({
    ledger,
    ledgerOrigin: plan.origin,
    clock: systemClock,
    gateway: createDefaultGateway({ ledgerPath: localPath, databaseUrl: plan.databaseUrl }),
    mailer: createSmtpMailer({ settings: { get: () => officeView.get(), set: (next) => officeView.set(next) }, secrets }),
    printer: withPrintDialog(systemPrinter(), printDialog),
    settings,
    secrets,
    log: consoleLogger,
    version: app.getVersion(),
    workstation: workstationIdFile(path.join(userData, 'workstation.json')),
    statementsDir: path.join(app.getPath('documents'), 'AR Desk statements'),
    importsDir: path.join(userData, 'imports'),
    // TOTP secrets are encrypted under a key kept in the OS keychain; Linux's basic_text fallback is no keychain.
    totpKey: process.env.AR_DESK_TOTP_KEY ? envTotpKey() : keychainTotpKey(secrets, await osKeychainAvailable(safeStorage)),
  });
  officeView = core.deps.settings;
  // The office's settings record: read from the ledger (made from this workstation's config.json the first time).
  await core.start();

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  const win = new BrowserWindow(secureWindowOptions(path.join(here, '../preload/index.cjs')));
  serveAppScheme();
  const appUrl = rendererUrl({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });
  // On this workstation's own ledger after the office's failed, the window opens on Settings, where the address is corrected.
  const startUrl = plan.origin.source === 'fallback' ? `${appUrl}#/settings` : appUrl;

  registerIpc(core, ipcMain, {
    isTrustedSender: (event) =>
      event.sender.id === win.webContents.id && !!event.senderFrame && isAppUrl(event.senderFrame.url, appUrl),
  });
  // The window's staff session ends with the window.
  const windowId = win.webContents.id;
  win.webContents.once('destroyed', () => core.staff.sessions.endForWindow(windowId));

  win.webContents.setWindowOpenHandler(({ url }) => {
    // The office's own links: its email domain (the letterhead has no other web address).
    const domain = core.deps.settings.get().company.email.split('@')[1]?.toLowerCase();
    const officeHosts = domain ? [domain, `www.${domain}`] : [];
    if (isAllowedExternalUrl(url, officeHosts)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(startUrl);

  // Payments a crash or a silent gateway left pending are settled now and every few minutes.
  const stopRecovery = startRecoveryTimer(core);
  // Subscriptions are invoiced once a day, by whichever workstation gets there first.
  const stopBilling = startBillingSchedule(core);
  // The aging screen's rows for today, made in the background once the first screen is up.
  const stopAgingWarmUp = startAgingWarmUp(core);
  // The outbox sender delivers queued email, retrying with backoff while offline.
  void core.documents.sender.start();
  // The print queue retries what the print system refused and follows what it took.
  const stopPrinting = core.documents.printing.start();
  // Live updates: a change to the ledger, made here or by another process on the same file, is told
  // to every window showing the app; its screens ask again for what they show.
  const stopForwarding = core.changes.subscribe((batch) => {
    for (const w of BrowserWindow.getAllWindows()) {
      if (!w.isDestroyed() && isAppUrl(w.webContents.getURL(), appUrl)) w.webContents.send(LEDGER_CHANGED, batch);
    }
  });

  app.on('window-all-closed', () => {
    stopRecovery();
    stopBilling();
    stopAgingWarmUp();
    stopPrinting();
    stopForwarding();
    void core.documents.sender
      .stop()
      .then(() => core.changes.close())
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
