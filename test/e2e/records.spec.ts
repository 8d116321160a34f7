import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** Invoices, credit memos and statements on screen: the invoice's own screen, a new invoice, a credit memo, a statement. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await callChannel(runtime, 'settings.updateOffice', { changes: { defaultTaxRatePercent: '8.25' } });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0001',
        legalName: 'Riverbend Cabinetry',
        invoices: [
          { invoiceNumber: 'INV-RC-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 48_000 },
          { invoiceNumber: 'INV-RC-2', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 12_500 },
          { invoiceNumber: 'INV-RC-3', issueDate: '2026-11-01', dueDate: '2026-12-01', cents: 9_900 },
        ],
        credits: [{ creditNumber: 'CR-RC-1', issueDate: '2026-10-15', cents: 17_500, reason: 'Late delivery' }],
      });
      // The credit pays INV-RC-2 in full ($125.00, $50.00 left on it), so its void must be refused.
      await callChannel(runtime, 'credits.apply', { customerNumber: 'RC0001', invoiceNumbers: ['INV-RC-2'], creditNumbers: ['CR-RC-1'] });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function openAccount(page: Page) {
  await page.goto(`${app.url}/#/customers/RC0001`);
  await expect(page.getByTestId('account-name')).toHaveText('Riverbend Cabinetry', { timeout: 20_000 });
}

test('an invoice number on the account opens the invoice with its lines, totals and history', async ({ page }) => {
  await openAccount(page);
  await page.getByTestId('open-invoice-row').filter({ hasText: 'INV-RC-1' }).getByRole('link', { name: 'INV-RC-1' }).click();
  await expect(page).toHaveURL(/#\/invoices\/INV-RC-1$/);
  await expect(page.getByTestId('invoice-number')).toHaveText('Invoice INV-RC-1');
  await expect(page.getByTestId('invoice-status')).toHaveText('Open');
  await expect(page.getByTestId('invoice-line')).toHaveCount(1);
  await expect(page.getByTestId('invoice-line')).toContainText('Managed services');
  await expect(page.getByTestId('invoice-total')).toHaveText('$480.00');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$480.00');
  await expect(page.getByTestId('invoice-history')).toContainText('Created for $480.00');
  await page.screenshot({ path: screenshotPath('records-invoice-detail'), fullPage: true });
  await expectNoSeriousA11yViolations(page, 'invoice');

  // Email: to the customer's address on file, queued in the outbox with the invoice's PDF.
  await page.getByRole('button', { name: 'Email', exact: true }).click();
  await expect(page.getByLabel('Send to')).toHaveValue('billing@rc0001.example');
  await page.getByTestId('email-document-send').click();
  await expect(page.getByText('Queued in the Outbox')).toBeVisible();
  await expect(page.getByText(/Invoice INV-RC-1 (goes to|for) billing@rc0001\.example/)).toBeVisible();
  const queued = await app.runtime.core.documents.listOutbox({ status: 'all', limit: 10 });
  expect(queued.map((m) => [m.to, m.attachmentName])).toEqual([['billing@rc0001.example', 'invoice-INV-RC-1.pdf']]);
});

test('an invoice paid by a credit shows the credit, and its void is refused with the reason', async ({ page }) => {
  await page.goto(`${app.url}/#/invoices/INV-RC-2`);
  await expect(page.getByTestId('invoice-status')).toHaveText('Paid');
  await expect(page.getByTestId('invoice-total')).toHaveText('$125.00');
  await expect(page.getByTestId('invoice-applied')).toHaveText('$125.00');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$0.00');
  const applied = page.getByTestId('invoice-application');
  await expect(applied).toHaveCount(1);
  await expect(applied).toContainText('CR-RC-1');
  await expect(page.getByTestId('invoice-history')).toContainText('$125.00 applied from credit CR-RC-1');
  await page.screenshot({ path: screenshotPath('records-invoice-paid-by-credit'), fullPage: true });

  // Money stands on it: main refuses the void, and the clerk reads why.
  await page.getByTestId('void-invoice').click();
  await page.getByLabel('Reason').fill('Billed twice');
  await page.getByTestId('reason-ok').click();
  await expect(page.getByTestId('invoice-action-problem')).toContainText(
    'Invoice INV-RC-2 has $125.00 applied to it; reverse the payment or credit first, then void the invoice',
  );
  await page.screenshot({ path: screenshotPath('records-void-refused') });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('Paid');
});

test('the take-payment screen’s invoice number opens the invoice without selecting it', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/RC0001/pay`);
  const row = page.getByTestId('pick-invoice-row').filter({ hasText: 'INV-RC-1' });
  await expect(row.getByRole('checkbox')).not.toBeChecked();
  await row.getByRole('checkbox').check();
  await expectNoSeriousA11yViolations(page, 'payment with an invoice selected');
  await row.getByRole('link', { name: 'INV-RC-1' }).click();
  await expect(page).toHaveURL(/#\/invoices\/INV-RC-1$/);
  await expect(page.getByTestId('invoice-balance')).toHaveText('$480.00');
});

test('a supervisor voids an invoice with nothing against it, with a reason', async ({ page }) => {
  await page.goto(`${app.url}/#/invoices/INV-RC-3`);
  await page.getByTestId('void-invoice').click();
  await page.getByTestId('reason-ok').click();
  await expect(page.getByText('Enter the reason; it is kept with the invoice and in the audit log')).toBeVisible();
  await page.getByLabel('Reason').fill('Work order cancelled before the visit');
  await page.getByTestId('reason-ok').click();
  await expect(page.getByTestId('invoice-status')).toHaveText('Void');
  await expect(page.getByTestId('invoice-void-notice')).toContainText('Work order cancelled before the visit');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$0.00');
  await expect(page.getByTestId('invoice-history')).toContainText('Voided: Work order cancelled before the visit');
  await page.screenshot({ path: screenshotPath('records-invoice-voided'), fullPage: true });
  const row = await app.runtime.ledger.db.selectFrom('invoices').select(['status', 'void_reason']).where('invoice_number', '=', 'INV-RC-3').executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'void', void_reason: 'Work order cancelled before the visit' });
});

