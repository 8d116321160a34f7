import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** Wherever an invoice is flagged Disputed, the clerk reads why without opening anything else. */
const REASON = 'Customer disputes the hours billed';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'DS0001',
        legalName: 'Larchmont Plumbing Supply',
        invoices: [
          { invoiceNumber: 'INV-DS1-1', issueDate: '2026-08-01', dueDate: '2026-08-31', cents: 10_000 },
          { invoiceNumber: 'INV-DS1-2', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 20_000, disputed: true },
        ],
      });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('the account’s open invoices give the dispute reason beside the Disputed badge', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/DS0001`);
  const row = page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS1-2' });
  await expect(row.getByText('Disputed', { exact: true })).toBeVisible();
  await expect(row.getByTestId('dispute-reason')).toHaveText(REASON);
  await expect(page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS1-1' }).getByTestId('disputed')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('account-dispute-reason') });
  await expectNoSeriousA11yViolations(page, 'account with a disputed invoice');
});

test('the payment screen gives the dispute reason beside the Disputed badge', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/DS0001/pay`);
  const row = page.getByTestId('pick-invoice-row').filter({ hasText: 'INV-DS1-2' });
  await expect(row.getByText('Disputed', { exact: true })).toBeVisible();
  await expect(row.getByTestId('dispute-reason')).toHaveText(REASON);
  await page.screenshot({ path: screenshotPath('payment-dispute-reason') });
});

test('the aging’s Disputed amount tells which invoice is disputed and why', async ({ page }) => {
  await page.goto(`${app.url}/#/aging`);
  await page.getByLabel('Filter customers').fill('DS0001');
  const row = page.getByTestId('aging-row').filter({ hasText: 'DS0001' });
  await expect(page.getByTestId('aging-row')).toHaveCount(1);
  const disputed = row.getByRole('cell').last().getByText('$200.00');
  await disputed.hover();
  const reasons = page.getByTestId('dispute-reasons');
  await expect(reasons).toContainText(`INV-DS1-2 ($200.00): ${REASON}`);
  await expect(reasons).not.toContainText('INV-DS1-1');
  await page.screenshot({ path: screenshotPath('aging-dispute-reason') });
});
