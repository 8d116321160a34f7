import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, test } from '@playwright/test';
import { openPostgresLedger } from '../../src/main/db/connection';
import { migrationsFor } from '../../src/main/db/migrations';
import { OFFICE_LEDGER_PASSWORD_SECRET } from '../../src/main/documents/ports';
import { settingsFilePath } from '../../src/main/settings/settings.file';
import { expectNoSeriousA11yViolations } from './a11y';
import { screenshotPath, startTestApp, type TestApp } from './server';

/**
 * The Office ledger part of Settings, as an administrator sets up a workstation for the office's
 * server: a refusal for a server that cannot be reached, then a good address saved for the next start.
 * The good address is a ledger made on the test cluster (AR_DESK_TEST_DATABASE_URL), dropped after.
 */
const adminUrl = process.env.AR_DESK_TEST_DATABASE_URL;
const PASSWORD = 'Front-desk ledger 2026!';
const LATEST = Object.keys(migrationsFor('postgres')).length;

let app: TestApp;
let database: { name: string; address: string } | null = null;

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  app = await startTestApp();
  if (!adminUrl) return;
  const name = `dburl_e2e_${crypto.randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  u.password = '';
  database = { name, address: u.toString() };
  await (await openPostgresLedger(database.address)).close();
});
test.afterAll(async () => {
  await app?.close();
  if (database) await onServer(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('an administrator is refused an unreachable server, then saves the office ledger for the next start', async ({ page }) => {
  // The Settings screen is long: the accessibility check of it alone may take half a minute on a busy machine.
  test.setTimeout(120_000);
  test.skip(!adminUrl, 'needs the PostgreSQL test cluster (AR_DESK_TEST_DATABASE_URL)');
  await page.goto(`${app.url}/#/settings`);
  const section = page.getByRole('region', { name: 'Office ledger' });
  await expect(section.getByTestId('ledger-in-use')).toHaveText(`This window uses this workstation's own ledger, the file ${path.join(app.dir, 'ledger.db')}.`);
  await expect(section).toContainText('A change takes effect when AR Desk is restarted.');
  await expect(section.getByTestId('ledger-password-status')).toHaveText('No password saved');
  await expect(section.getByRole('button', { name: 'Try and save' })).toBeDisabled();

  // A password typed into the address is refused before anything is tried.
  const address = section.getByRole('textbox', { name: 'Server address' });
  await address.fill(`postgres://ar_desk:${encodeURIComponent(PASSWORD)}@127.0.0.1:5432/ar_desk`);
  await section.getByRole('button', { name: 'Try and save' }).click();
  await expect(section.getByText(/must not contain the password: type the password in its own field/)).toBeVisible();

  // A server that cannot be reached: main's plain message beside the address, nothing saved.
  await address.fill('postgres://ar_desk@127.0.0.1:1/ar_desk');
  await section.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await section.getByRole('button', { name: 'Try and save' }).click();
  await expect(section.getByText("AR Desk cannot reach the office's database server at 127.0.0.1:1 (ECONNREFUSED).", { exact: false })).toBeVisible();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  expect(app.runtime.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
  expect(app.runtime.core.deps.secrets.has(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(false);
  await section.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('settings-office-ledger-refused') });

  // The office's server: tried, saved, and waiting for the next start.
  await address.fill(database!.address);
  await section.getByRole('button', { name: 'Try and save' }).click();
  await expect(page.getByText('Office ledger saved')).toBeVisible();
  await expect(section.getByTestId('ledger-check')).toHaveText(`AR Desk reached the office ledger (schema ${LATEST}, up to date).`);
  await expect(section.getByTestId('ledger-password-status')).toHaveText('A password is saved');
  await expect(section.getByTestId('ledger-restart')).toHaveText(`Restart AR Desk to open the office ledger at ${database!.address}.`);
  await expect(section.getByRole('textbox', { name: 'Password' })).toHaveValue('');
  await expect(address).not.toHaveAttribute('aria-invalid', 'true');
  expect(app.runtime.core.settings.get().settings.officeLedger.databaseUrl).toBe(database!.address);
  expect(await app.runtime.core.deps.secrets.get(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(PASSWORD);
  await section.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('settings-office-ledger') });
  await expectNoSeriousA11yViolations(page, 'settings (office ledger saved)');

  // The password is in neither the page, the settings file nor the settings the window reads.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Office ledger' }).getByRole('textbox', { name: 'Server address' })).toHaveValue(database!.address);
  expect(await page.content()).not.toContain(PASSWORD);
  const settingsView = await page.evaluate(() =>
    fetch('/ipc/settings.get', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ar-desk-token': sessionStorage.getItem('ar-desk.token') ?? '', 'x-ar-desk-session': sessionStorage.getItem('ar-desk.session') ?? '' },
      body: '{}',
    }).then((r) => r.text()),
  );
  expect(settingsView).toContain('"passwordSet":true');
  expect(settingsView).not.toContain(PASSWORD);
  const file = fs.readFileSync(settingsFilePath(path.join(app.dir, 'ledger.db')), 'utf8');
  expect(file).toContain(database!.address);
  expect(file).not.toContain(PASSWORD);

  // Clear: back to this workstation's own ledger, the password forgotten.
  const again = page.getByRole('region', { name: 'Office ledger' });
  await again.getByRole('button', { name: /^Clear/ }).click();
  await expect(page.getByText('Office ledger cleared')).toBeVisible();
  await expect(again.getByTestId('ledger-password-status')).toHaveText('No password saved');
  await expect(again.getByTestId('ledger-restart')).toHaveCount(0);
  await expect(again.getByRole('textbox', { name: 'Server address' })).toHaveValue('');
  expect(app.runtime.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
});

