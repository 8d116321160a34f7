import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, AS_OF, startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/** The collections worklist after the daily run's follow-up, and logging a call from it with the keyboard. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await runtime.core.staff.users.create({ id: null, username: 'cli:e2e', name: null }, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      // Due Oct 1: 50 days past due on Nov 20, so the run sends the email, the letter and the call task.
      await addScenarioCustomer(runtime, {
        customerNumber: 'CO0001',
        legalName: 'Juniper Street Dental',
        invoices: [{ invoiceNumber: 'INV-CO1-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 987_654 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'CO0002',
        legalName: 'Foxglove Bakery',
        invoices: [{ invoiceNumber: 'INV-CO2-1', issueDate: '2026-10-01', dueDate: '2026-11-01', cents: 912_345 }],
      });
      await runtime.core.billing.run({ asOf: AS_OF, dryRun: false }, 'billing-schedule');
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('the worklist lists past-due accounts by days past due, filters by amount and level, and a call is logged from the keyboard', async ({ page }) => {
  await page.goto(`${app.url}/#/collections`);
  await expect(page.getByRole('heading', { name: 'Collections' })).toBeVisible();
  await page.getByTestId('filter-min').fill('9000');
  const rows = page.getByTestId('worklist-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('CO0001');
  await expect(rows.nth(0)).toContainText('$9,876.54');
  await expect(rows.nth(0)).toContainText('50');
  await expect(rows.nth(0)).toContainText('Call (due since');
  await expect(rows.nth(1)).toContainText('CO0002');
  await expect(rows.nth(1)).toContainText('Letter (level 2) on');
  await expect(page.getByTestId('worklist-count')).toHaveText('1–2 of 2');
  await page.screenshot({ path: screenshotPath('collections-worklist'), fullPage: true });
  await expectNoSeriousA11yViolations(page, 'collections worklist');

  // Level 3 only: the account whose call is due.
  await page.getByTestId('filter-level').click();
  await page.getByRole('option', { name: 'level 3' }).click();
  await expect(rows).toHaveCount(1);

  // Keyboard: out of the filters, L opens "Log a call" for the chosen row, Enter saves it.
  await page.getByRole('heading', { name: 'Collections' }).click();
  await page.keyboard.press('l');
  const modal = page.getByRole('dialog');
  await expect(modal).toContainText('Log a call: CO0001 Juniper Street Dental');
  await page.getByLabel('What was said on the call').fill('Spoke to the office manager; check in the mail Friday');
  await page.screenshot({ path: screenshotPath('collections-log-call') });
  await page.keyboard.press('Enter');
  await expect(modal).toHaveCount(0);
  await expect(rows.nth(0)).toContainText('Spoke to the office manager');
  await expect(rows.nth(0)).not.toContainText('Call (due since');
  await page.screenshot({ path: screenshotPath('collections-call-logged'), fullPage: true });
});

test('an administrator sets the follow-up levels in Settings, with field errors from main', async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const section = page.getByRole('region', { name: 'Past-due follow-up', exact: true });
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByLabel('Level 1 days past due')).toHaveValue('15');
  await expect(section.getByLabel('Level 3 days past due')).toHaveValue('40');
  // Days that do not increase: refused by main, the error under the field.
  await section.getByLabel('Level 2 days past due').fill('10');
  await section.getByRole('button', { name: 'Save follow-up levels' }).click();
  await expect(section.getByText("must be more than level 1's 15 days")).toBeVisible();
  await section.getByLabel('Level 2 days past due').fill('30');
  await section.getByLabel('Level 2 fixed fee').fill('15.00');
  await section.getByLabel('Level 2 fee percent').fill('1.5');
  await section.getByRole('button', { name: 'Save follow-up levels' }).click();
  await expect(section.getByRole('button', { name: 'Save follow-up levels' })).toBeDisabled();
  await section.screenshot({ path: screenshotPath('settings-follow-up-levels') });
  await page.reload();
  const again = page.getByRole('region', { name: 'Past-due follow-up', exact: true });
  await expect(again.getByLabel('Level 2 fixed fee')).toHaveValue('15.00');
  await expect(again.getByLabel('Level 2 fee percent')).toHaveValue('1.5');
});
