import { expect, test } from '@playwright/test';
import { startTestApp, screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startTestApp();
});
test.afterAll(async () => {
  await app.close();
});

test('the shell shows navigation and a footer with the real ledger path and schema version', async ({ page }) => {
  await page.goto(app.url);
  for (const label of ['Customers', 'Aging', 'Payments', 'Settings']) {
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByText(label, { exact: true })).toBeVisible();
  }
  const info = app.runtime.core.app.info('clerk');
  await expect(page.getByTestId('ledger-path')).toContainText(info.ledgerPath);
  await expect(page.getByTestId('schema-version')).toHaveText(`Schema ${info.schemaVersion}`);
  expect(info.schemaVersion).toBeGreaterThan(0);
  await expect(page.getByTestId('test-mode')).toHaveText('Test mode');
  await page.screenshot({ path: screenshotPath('shell') });
});
