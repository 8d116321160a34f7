import { expect, test } from '@playwright/test';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

// The office allows partial payments (exact invoice payments off): PP0001 owes INV-PP-1 $100.00
// (older) and INV-PP-2 $200.00 and pays $150.00 by the card on file.
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await runtime.core.settings.updateOffice({ policy: { exactInvoicePayments: false } }, 'admin');
      await addScenarioCustomer(runtime, {
        customerNumber: 'PP0001',
        legalName: 'Poplar Point Vets',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-PP-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 10_000 },
          { invoiceNumber: 'INV-PP-2', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 20_000 },
        ],
      });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});

test('with partial payments allowed, $150.00 pays the oldest invoice in full and the next in part; the rest stays open', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/PP0001/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PP-1' }).check();
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PP-2' }).check();
  // With partial payments allowed the clerk says how much the customer pays.
  await expect(page.getByTestId('quote-refusal')).toContainText('Enter the amount to charge');
  await page.getByLabel('Amount the customer pays').fill('150.00');
  await expect(page.getByTestId('quote-charge')).toHaveText('$150.00');
  await expect(page.getByTestId('quote-refusal')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('payment-partial') });
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirmation-number')).toBeVisible();
  await expect(page.getByTestId('balance-after')).toHaveText('$150.00');
  await page.screenshot({ path: screenshotPath('payment-partial-approved') });

  const account = await callChannel(app.runtime, 'customers.account', { customerNumber: 'PP0001' });
  expect(account.openInvoices.map((i) => [i.invoiceNumber, i.openCents])).toEqual([['INV-PP-2', 15_000]]);
});
