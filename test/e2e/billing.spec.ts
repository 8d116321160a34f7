import { expect, test } from '@playwright/test';
import { startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp();
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('a subscription added on the account is billed by the billing run, then cancelled at once with a credit', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/CL1042`);
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await expect(page.getByText('No subscriptions')).toBeVisible();
  await page.getByTestId('add-subscription').click();
  const form = page.getByRole('dialog');
  // A field error from main: a service needs a name.
  await form.getByLabel('Price per period').fill('49.99');
  await form.getByRole('button', { name: 'Add subscription' }).click();
  await expect(form.getByText('is required')).toBeVisible();
  await form.getByLabel('Service').fill('Lawn care');
  await expect(form.getByLabel('Starts')).toHaveValue('2026-11-20');
  await page.screenshot({ path: screenshotPath('subscription-add') });
  await form.getByRole('button', { name: 'Add subscription' }).click();
  await expect(form).toBeHidden();
  const table = page.getByTestId('subscriptions');
  await expect(table).toContainText('Lawn care');
  await expect(table).toContainText('Monthly, on day 20');
  await expect(table).toContainText('$49.99');
  await expect(table).toContainText('None yet');

  await page.getByRole('link', { name: 'Billing run' }).or(page.getByRole('button', { name: 'Billing run' })).first().click();
  await expect(page.getByRole('heading', { name: 'Billing run' })).toBeVisible();
  // The date is the office's business date (the app's clock), not the computer's.
  await expect(page.getByLabel('Bill periods started by')).toHaveValue('2026-11-20');
  const preview = page.getByTestId('billing-preview');
  await expect(preview).toContainText('CL1042');
  await expect(preview).toContainText('$49.99');
  await page.getByTestId('billing-run').click();
  await expect(page.getByTestId('billing-result')).toContainText('Made 1 invoice');
  await expect(page.getByTestId('billing-result')).toContainText('$49.99 in all');
  await expect(page.getByText('Every subscription period that has started is invoiced.')).toBeVisible();
  await expect(page.getByTestId('billing-runs')).toContainText('finished');
  await page.screenshot({ path: screenshotPath('billing-run') });

  const rows = await app.runtime.core.subscriptions.list('CL1042');
  const invoiceNumber = rows[0]!.billed[0]!.invoiceNumber;
  await page.goto(`${app.url}/#/customers/CL1042`);
  await expect(page.getByTestId('open-invoice-row').filter({ hasText: invoiceNumber })).toContainText('$49.99');
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await expect(page.getByTestId('subscriptions')).toContainText(invoiceNumber);
  // A new price from the next period: Dec 20.
  await page.getByRole('button', { name: 'Change…' }).click();
  const change = page.getByRole('dialog');
  await change.getByLabel('New price per period').fill('59.99');
  await change.getByRole('button', { name: 'Change', exact: true }).click();
  await expect(page.getByText('The new price is billed from 12/20/2026.')).toBeVisible();
  await expect(page.getByTestId('subscriptions')).toContainText('$59.99');
  await page.getByRole('button', { name: 'Cancel…' }).click();
  const cancel = page.getByRole('dialog');
  await cancel.getByLabel('Immediately: a credit memo for the unused days already billed').check();
  await cancel.getByLabel('First day not used').fill('2026-11-25');
  await cancel.getByLabel('Reason').fill('Customer moved');
  await page.screenshot({ path: screenshotPath('subscription-cancel') });
  await cancel.getByRole('button', { name: 'Cancel subscription' }).click();
  // Nov 20 - Dec 19 is 30 days; 25 unused from Nov 25: $49.99 × 25 / 30 = $41.658… → $41.66.
  await expect(page.getByText(/Credit CR-\d+ of \$41\.66 for the unused days/)).toBeVisible();
  await expect(page.getByTestId('subscriptions')).toContainText('Cancelled at once: Customer moved');
  await page.getByRole('tab', { name: /Credits/ }).click();
  await expect(page.getByTestId('credits')).toContainText('$41.66');
  await page.screenshot({ path: screenshotPath('subscription-cancelled') });
});
