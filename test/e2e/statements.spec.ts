import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** Batch statements from the Documents screen: progress while main writes the files, the result, and a cancel. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({ customers: 400 });
});
test.afterAll(async () => {
  await app.close();
});

test('the clerk writes every statement as of a date, sees the progress and the files, and can cancel a batch', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`${app.url}/#/documents/statements`);
  await expect(page.getByRole('tab', { name: 'Statements' })).toHaveAttribute('aria-selected', 'true');
  await page.getByLabel('As of').fill('2026-11-20');
  await page.getByTestId('statements-start').click();

  const progress = page.getByTestId('statements-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByText(/statements? drawn; [\d,]+ of 400 customers read/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('statements-progress') });

  const result = page.getByTestId('statements-result');
  await expect(result).toContainText('Statements written', { timeout: 120_000 });
  await expect(result.getByTestId('statements-files')).toContainText('statements-001.pdf');
  await expect(result).toContainText('Balance due in all: $');
  await page.screenshot({ path: screenshotPath('statements-result') });
  const folder = path.join(app.dir, 'statements', 'statements-2026-11-20');
  expect(fs.readdirSync(folder)).toEqual(['statements-001.pdf']);

  // A second batch, cancelled at once: it stops, and leaves nothing half written in its own folder.
  await page.getByTestId('statements-start').click();
  await page.getByTestId('statements-cancel').click();
  await expect(result).toContainText('Cancelled', { timeout: 60_000 });
  await page.screenshot({ path: screenshotPath('statements-cancelled') });
  const second = path.join(app.dir, 'statements', 'statements-2026-11-20-2');
  expect(fs.readdirSync(second).filter((n) => !/^statements-\d{3}\.pdf$/.test(n))).toEqual([]);
});
