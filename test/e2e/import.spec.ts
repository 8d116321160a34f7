import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { screenshotPath, startTestApp, type TestApp } from './server';

/** The Import screen: a CSV file sent to main in pieces, checked whole, then written, with the progress on screen. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startTestApp();
});
test.afterAll(async () => {
  await app.close();
});

function customersCsv(count: number): Buffer {
  const lines = ['customer_number,legal_name,email,phone'];
  for (let i = 1; i <= count; i++) lines.push(`IM${String(i).padStart(5, '0')},Imported Customer Number ${i} Holdings Ltd,accounts.payable.${i}@example.com,555-01${String(i % 100).padStart(2, '0')}`);
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

test('a supervisor imports a file of customers: sent in pieces with its progress, then every row imported', async ({ page }) => {
  const file = customersCsv(8_000);
  expect(file.length).toBeGreaterThan(512 * 1024);
  // Each piece takes a moment on its way, so the sending progress can be seen.
  await page.route('**/ipc/imports.append', async (route) => {
    await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  await page.goto(`${app.url}/#/import`);
  await expect(page.getByRole('heading', { name: 'Import' })).toBeVisible();
  await expect(page.getByText('Columns: customer_number, legal_name; optional email')).toBeVisible();
  await page.getByRole('radio', { name: 'Customers' }).check();
  await page.locator('input[type=file]').setInputFiles({ name: 'new-customers.csv', mimeType: 'text/csv', buffer: file });
  await page.getByTestId('import-start').click();

  const progress = page.getByTestId('import-progress');
  await expect(progress.getByText(/^Sending the file: [\d.]+ MB of 0\.\d MB$/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('import-sending') });

  const result = page.getByTestId('import-result');
  await expect(result).toContainText('8,000 customers from new-customers.csv were imported', { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  const n = await app.runtime.ledger.db.selectFrom('customers').where('customer_number', 'like', 'IM%').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(n.n)).toBe(8_000);
  await page.screenshot({ path: screenshotPath('import-done') });
  await expectNoSeriousA11yViolations(page, 'import done');
  // The file sent is not kept once imported.
  expect(fs.readdirSync(`${app.dir}/imports`)).toEqual([]);
});

test('a file of invoices with wrong lines is refused whole: each line is listed with its reason and nothing is written', async ({ page }) => {
  const csv = [
    'invoice_number,customer_number,issue_date,due_date,amount',
    'INV-IX-1,IX00001,2026-11-01,2026-12-01,125.00',
    'INV-IX-2,IX99999,2026-11-01,2026-12-01,80.00',
    'INV-IX-3,IX00002,2026-11-31,2026-12-01,80.00',
    'INV-IX-4,IX00003,2026-11-01,2026-12-01,12.345',
  ].join('\n');
  const customers = await app.runtime.core.imports.importCsv('customers', 'customer_number,legal_name\nIX00001,One Ltd\nIX00002,Two Ltd\nIX00003,Three Ltd\n', 'setup');
  expect(customers.ok).toBe(true);
  await page.goto(`${app.url}/#/import`);
  await page.getByRole('radio', { name: 'Invoices' }).check();
  await page.locator('input[type=file]').setInputFiles({ name: 'november.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-start').click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('Nothing was imported');
  await expect(result).toContainText('3 lines of november.csv are wrong.');
  const rows = result.getByTestId('import-errors').getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('3');
  await expect(rows.nth(1)).toContainText('IX99999');
  await expect(rows.nth(2)).toContainText('4');
  await expect(rows.nth(3)).toContainText('5');
  const written = await app.runtime.ledger.db.selectFrom('invoices').where('invoice_number', 'like', 'INV-IX-%').select('invoice_number').execute();
  expect(written).toEqual([]);
  await page.screenshot({ path: screenshotPath('import-refused') });
  await expectNoSeriousA11yViolations(page, 'import refused');
});
