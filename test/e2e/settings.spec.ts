import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { callChannel, startSeededApp } from './seeded';
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
    await page.getByRole('combobox', { name: 'Export format' }).click();
    await page.getByRole('option', { name: /semicolon separated/ }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    expect(app.runtime.core.settings.get().settings).toMatchObject({
      dateFormat: 'YYYY-MM-DD',
      numberFormat: 'de-DE',
      exportFormat: 'csv-semicolon',
    });

    await page.goto(`${app.url}/#/customers/CL1042`);
    await expect(page.getByTestId('open-balance')).toHaveText('1.135,00 $');
    const account = await app.runtime.core.customers.account('CL1042');
    await expect(page.getByTestId('open-invoice-row').first()).toContainText(account.openInvoices[0]!.dueDate);
  });

  test('exports the aging with semicolons and decimal commas when the export format says so', async ({ page }) => {
    await callChannel(app.runtime, 'settings.update', { changes: { exportFormat: 'csv-semicolon' } });
    const harbor = (await callChannel(app.runtime, 'aging.report', {})).customers.find((c) => c.customer_number === 'CL1042')!;
    await page.goto(`${app.url}/#/aging`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export CSV/ }).click();
    const text = fs.readFileSync(await (await download).path(), 'utf8').replace(/^\ufeff/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Customer number;Legal name;Current;1-30 days;31-60 days;61-90 days;Over 90 days;Total;Unapplied credits;Disputed');
    const comma = (c: number) => `${Math.trunc(c / 100)},${String(c % 100).padStart(2, '0')}`;
    expect(lines.find((l) => l.startsWith('CL1042;'))).toBe(
      ['CL1042', 'Harbor Lane Dental LLC', ...[harbor.current, harbor.days_1_30, harbor.days_31_60, harbor.days_61_90, harbor.days_over_90, harbor.total, harbor.unapplied_credits_cents, harbor.disputed_cents].map(comma)].join(';'),
    );
  });
});