test.describe('on this workstation\'s own ledger after the office ledger failed at start', () => {
  const SAVED = 'postgres://ar_desk@ledger.office.lan:5432/ar_desk';
  const PROBLEM =
    "AR Desk cannot reach the office's database server at ledger.office.lan:5432 (ENOTFOUND). Check that the server is running and that this workstation can reach it. Nothing was changed.";
  const CLERK = { username: 'pat.ortiz', name: 'Pat Ortiz', password: 'clerk e2e pass 2026' };
  let fallback: TestApp;

  test.beforeAll(async () => {
    fallback = await startTestApp({
      ledgerOrigin: { source: 'fallback', problem: PROBLEM },
      prepare: async (runtime) => {
        const before = runtime.core.settings.get().settings;
        runtime.core.deps.settings.set({ ...before, officeLedger: { databaseUrl: SAVED } });
      },
    });
    await fallback.runtime.core.staff.users.create({ id: null, username: 'cli:e2e', name: null }, { ...CLERK, role: 'clerk', mustChangePassword: false });
  });
  test.afterAll(async () => {
    await fallback?.close();
  });

  test('Settings says why and that payments taken here are not in the office ledger; the address is ready to correct', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${fallback.url}/#/settings`);
    const section = page.getByRole('region', { name: 'Office ledger' });
    const alert = section.getByTestId('ledger-in-use');
    await expect(alert).toContainText('The office ledger could not be opened');
    await expect(alert).toContainText(PROBLEM);
    await expect(alert).toContainText("payments taken here are not in the office's ledger");
    await expect(section.getByTestId('ledger-restart')).toHaveText(`Restart AR Desk to open the office ledger at ${SAVED}.`);
    await expect(section.getByRole('textbox', { name: 'Server address' })).toHaveValue(SAVED);
    await section.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: screenshotPath('settings-office-ledger-fallback') });
    await expectNoSeriousA11yViolations(page, 'settings (office ledger failed at start)');
  });

  test('a clerk sees which ledger is in use and the saved address, with nothing to change', async ({ page }) => {
    const res = await fetch(`${fallback.baseUrl}/ipc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ar-desk-token': fallback.token },
      body: JSON.stringify({ username: CLERK.username, password: CLERK.password }),
    });
    const session = ((await res.json()) as { data: { token: string } }).data.token;
    await page.goto(`${fallback.baseUrl}/#token=${encodeURIComponent(fallback.token)}&session=${encodeURIComponent(session)}&route=/settings`);
    const section = page.getByRole('region', { name: 'Office ledger' });
    await expect(section.getByTestId('ledger-in-use')).toContainText('The office ledger could not be opened');
    await expect(section.getByTestId('ledger-saved-address')).toHaveText(`Saved address: ${SAVED}. Only an administrator can change the office ledger.`);
    await expect(section.getByRole('textbox')).toHaveCount(0);
    await expect(section.getByRole('button')).toHaveCount(0);
  });
});
