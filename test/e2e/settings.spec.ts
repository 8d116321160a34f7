import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp();
});
test.afterAll(async () => {
  await app.close();
});
// Dialogs appear without their fade, so screenshots show them whole.
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test.describe('settings', () => {
  test('shows the workstation settings and the house rules read-only', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/New_York');
    await expect(page.getByText('Today is 11/20/2026 in America/New_York.')).toBeVisible();
    const rules = page.getByTestId('house-rules');
    await expect(rules).toContainText('On — every invoice selected for payment is paid in full; no partial payments.');
    await expect(rules).toContainText('Refused — a payment may not exceed what the selected invoices owe.');
    await expect(rules.getByRole('textbox')).toHaveCount(0);
    await expect(rules.getByRole('combobox')).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('settings') });
    await expectNoSeriousA11yViolations(page, 'settings');
  });

  test('formats money and dates everywhere per the saved number and date formats', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    await page.getByRole('combobox', { name: 'Date format' }).click();
    await page.getByRole('option', { name: /^YYYY-MM-DD/ }).click();
    await page.getByRole('combobox', { name: 'Number format' }).click();
    await page.getByRole('option', { name: 'German (Germany)' }).click();
    await expect(page.getByText('Amounts look like 1.234.567,89 $')).toBeVisible();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    expect(app.runtime.core.settings.get().settings).toMatchObject({ dateFormat: 'YYYY-MM-DD', numberFormat: 'de-DE' });

    await page.goto(`${app.url}/#/customers/CL1042`);
    await expect(page.getByTestId('open-balance')).toHaveText('1.135,00 $');
    const account = await app.runtime.core.customers.account('CL1042');
    await expect(page.getByTestId('open-invoice-row').first()).toContainText(account.openInvoices[0]!.dueDate);
  });
});
