import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, AS_OF, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'AP0001',
        legalName: 'Alder Point Bakery',
        email: 'ap@alderpoint.example',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-AP-1', issueDate: '2026-10-21', dueDate: AS_OF, cents: 12_345 },
          { invoiceNumber: 'INV-AP-2', issueDate: '2026-11-15', dueDate: '2026-12-15', cents: 5_000 },
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

test('turning autopay on with the card on file, the daily run charges the invoice due today and the account shows the charge', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/AP0001`);
  await page.getByRole('tab', { name: /Payment methods/ }).click();
  const panel = page.getByTestId('autopay-panel');
  await expect(panel.getByTestId('autopay-status')).toHaveText('Off');
  await expect(panel.getByText('No autopay charges yet')).toBeVisible();
  await page.screenshot({ path: screenshotPath('autopay-off') });
  await panel.getByTestId('autopay-on').click();
  await expect(panel.getByTestId('autopay-status')).toHaveText('On');
  await expect(panel.getByTestId('autopay-method')).toContainText('Visa ending 4242');
  await expect(panel.getByTestId('autopay-consent')).toContainText('Turned on by');
  await expectNoSeriousA11yViolations(page, 'autopay panel');

  // The daily run (as the schedule runs it), then the account again.
  const run = await callChannel(app.runtime, 'billing.run', { asOf: AS_OF });
  expect(run.autopay.charged).toEqual([expect.objectContaining({ customerNumber: 'AP0001', invoiceNumbers: ['INV-AP-1'], amountCents: 12_345 })]);
  // Tall enough that the charges table sits above the status bar in the screenshot.
  await page.setViewportSize({ width: 1366, height: 1100 });
  await page.reload();
  await page.getByRole('tab', { name: /Payment methods/ }).click();
  const attempt = page.getByTestId('autopay-attempt');
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toHaveAttribute('data-outcome', 'approved');
  await expect(attempt).toContainText('INV-AP-1');
  await expect(attempt).toContainText('$123.45');
  await expect(attempt).toContainText('Charged');
  await page.screenshot({ path: screenshotPath('autopay-charged') });

  // The receipt waits in the outbox with the confirmation attached.
  const outbox = await callChannel(app.runtime, 'documents.outbox', { status: 'all', limit: 50 });
  expect(JSON.stringify(outbox)).toContain('ap@alderpoint.example');
});
