import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import { codeAt } from '../../src/main/staff/totp';
import { expectNoSeriousA11yViolations } from './a11y';
import { NOW } from './seeded';
import { E2E_ADMIN, screenshotPath, startTestApp, type TestApp } from './server';

/**
 * The Staff screen as an office administrator uses it (adding a clerk, a lockout lifted, a password
 * reset, a role changed, an account disabled, the sign-in policy), and the authenticator code: turned
 * on from Your sign-in, and required of an administrator who signs in without one.
 */

const LOCKED = { username: 'lee.locked', name: 'Lee Park', password: 'lee counter pass 2026' };
const ADA = { username: 'ada.admin', name: 'Ada Whitfield', password: 'second admin pass 2026' };

const clock = fixedClock(NOW);
let app: TestApp;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  app = await startTestApp({
    clock,
    totpKey: crypto.randomBytes(32),
    prepare: async (runtime) => {
      const cli = { id: null, username: 'cli:e2e', name: null };
      const users = runtime.core.staff.users;
      // The first account must be an administrator: the harness's, made here before the others.
      await users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      await users.create(cli, { ...LOCKED, role: 'clerk', mustChangePassword: false });
      await users.create(cli, { ...ADA, role: 'admin', mustChangePassword: false });
      // Ten wrong passwords lock Lee out for 30 minutes.
      for (let i = 0; i < 10; i++) await runtime.core.staff.auth.signIn({ username: LOCKED.username, password: `wrong guess ${i}` }, { kind: 'token' }).catch(() => undefined);
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

const row = (page: Page, username: string) => page.locator(`[data-testid="staff-row"][data-username="${username}"]`);

/** The Staff screen with its list read (the first read can take a while on a busy machine). */
async function openStaff(page: Page): Promise<void> {
  await page.goto(`${app.url}/#/staff`);
  await expect(page.getByTestId('staff-table')).toBeVisible({ timeout: 20_000 });
}

async function rowAction(page: Page, username: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

async function staffRecord(username: string) {
  return (await app.runtime.core.staff.users.list()).find((u) => u.username === username);
}

/** The key the page shows, without its spaces, and the code an authenticator app would show now. */
async function codeFromPage(page: Page): Promise<string> {
  const key = (await page.getByTestId('totp-key').textContent())!.replace(/\s/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  return codeAt(key, clock.now().getTime());
}

test('an administrator adds a clerk: the password rule from main under the field, then the new row', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(page.getByRole('heading', { name: 'Staff', exact: true })).toBeVisible();
  await expect(page.getByTestId('staff-table')).toBeVisible({ timeout: 20_000 });
  await expect(row(page, E2E_ADMIN.username)).toContainText('Administrator');
  await expectNoSeriousA11yViolations(page, 'staff');

  await page.getByTestId('staff-add').click();
  const dialog = page.getByRole('dialog', { name: 'Add a staff member' });
  await dialog.getByLabel('Username').fill('jo.new');
  await dialog.getByLabel('Full name').fill('Jo Newman');
  await dialog.getByLabel('Temporary password', { exact: true }).fill('short 1');
  await dialog.getByLabel('Temporary password again').fill('short 1');
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog.getByText('The password must be at least 12 characters with both letters and digits; it has 7.')).toBeVisible();
  await expect(dialog.getByLabel('Username')).toHaveValue('jo.new');
  await expect(dialog.getByLabel('Full name')).toHaveValue('Jo Newman');
  await page.screenshot({ path: screenshotPath('staff-add-password-rule') });

  // A username that is taken is said under the username.
  await dialog.getByLabel('Username').fill(LOCKED.username);
  await dialog.getByLabel('Temporary password', { exact: true }).fill('welcome desk 2026');
  await dialog.getByLabel('Temporary password again').fill('welcome desk 2026');
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog.getByText(`A staff account named ${LOCKED.username} exists already.`)).toBeVisible();

  await dialog.getByLabel('Username').fill('jo.new');
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('Jo Newman (jo.new) was added.')).toBeVisible();
  await expect(row(page, 'jo.new')).toContainText('Clerk');
  await expect(row(page, 'jo.new')).toContainText('Temporary password');
  await expect(row(page, 'jo.new')).toContainText('Never');
  expect(await staffRecord('jo.new')).toMatchObject({ name: 'Jo Newman', role: 'clerk', active: true, mustChangePassword: true });
  await page.screenshot({ path: screenshotPath('staff-list') });
});

test('a locked-out clerk is unlocked, then given a temporary password they must change at sign-in', async ({ page, browser }) => {
  await openStaff(page);
  await expect(row(page, LOCKED.username)).toContainText('Locked until');
  await rowAction(page, LOCKED.username, 'Unlock');
  await expect(page.getByText(`${LOCKED.name} (${LOCKED.username}) can sign in again.`)).toBeVisible();
  await expect(row(page, LOCKED.username)).not.toContainText('Locked until');
  expect((await staffRecord(LOCKED.username))?.lockedUntil).toBeNull();

  await rowAction(page, LOCKED.username, 'Reset password');
  const dialog = page.getByRole('dialog', { name: `Reset the password of ${LOCKED.username}` });
  await dialog.getByLabel('Temporary password', { exact: true }).fill('fresh start 2026 a');
  await dialog.getByLabel('Temporary password again').fill('fresh start 2026 b');
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog.getByText('The two passwords are not the same')).toBeVisible();
  // One of the account's last four is refused by main, in words under the field.
  await dialog.getByLabel('Temporary password', { exact: true }).fill(LOCKED.password);
  await dialog.getByLabel('Temporary password again').fill(LOCKED.password);
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog.getByText('Temporary password must differ from the last four')).toBeVisible();
  await page.screenshot({ path: screenshotPath('staff-reset-password') });
  await dialog.getByLabel('Temporary password', { exact: true }).fill('fresh start 2026 a');
  await dialog.getByLabel('Temporary password again').fill('fresh start 2026 a');
  await dialog.getByTestId('staff-form-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(row(page, LOCKED.username)).toContainText('Temporary password');

  // Lee signs in with it in another window and is asked for their own password first.
  const lee = await browser.newPage();
  await lee.goto(`${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`);
  await lee.getByLabel('Username').fill(LOCKED.username);
  await lee.getByLabel('Password', { exact: true }).fill('fresh start 2026 a');
  await lee.getByRole('button', { name: 'Sign in' }).click();
  await expect(lee.getByRole('heading', { name: 'Choose your own password' })).toBeVisible();
  await lee.close();
});

