import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({ cardOnFile: true });
});
test.afterAll(async () => {
  await app.close();
});
// Dialogs appear without their fade, so screenshots show them whole.
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test.describe('customer account', () => {
  test('shows who the customer is, what they owe, their aging and their invoices', async ({ page }) => {
    await page.goto(`${app.url}/#/customers/CL1042`);
    await expect(page.getByTestId('account-name')).toHaveText('Harbor Lane Dental LLC');
    await expect(page.getByTestId('account-number')).toHaveText('CL1042');
    await expect(page.getByText('Active', { exact: true })).toBeVisible();
    await expect(page.getByTestId('account-phone')).toHaveText('(503) 555-0142');
    await expect(page.getByTestId('account-email')).toHaveText('ap@harborlanedental.example');
    await expect(page.getByText('Maria Okafor')).toBeVisible();
    await expect(page.getByText('Net 30')).toBeVisible();

    const account = await app.runtime.core.customers.account('CL1042');
    await expect(page.getByTestId('open-balance')).toHaveText('$1,135.00');
    expect(account.balance.openCents).toBe(113_500);
    await expect(page.getByTestId('past-due')).toHaveText('$908.00');
    await expect(page.getByTestId('unapplied-credit')).toHaveText('$75.00');

    // One open invoice in each bucket, $227.00 each.
    for (const bucket of ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90']) {
      await expect(page.getByTestId(`bucket-${bucket}-amount`)).toHaveText('$227.00');
    }
    await expect(page.getByTestId('bucket-total-amount')).toHaveText('$1,135.00');

    const rows = page.getByTestId('open-invoice-row');
    await expect(rows).toHaveCount(5);
    const first = account.openInvoices[0]!;
    await expect(rows.first()).toContainText(first.invoiceNumber);
    await expect(rows.first()).toContainText(`${first.daysPastDue} days`);
    await page.screenshot({ path: screenshotPath('account') });
    await expectNoSeriousA11yViolations(page, 'account');

    await page.getByRole('tab', { name: /Credits/ }).click();
    await expect(page.getByTestId('credits')).toContainText('$75.00');
    await page.getByRole('tab', { name: /Payment history/ }).click();
    await expect(page.getByTestId('payment-history').or(page.getByText('No payments yet'))).toBeVisible();
    await page.screenshot({ path: screenshotPath('account-history') });
  });

  test('shows the server’s validation messages on the fields of the edit form, then saves', async ({ page }) => {
    await page.goto(`${app.url}/#/customers/TO0007`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email', { exact: true }).fill('hello-at-caferouge');
    await dialog.getByLabel('Address: ZIP or postal code').fill('ABC');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog.getByText(/"hello-at-caferouge" is not an email address/)).toBeVisible();
    await expect(dialog.getByText(/"ABC" is not a US ZIP code/)).toBeVisible();
    await expect(dialog.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await dialog.getByRole('alert').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('account-edit-validation') });
    await expectNoSeriousA11yViolations(page, 'account edit');

    await dialog.getByLabel('Email', { exact: true }).fill('billing@caferouge.example');
    await dialog.getByLabel('Address: ZIP or postal code').fill('97214');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('account-email')).toHaveText('billing@caferouge.example');
    const saved = await app.runtime.core.customers.get('TO0007');
    expect(saved.email).toBe('billing@caferouge.example');
    expect(saved.address.postalCode).toBe('97214');
  });

  test('adds a card to the vault, makes it the default and removes the old one', async ({ page }) => {
    await page.goto(`${app.url}/#/customers/CL1042`);
    await page.getByRole('tab', { name: /Payment methods/ }).click();
    const rows = page.getByTestId('payment-method-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Visa ending 4242');
    await expect(rows.first()).toContainText('12/28');
    await expect(rows.first()).toContainText('Office Visa');
    await expect(rows.first()).toContainText('Default');

    await page.getByRole('button', { name: 'Add payment method' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name on card').fill('Maria Okafor');
    await dialog.getByLabel('Card number').fill('5555 5555 5555 4445');
    await expect(dialog.getByTestId('card-brand')).toHaveText('Mastercard');
    await expect(dialog.getByText('This number is not valid; check the digits')).toBeVisible();
    await dialog.getByLabel('Card number').fill('5555555555554444');
    await expect(dialog.getByText('Number checks out')).toBeVisible();
    await dialog.getByLabel('Expiry (MM/YY)').fill('0930');
    await expect(dialog.getByLabel('Expiry (MM/YY)')).toHaveValue('09/30');
    await dialog.getByLabel('Security code').fill('321');
    await dialog.getByLabel('Billing ZIP code').fill('97209');
    await dialog.getByLabel('Nickname (optional)').fill('Backup Mastercard');
    await page.screenshot({ path: screenshotPath('account-add-card') });
    await dialog.getByRole('button', { name: 'Save to the vault' }).click();
    await expect(dialog).toBeHidden();
    await expect(rows).toHaveCount(2);
    const mastercard = rows.filter({ hasText: 'Mastercard ending 4444' });
    await expect(mastercard).toContainText('Backup Mastercard');

    await page.getByRole('button', { name: 'Make Mastercard ending 4444 the default' }).click();
    await expect(mastercard).toContainText('Default');
    await expect(rows.filter({ hasText: 'Visa ending 4242' })).not.toContainText('Default');
    await page.screenshot({ path: screenshotPath('account-methods') });

    await page.getByRole('button', { name: 'Remove Visa ending 4242' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Mastercard ending 4444');
  });

  test('Ctrl+P opens the payment screen for this customer', async ({ page }) => {
    await page.goto(`${app.url}/#/customers/CL1042`);
    await expect(page.getByTestId('account-name')).toBeVisible();
    await page.keyboard.press('Control+P');
    await expect(page).toHaveURL(/#\/customers\/CL1042\/pay$/);
    await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
  });

  test('keeps a long email on one line of the header, cut with an ellipsis and whole in its tooltip', async ({ page }) => {
    const email = 'accounts.payable.department@riverside-community-veterinary-hospital.example';
    expect(email.length).toBeGreaterThan(60);
    await addScenarioCustomer(app.runtime, { customerNumber: 'LE0001', legalName: 'Riverside Community Veterinary Hospital', email, invoices: [] });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${app.url}/#/customers/LE0001`);
    const field = page.getByTestId('account-email');
    await expect(field).toHaveText(email);
    const lineHeight = await field.evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).lineHeight));
    const box = (await field.boundingBox())!;
    expect(box.height).toBeLessThan(1.5 * lineHeight);
    await expect(field.getByTitle(email, { exact: true })).toBeVisible();
    // The address stays in its own column: the next field (Terms) starts after it.
    const terms = (await page.getByText('Terms', { exact: true }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(terms.x);
    await page.screenshot({ path: screenshotPath('account-long-email') });
  });

  test('says so for a customer number that does not exist', async ({ page }) => {
    await page.goto(`${app.url}/#/customers/ZZ9999`);
    await expect(page.getByText('No customer ZZ9999', { exact: true })).toBeVisible();
  });
});
