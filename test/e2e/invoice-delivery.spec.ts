import { expect, test } from '@playwright/test';
import { startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** A customer's invoice delivery set on the account, then the billing run's invoice seen in the outbox and the print queue. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      const line = [{ description: 'Lawn care', unitPriceCents: 4999, quantity: 1, taxable: false }];
      await runtime.core.subscriptions.create({ customerNumber: 'CL1042', period: 'monthly', startDate: '2026-11-20', lines: line }, 'dana');
      await runtime.core.customers.create(
        { customerNumber: 'NE0001', legalName: 'Northeast Bakery', email: null, address: { line1: '9 Mill St', city: 'Salem', region: 'OR', postalCode: '97301', country: 'US' } },
        'dana',
      );
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('delivery set on the account; the billing run’s invoice is in the outbox and the mailing batch', async ({ page }) => {
  // A customer without an email cannot be set to email delivery: the field says why.
  await page.goto(`${app.url}/#/customers/NE0001`);
  await expect(page.getByTestId('account-invoice-delivery')).toHaveText('On paper, by mail (office default)');
  await page.getByRole('button', { name: 'Change delivery' }).click();
  await page.getByRole('combobox', { name: 'Invoices from the billing run' }).click();
  await page.getByRole('option', { name: 'By email', exact: true }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('NE0001 has no email address on file: enter the billing email first, or deliver on paper')).toBeVisible();
  await page.screenshot({ path: screenshotPath('invoice-delivery-refused') });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByTestId('account-invoice-delivery')).toHaveText('On paper, by mail (office default)');

  await page.goto(`${app.url}/#/customers/CL1042`);
  await expect(page.getByTestId('account-invoice-delivery')).toHaveText('On paper, by mail (office default)');
  await page.getByRole('button', { name: 'Change delivery' }).click();
  await expect(page.getByText('Email goes to ap@harborlanedental.example')).toBeVisible();
  await page.getByRole('combobox', { name: 'Invoices from the billing run' }).click();
  await page.getByRole('option', { name: 'By email and on paper' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('account-invoice-delivery')).toHaveText('By email and on paper');
  await page.screenshot({ path: screenshotPath('invoice-delivery-account') });
  expect((await app.runtime.core.customers.get('CL1042')).invoiceDelivery).toBe('both');

  await page.getByRole('link', { name: 'Billing run' }).or(page.getByRole('button', { name: 'Billing run' })).first().click();
  await page.getByTestId('billing-run').click();
  await expect(page.getByTestId('billing-result')).toContainText('Made 1 invoice');
  const invoiceNumber = (await app.runtime.core.subscriptions.list('CL1042'))[0]!.billed[0]!.invoiceNumber;

  await page.goto(`${app.url}/#/documents`);
  const message = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: `Invoice ${invoiceNumber} from Northwind Services LLC` });
  await expect(message).toContainText('ap@harborlanedental.example');
  await expect(message).toContainText(`invoice-${invoiceNumber}.pdf`);
  await page.screenshot({ path: screenshotPath('invoice-delivery-outbox') });
  await page.getByRole('tab', { name: 'Print queue' }).click();
  const job = page.getByTestId('print-table').getByRole('row').filter({ hasText: `Invoice ${invoiceNumber} (mailing, billing run` });
  await expect(job).toHaveCount(1);
  await page.screenshot({ path: screenshotPath('invoice-delivery-print-queue') });
});

test('an administrator sets the office’s default invoice delivery, and an account without its own choice shows it', async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const rules = page.getByRole('region', { name: 'House rules' });
  await expect(rules.getByRole('radio', { name: 'On paper, by mail' })).toBeChecked();
  await rules.getByRole('radio', { name: 'By email' }).check();
  await rules.scrollIntoViewIfNeeded();
  await rules.getByRole('button', { name: 'Save house rules' }).click();
  await expect(page.getByText('House rules saved')).toBeVisible();
  await page.screenshot({ path: screenshotPath('invoice-delivery-office-default') });
  expect(app.runtime.core.settings.get().settings.policy.invoiceDelivery).toBe('email');
  const audit = await app.runtime.ledger.db.selectFrom('audit_log').select('summary').where('action', '=', 'settings.updateOffice').orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(audit.summary).toContain('policy.invoiceDelivery');
  await page.goto(`${app.url}/#/customers/TO0007`);
  await expect(page.getByTestId('account-invoice-delivery')).toHaveText('By email (office default)');
});