test('a role is changed and an account disabled; main refuses an administrator demoting themselves', async ({ page }) => {
  await openStaff(page);
  await rowAction(page, 'jo.new', 'Change name or role');
  const edit = page.getByRole('dialog', { name: 'Change jo.new' });
  await edit.getByRole('radio', { name: 'Supervisor' }).check();
  await edit.getByTestId('staff-form-save').click();
  await expect(edit).toHaveCount(0);
  await expect(row(page, 'jo.new')).toContainText('Supervisor');

  await rowAction(page, E2E_ADMIN.username, 'Change name or role');
  const self = page.getByRole('dialog', { name: `Change ${E2E_ADMIN.username}` });
  await self.getByRole('radio', { name: 'Clerk' }).check();
  await self.getByTestId('staff-form-save').click();
  await expect(self.getByTestId('staff-form-problem')).toHaveText(
    'You cannot take away your own administrator access or disable your own account; another administrator can.',
  );
  await expect(self.getByRole('radio', { name: 'Clerk' })).toBeChecked();
  await self.getByRole('button', { name: 'Cancel' }).click();

  await rowAction(page, 'jo.new', 'Disable account');
  const confirm = page.getByRole('dialog', { name: 'Disable jo.new?' });
  await page.screenshot({ path: screenshotPath('staff-disable') });
  await confirm.getByTestId('staff-confirm').click();
  await expect(confirm).toHaveCount(0);
  await expect(row(page, 'jo.new')).toContainText('Disabled');
  expect((await staffRecord('jo.new'))?.active).toBe(false);
});

test('a person turns on their authenticator code from Your sign-in', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('your-sign-in').click();
  await expect(page.getByRole('heading', { name: 'Your sign-in' })).toBeVisible();
  await expect(page.getByTestId('totp-state')).toHaveText('Off');
  await page.getByTestId('totp-start').click();
  const code = await codeFromPage(page);
  await page.getByLabel('Code from the authenticator app').fill(code === '123456' ? '654321' : '123456');
  await page.getByTestId('totp-enable').click();
  await expect(page.getByText('The code is not right; enter the one the authenticator app shows now.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('staff-totp-setup') });
  await page.getByLabel('Code from the authenticator app').fill(code);
  await page.getByTestId('totp-enable').click();
  await expect(page.getByTestId('totp-state')).toHaveText('On');
  expect((await staffRecord(E2E_ADMIN.username))?.totpEnabled).toBe(true);
  await page.screenshot({ path: screenshotPath('staff-totp-on') });
});

test('an administrator without a code is led to set one up when the office requires it', async ({ page }) => {
  await openStaff(page);
  const policy = page.getByRole('form', { name: 'Sign-in policy' });
  await policy.getByLabel('Lock a window after this many idle minutes').fill('20');
  await policy.getByTestId('policy-save').click();
  // Main's limit (PCI DSS allows 15 at most), under the field.
  await expect(policy.getByText('The idle time must be 15 minutes or less')).toBeVisible();
  await expect(policy.getByLabel('Lock a window after this many idle minutes')).toHaveValue('20');
  await policy.getByLabel('Lock a window after this many idle minutes').fill('10');
  await policy.getByLabel('Administrators sign in with a code from an authenticator app').check();
  await policy.getByTestId('policy-save').click();
  await expect(page.getByText('The sign-in policy was saved')).toBeVisible();
  expect(await app.runtime.core.staff.users.policy()).toEqual({ idleLockMinutes: 10, requireAdminTotp: true });
  await page.screenshot({ path: screenshotPath('staff-policy') });

  // Ada, an administrator without a code, signs in: the window offers only setting one up.
  await page.getByTestId('sign-out').click();
  await page.getByLabel('Username').fill(ADA.username);
  await page.getByLabel('Password', { exact: true }).fill(ADA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await page.getByTestId('totp-start').click();
  await expect(page.getByTestId('totp-key')).toBeVisible();
  await page.screenshot({ path: screenshotPath('staff-totp-required') });
  await page.getByLabel('Code from the authenticator app').fill(await codeFromPage(page));
  await page.getByTestId('totp-enable').click();
  await expect(page.getByTestId('signed-in')).toHaveText(`Signed in: ${ADA.name} · Administrator`);

  // Ada turns off the code of the harness's administrator, whose phone was lost.
  await page.getByRole('link', { name: 'Staff' }).click();
  await expect(row(page, E2E_ADMIN.username).getByTestId('staff-totp')).toHaveText('On');
  await rowAction(page, E2E_ADMIN.username, 'Turn off authenticator code');
  await page.getByRole('dialog', { name: `Turn off the authenticator code of ${E2E_ADMIN.username}?` }).getByTestId('staff-confirm').click();
  await expect(row(page, E2E_ADMIN.username).getByTestId('staff-totp')).toHaveText('Off');
  expect((await staffRecord(E2E_ADMIN.username))?.totpEnabled).toBe(false);
  expect((await staffRecord(ADA.username))?.totpEnabled).toBe(true);
});
