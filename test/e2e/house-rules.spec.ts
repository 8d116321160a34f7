import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/**
 * The house rules on the Settings screen: an administrator changes the write-off limit (a bad one
 * is refused at the field), and a clerk sees the office's rules read-only, told who can change them.
 */

const CLERK = { username: 'pat.clerk', name: 'Pat Ortiz', password: 'counter clerk pass 2026' };

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      const cli = { id: null, username: 'cli:e2e', name: null };
      // The first account must be an administrator: the harness's, made here before the clerk.
      await runtime.core.staff.users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...CLERK, role: 'clerk', mustChangePassword: false });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an administrator changes the write-off limit: a negative one is refused at the field, a good one is saved for the office', async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const rules = page.getByRole('region', { name: 'House rules' });
  const limit = rules.getByRole('textbox', { name: 'Write-off limit' });
  await expect(limit).toHaveValue('25.00');
  await expect(rules.getByRole('textbox', { name: 'Late-payment grace days' })).toHaveValue('0');
  await expect(rules.getByRole('switch', { name: 'Exact invoice payments' })).toBeChecked();
  await expect(rules.getByRole('radio', { name: 'Refuse it' })).toBeChecked();
  await rules.scrollIntoViewIfNeeded();

  await limit.fill('-5');
  await rules.getByRole('button', { name: 'Save house rules' }).click();
  await expect(rules.getByText('is negative; enter 0 for no write-offs, or a limit up to $1,000,000.00')).toBeVisible();
  await page.screenshot({ path: screenshotPath('house-rules-refused') });
  expect(app.runtime.core.settings.get().settings.policy.writeOffLimitCents).toBe(2_500);

  await limit.fill('$40.00');
  await rules.getByRole('textbox', { name: 'Late-payment grace days' }).fill('5');
  await rules.getByRole('button', { name: 'Save house rules' }).click();
  await expect(page.getByText('House rules saved')).toBeVisible();
  await expect(limit).toHaveValue('40.00');
  expect(app.runtime.core.settings.get().settings.policy).toMatchObject({ writeOffLimitCents: 4_000, lateGraceDays: 5 });
  const record = await app.runtime.ledger.db.selectFrom('office_settings').select(['settings', 'version']).executeTakeFirstOrThrow();
  expect(JSON.parse(record.settings).policy).toMatchObject({ writeOffLimitCents: 4_000, lateGraceDays: 5 });
  await expect(rules).toContainText(`Last saved by ${E2E_ADMIN.username}.`);
  await page.screenshot({ path: screenshotPath('house-rules-saved') });
  await expectNoSeriousA11yViolations(page, 'settings, house rules');

  await page.reload();
  await expect(page.getByRole('region', { name: 'House rules' }).getByRole('textbox', { name: 'Write-off limit' })).toHaveValue('40.00');
});

test('a clerk sees the house rules read-only, with who can change them', async ({ page }) => {
  await page.goto(`${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`);
  await signIn(page, CLERK);
  await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Pat Ortiz · Clerk');
  await page.getByRole('link', { name: 'Settings' }).click();
  const rules = page.getByRole('region', { name: 'House rules' });
  await expect(rules.getByText('Read only')).toBeVisible();
  await expect(rules).toContainText('Only an administrator can change them; ask yours if one should change.');
  const table = rules.getByTestId('house-rules');
  await expect(table).toContainText('On — every invoice selected for payment is paid in full; no partial payments.');
  await expect(table).toContainText('Refused — a payment may not exceed what the selected invoices owe.');
  await expect(table).toContainText('Up to $40.00 by a supervisor.');
  await expect(table).toContainText('5 days after the due date.');
  await expect(rules.getByRole('textbox')).toHaveCount(0);
  await expect(rules.getByRole('button', { name: 'Save house rules' })).toHaveCount(0);
  await rules.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('house-rules-clerk') });
});
