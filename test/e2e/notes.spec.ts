import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';
import { phoneDebitWording } from '../../src/shared/phoneDebit';

/**
 * Account notes and promises to pay, finding payments on the Payments screen, and the phone-debit
 * authorization read before a bank payment.
 */
let app: TestApp;
const SEARCH_AMOUNTS = [7_550, 7_550, 12_000, 7_550, 7_550, 7_550, 3_000, 7_550, 7_550, 7_550, 7_550, 7_550, 7_550, 7_550, 9_900];

test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'NT0001',
        legalName: 'Quarry Hill Pediatrics',
        invoices: [{ invoiceNumber: 'INV-NT1-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 15_000 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'NT0002',
        legalName: 'Redwood Family Optometry',
        invoices: [{ invoiceNumber: 'INV-NT2-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 24_680 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'NT0003',
        legalName: 'Summit Ridge Landscaping',
        invoices: SEARCH_AMOUNTS.map((cents, i) => ({ invoiceNumber: `INV-NT3-${i + 1}`, issueDate: '2026-09-01', dueDate: '2026-10-01', cents })),
      });
      for (const [i, cents] of SEARCH_AMOUNTS.entries()) {
        await callChannel(runtime, 'payments.submit', {
          customerNumber: 'NT0003',
          invoiceNumbers: [`INV-NT3-${i + 1}`],
          creditNumbers: [],
          method: { type: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: 2029, cvc: '123', nameOnCard: 'Summit Ridge', postalCode: '97201', save: false },
          confirmedAmountCents: cents,
          idempotencyKey: `notes-e2e-search-${i}`,
        });
      }
    },
  });
});
test.afterAll(async () => {
  await app?.close();
});

test('a clerk adds a call note and a promise to pay; the promise shows on the account until kept or broken', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/NT0001`);
  // The first screen of a test waits for the renderer to load on a busy machine.
  await expect(page.getByTestId('account-name')).toHaveText('Quarry Hill Pediatrics', { timeout: 30_000 });
  await page.getByRole('tab', { name: /Notes/ }).click();
  await expect(page.getByText('No notes yet')).toBeVisible();

  await page.getByLabel('What was said on the call').fill('Spoke with the office manager: the October invoice is approved for payment.');
  await page.getByRole('button', { name: 'Add note' }).click();
  const rows = page.getByTestId('account-note');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Call');
  await expect(rows.first()).toContainText('clerk');
  await expect(rows.first()).toContainText('Spoke with the office manager: the October invoice is approved for payment.');

  await page.getByRole('radiogroup', { name: 'Kind of note' }).getByText('Promise to pay').click();
  // Nothing typed: main names the fields.
  await page.getByRole('button', { name: 'Add promise' }).click();
  await expect(page.getByText('Promised date is required for a promise to pay')).toBeVisible();
  await expect(page.getByText('Amount is required for a promise to pay')).toBeVisible();

  await page.getByLabel('Promised date').fill('11/27/2026');
  await page.getByLabel('Promised date').press('Enter');
  await page.getByLabel('Amount').fill('150.00');
  await page.getByLabel('What the customer said (optional)').fill('Will pay in full on Friday by bank transfer.');
  await page.getByRole('button', { name: 'Add promise' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Promise');
  await expect(rows.first()).toContainText('$150.00 by 11/27/2026');
  await expect(rows.first()).toContainText('Open');
  await expect(rows.first()).toContainText('$0.00 received');
  const banner = page.getByTestId('promise-banner');
  await expect(banner).toHaveCount(1);
  await expect(banner).toContainText('Promise to pay $150.00 by 11/27/2026');
  await expect(banner).toContainText('Nothing received toward it yet.');
  await expect(page.getByRole('tab', { name: /Notes/ })).toContainText('2');
  await page.screenshot({ path: screenshotPath('notes-account') });
  await rows.last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('notes-log') });
  await expectNoSeriousA11yViolations(page, 'account notes');

  // The ledger holds the log as the screen shows it.
  const listed = await callChannel(app.runtime, 'notes.list', { customerNumber: 'NT0001' });
  expect(listed.notes.map((n) => [n.kind, n.createdBy, n.promise?.promisedCents ?? null])).toEqual([
    ['promise', 'clerk', 15_000],
    ['call', 'clerk', null],
  ]);
});

test('the Payments screen finds payments by amount, a page at a time', async ({ page }) => {
  await page.goto(`${app.url}/#/payments`);
  const rows = page.getByTestId('recent-payments').getByTestId('recent-payment-row');
  await expect(rows).toHaveCount(10, { timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Amount' }).fill('75.50');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Payments found' })).toBeVisible();
  const info = page.getByTestId('payments-page-info');
  await expect(info).toHaveText('1–10 of 12 payments');
  await expect(rows).toHaveCount(10);
  for (const row of await rows.all()) await expect(row).toContainText('$75.50');
  await expect(page.getByText('Page 1 of 2')).toBeVisible();
  await page.screenshot({ path: screenshotPath('payments-search-amount') });
  await expectNoSeriousA11yViolations(page, 'payments search');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(info).toHaveText('11–12 of 12 payments');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('NT0003 Summit Ridge Landscaping');
  for (const row of await rows.all()) await expect(row).toContainText('$75.50');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(info).toHaveText('1–10 of 12 payments');

  // A filter main refuses is said at its field.
  await page.getByRole('textbox', { name: 'Confirmation', exact: true }).fill('ABC');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText('Confirmation number is 8 letters and digits, such as K7M2-Q9XR')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByRole('heading', { name: 'Recent payments' })).toBeVisible();
});

test('paying by bank account shows the phone-debit authorization to read, and OK waits for the customer’s yes', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/NT0002/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('checkbox', { name: 'Pay invoice INV-NT2-1' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$246.80');
  await page.getByRole('radio', { name: 'New bank account' }).check();
  await page.getByLabel('Name on the account').fill('Redwood Family Optometry');
  await page.getByLabel('Routing number').fill('110000000');
  await page.getByLabel('Account number').fill('000123456789');
  await page.getByTestId('submit').click();

  const wording = phoneDebitWording({
    customerName: 'Redwood Family Optometry',
    amountCents: 24_680,
    debitDate: '2026-11-20',
    last4: '6789',
    companyName: 'Northwind Services LLC',
    companyPhone: '(503) 555-0100',
  });
  await expect(page.getByTestId('phone-debit-wording')).toHaveText(wording);
  const ok = page.getByTestId('confirm-ok');
  await expect(ok).toBeDisabled();
  await page.screenshot({ path: screenshotPath('payment-phone-debit') });
  await expectNoSeriousA11yViolations(page, 'phone-debit authorization');

  await page.getByRole('checkbox', { name: 'The customer authorized this debit on the phone' }).check();
  await expect(ok).toBeEnabled();
  await ok.click();
  const confirmation = page.getByTestId('confirmation-number');
  await expect(confirmation).toHaveText(/^[A-Z0-9-]{4,10}$/);

  const rows = await app.runtime.ledger.db
    .selectFrom('payment_authorizations as a')
    .innerJoin('payments as p', 'p.id', 'a.payment_id')
    .select(['a.wording', 'a.authorized_by', 'p.confirmation_number', 'p.amount_cents'])
    .execute();
  expect(rows).toEqual([{ wording, authorized_by: 'clerk', confirmation_number: (await confirmation.textContent())!, amount_cents: 24_680 }]);
});
