import { expect, test, type Page } from '@playwright/test';
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

const search = (page: Page) => page.getByRole('combobox', { name: /Customer number, name, phone/ });
const results = (page: Page) => page.getByTestId('lookup-result');

test.describe('customer lookup', () => {
  test('starts focused on the search box and explains what can be typed', async ({ page }) => {
    await page.goto(app.url);
    await expect(search(page)).toBeFocused();
    await expect(page.getByText('Type to search')).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'lookup (empty)');
  });

  test('finds a customer by number and opens the account with Enter', async ({ page }) => {
    await page.goto(app.url);
    await search(page).fill('CL1042');
    await expect(results(page).first()).toContainText('Harbor Lane Dental LLC');
    await expect(results(page).first()).toContainText('CL1042');
    await expect(results(page).first()).toContainText('(503) 555-0142');
    await expect(results(page).first()).toContainText('$1,135.00');
    await expect(results(page).first()).toContainText('Past due $908.00');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/customers\/CL1042$/);
    await expect(page.getByTestId('account-name')).toHaveText('Harbor Lane Dental LLC');
  });

  test('finds a customer by part of the name, case and accents ignored', async ({ page }) => {
    await page.goto(app.url);
    await search(page).fill('harbor la');
    await expect(results(page).filter({ hasText: 'Harbor Lane Dental LLC' })).toHaveCount(1);
    await search(page).fill('akesson');
    await expect(results(page).filter({ hasText: 'Åkesson & Søn Bakery' })).toHaveCount(1);
    await expectNoSeriousA11yViolations(page, 'lookup (results)');
  });

  test('finds a customer by phone whatever the formatting', async ({ page }) => {
    await page.goto(app.url);
    for (const phone of ['503-555-0142', '(503) 555 0142', '5035550142', '503.555.0142']) {
      await search(page).fill(phone);
      await expect(results(page).first(), phone).toContainText('CL1042');
    }
  });

  test('finds the customer of an invoice by the invoice number', async ({ page }) => {
    const account = await app.runtime.core.customers.account('CL1042');
    const invoiceNumber = account.openInvoices[0]!.invoiceNumber;
    await page.goto(app.url);
    await search(page).fill(invoiceNumber);
    await expect(results(page).first()).toContainText('Harbor Lane Dental LLC');
    await expect(results(page).first()).toContainText(`Invoice ${invoiceNumber}`);
  });

  test('moves through the results with the arrow keys and opens the chosen one', async ({ page }) => {
    await page.goto(app.url);
    await search(page).fill('a');
    await expect(results(page).nth(2)).toBeVisible();
    const third = await results(page).nth(2).locator('span').first().innerText();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(results(page).nth(2)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp');
    await expect(results(page).nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: screenshotPath('lookup-results') });
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/customers/${third}$`));
  });

  test('opens an account with a click', async ({ page }) => {
    await page.goto(app.url);
    await search(page).fill('Café Rouge');
    await results(page).filter({ hasText: 'TO0007' }).click();
    await expect(page.getByTestId('account-name')).toHaveText('Café Rouge');
  });

  test('says so when nothing matches', async ({ page }) => {
    await page.goto(app.url);
    await search(page).fill('zzqx nobody');
    await expect(page.getByText('No customer matches “zzqx nobody”')).toBeVisible();
    await expect(results(page)).toHaveCount(0);
  });

  test('Ctrl+K brings the search box back from any screen', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    await expect(page.getByRole('heading', { name: 'Invoice aging' })).toBeVisible();
    await page.keyboard.press('Control+K');
    await expect(search(page)).toBeFocused();
    await page.keyboard.type('CL1042');
    await expect(results(page).first()).toContainText('Harbor Lane Dental LLC');
    await page.screenshot({ path: screenshotPath('lookup') });
  });
});