test('a new invoice with two lines, one taxable, shows its totals to the cent and names a bad field', async ({ page }) => {
  await openAccount(page);
  await page.getByRole('button', { name: 'New invoice' }).click();
  await expect(page.getByRole('heading', { name: 'New invoice for Riverbend Cabinetry' })).toBeVisible();
  await expect(page.getByTestId('new-invoice-due')).toHaveValue('2026-12-20');
  await page.getByLabel('Line 1 description').fill('Cabinet refinishing');
  await page.getByLabel('Line 1 quantity').fill('3');
  await page.getByLabel('Line 1 unit price').fill('19.99');
  await page.getByLabel('Line 1 taxable').check();
  await page.getByRole('button', { name: 'Add a line' }).click();
  await page.getByLabel('Line 2 quantity').fill('0');
  await page.getByLabel('Line 2 unit price').fill('10.00');
  // 3 × $19.99 = $59.97 taxable; 8.25 % of it is 494.75 cents -> $4.95.
  await expect(page.getByTestId('new-invoice-subtotal')).toHaveText('$59.97');
  await expect(page.getByTestId('new-invoice-tax')).toHaveText('$4.95');
  await expect(page.getByTestId('new-invoice-total')).toHaveText('$64.92');

  await page.getByTestId('create-invoice').click();
  await expect(page.getByText('Description is required')).toBeVisible();
  await expect(page.getByText('Quantity must be a positive whole number, got 0')).toBeVisible();
  await page.screenshot({ path: screenshotPath('records-new-invoice-errors'), fullPage: true });
  await expectNoSeriousA11yViolations(page, 'new invoice');

  await page.getByLabel('Line 2 description').fill('Disposal fee');
  await page.getByLabel('Line 2 quantity').fill('1');
  await expect(page.getByTestId('new-invoice-subtotal')).toHaveText('$69.97');
  await expect(page.getByTestId('new-invoice-total')).toHaveText('$74.92');
  await page.screenshot({ path: screenshotPath('records-new-invoice'), fullPage: true });
  await page.getByTestId('create-invoice').click();

  await expect(page).toHaveURL(/#\/invoices\/INV-\d+$/);
  await expect(page.getByTestId('invoice-line')).toHaveCount(2);
  await expect(page.getByTestId('invoice-subtotal')).toHaveText('$69.97');
  await expect(page.getByTestId('invoice-tax')).toHaveText('$4.95');
  await expect(page.getByTestId('invoice-total')).toHaveText('$74.92');
  await expect(page.getByTestId('invoice-due')).toHaveText(/2026/);
  await page.screenshot({ path: screenshotPath('records-new-invoice-created'), fullPage: true });
});

test('a credit memo from the account shows among its credits', async ({ page }) => {
  await openAccount(page);
  await page.getByRole('button', { name: 'Credit memo' }).click();
  await page.getByLabel('Amount ($)').fill('25.50');
  await page.getByLabel('Reason').fill('Scratched door panel');
  await page.screenshot({ path: screenshotPath('records-credit-memo-form') });
  await page.getByTestId('create-credit').click();
  const credits = page.getByTestId('credits');
  await expect(credits).toContainText('Scratched door panel');
  await expect(credits.getByRole('row').filter({ hasText: 'Scratched door panel' })).toContainText('$25.50');
  await expect(page.getByTestId('unapplied-credit')).toHaveText('$75.50');
  await page.screenshot({ path: screenshotPath('records-credit-memo-created') });
});

test('the account’s Statement saves the statement as of today as a PDF', async ({ page }) => {
  await openAccount(page);
  await page.getByRole('button', { name: 'Statement' }).click();
  await expect(page.getByRole('textbox', { name: 'As of' })).toHaveValue('2026-11-20');
  await page.screenshot({ path: screenshotPath('records-statement') });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('statement-pdf').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('statement-RC0001-2026-11-20.pdf');
  const saved = fs.readFileSync((await download.path())!);
  expect(saved.subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByText('Saved as statement-RC0001-2026-11-20.pdf.')).toBeVisible();

  // Email: to an address typed for this message.
  await page.getByRole('button', { name: 'Email…' }).click();
  await page.getByLabel('Send to').fill('ap@riverbend.example');
  await page.getByTestId('email-document-send').click();
  await expect(page.getByText('Queued in the Outbox')).toBeVisible();
  await expect(page.getByText(/The statement (goes to|for) ap@riverbend\.example/)).toBeVisible();
  const queued = await app.runtime.core.documents.listOutbox({ status: 'all', limit: 10 });
  expect(queued[0]!.to).toBe('ap@riverbend.example');
  expect(queued[0]!.attachmentName).toBe('statement-RC0001-2026-11-20.pdf');
});
