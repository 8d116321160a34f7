import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, AS_OF, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
let paymentId = 0;

// CZ1001 owes CZ-INV-1 $100.00, CZ-INV-2 $50.00 and CZ-INV-3 $20.00, and paid $130.00 by Visa for
// CZ-INV-1 with partial payments allowed and overpayments kept: $30.00 is held on account.
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      await runtime.core.settings.updateOffice({ policy: { exactInvoicePayments: false, overpayment: 'unapplied_credit' } }, 'admin');
      await addScenarioCustomer(runtime, {
        customerNumber: 'CZ1001',
        legalName: 'Cedar Zone Clinic',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'CZ-INV-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 10_000 },
          { invoiceNumber: 'CZ-INV-2', issueDate: '2026-10-15', dueDate: '2026-11-14', cents: 5_000 },
          { invoiceNumber: 'CZ-INV-3', issueDate: '2026-11-01', dueDate: '2026-12-01', cents: 2_000 },
        ],
      });
      const card = (await callChannel(runtime, 'paymentMethods.list', { customerNumber: 'CZ1001' })).methods[0]!.id;
      const paid = await callChannel(runtime, 'payments.submit', {
        customerNumber: 'CZ1001',
        invoiceNumbers: ['CZ-INV-1'],
        creditNumbers: [],
        amountCents: 13_000,
        method: { type: 'saved', paymentMethodId: card },
        confirmedAmountCents: 13_000,
        idempotencyKey: 'e2e-corrections-0001',
      });
      if (paid.status !== 'approved') throw new Error('the scenario payment was not approved');
      paymentId = paid.paymentId;
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test.describe.configure({ mode: 'serial' });

test('shows the money on account and re-applies part of a payment to another invoice', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/CZ1001`);
  await expect(page.getByTestId('on-account-total')).toHaveText('$30.00');
  await expect(page.getByTestId('on-account-row')).toContainText('$30.00');

  await page.getByRole('tab', { name: /Payment history/ }).click();
  await page.getByRole('button', { name: /^Re-apply:/ }).click();
  const dialog = page.getByRole('dialog', { name: /Re-apply payment/ });
  await expect(dialog.getByRole('combobox', { name: 'From invoice' })).toHaveValue('CZ-INV-1 ($100.00 of this payment)');
  await dialog.getByRole('combobox', { name: 'To', exact: true }).click();
  await page.getByRole('option', { name: /^CZ-INV-2/ }).click();
  await dialog.getByTestId('reapply-amount').fill('60.00');
  await dialog.getByTestId('reapply-reason').fill('Customer meant part of it for the October service');
  await dialog.getByTestId('reapply-ok').click();
  // More than CZ-INV-2 owes: refused at the field, nothing moved.
  await expect(dialog.getByText('$60.00 would overpay CZ-INV-2, which has $50.00 open')).toBeVisible();
  await page.screenshot({ path: screenshotPath('corrections-reapply-refused') });
  await dialog.getByTestId('reapply-amount').fill('40.00');
  // The refusal was about the amount: once it changes, the message goes.
  await expect(dialog.getByText('would overpay CZ-INV-2')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('corrections-reapply-form') });
  await dialog.getByTestId('reapply-ok').click();
  await expect(dialog).toBeHidden();

  const account = await app.runtime.core.customers.account('CZ1001');
  expect(account.openInvoices.map((i) => [i.invoiceNumber, i.openCents])).toEqual([
    ['CZ-INV-1', 4_000],
    ['CZ-INV-2', 1_000],
    ['CZ-INV-3', 2_000],
  ]);
  await page.getByRole('tab', { name: /Corrections/ }).click();
  const rows = page.getByTestId('correction-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('CZ-INV-2');
  await expect(rows.first()).toContainText('$40.00');
  await expect(page.getByTestId('corrections-history')).toContainText('Reversal');
  await expect(page.getByTestId('corrections-history')).toContainText('Customer meant part of it for the October service');
  await page.screenshot({ path: screenshotPath('corrections-history') });
  // The notice of the move fades by itself; the screen under it is what is checked.
  await expect(page.getByText('Money moved')).toBeHidden({ timeout: 10_000 });
  await expectNoSeriousA11yViolations(page, 'corrections history');
});

test('refunds a chosen amount, refusing more than is refundable at the amount field', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/CZ1001`);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await page.getByRole('button', { name: /^Refund:/ }).click();
  const dialog = page.getByRole('dialog', { name: /Refund payment/ });
  const amount = dialog.getByTestId('refund-amount');
  await expect(dialog.getByText('Refundable: $130.00. Leave it for the whole amount, or type less.')).toBeVisible();
  await amount.fill('200.00');
  await dialog.getByLabel('Reason').fill('Customer overpaid by mistake');
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByText('A refund of $200.00 is more than the $130.00 captured and not yet refunded')).toBeVisible();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: screenshotPath('corrections-refund-refused') });

  await amount.fill('12.34');
  await expect(dialog.getByTestId('reversal-question')).toHaveText('Refund $12.34 to Visa ending 4242?');
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('$12.34 was returned to Visa ending 4242.');
  await page.screenshot({ path: screenshotPath('corrections-refund-done') });
  await dialog.getByTestId('reversal-close').click();

  const detail = await callChannel(app.runtime, 'payments.get', { paymentId });
  expect(detail).toMatchObject({ refundedCents: 1_234, unappliedCents: 1_766 });
  await expect(page.getByTestId('on-account-total')).toHaveText('$17.66');
});

test('writes off a small balance, refusing more than the office’s limit', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/CZ1001`);
  await page.getByRole('button', { name: 'Write off CZ-INV-3' }).click();
  const dialog = page.getByRole('dialog', { name: 'Write off invoice CZ-INV-3' });
  await expect(dialog.getByTestId('write-off-amount')).toHaveValue('20.00');
  await dialog.getByTestId('write-off-amount').fill('30.00');
  await dialog.getByTestId('write-off-reason').fill('Small balance not worth collecting');
  await dialog.getByTestId('write-off-ok').click();
  await expect(dialog.getByText("$30.00 is more than the office's write-off limit of $25.00")).toBeVisible();
  await page.screenshot({ path: screenshotPath('corrections-write-off-refused') });
  await dialog.getByTestId('write-off-amount').fill('20.00');
  await dialog.getByTestId('write-off-ok').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('open-invoice-row')).toHaveCount(2);
  await page.getByRole('tab', { name: /Corrections/ }).click();
  await expect(page.getByTestId('correction-row').first()).toContainText('Write-off');
  await expect(page.getByTestId('correction-row').first()).toContainText('$20.00');
  await page.screenshot({ path: screenshotPath('corrections-write-off') });
  const writeOffs = await app.runtime.ledger.db.selectFrom('write_offs').select(['amount_cents', 'reason', 'written_on']).execute();
  expect(writeOffs).toEqual([{ amount_cents: 2_000, reason: 'Small balance not worth collecting', written_on: AS_OF }]);
});

test('an invoice number in the corrections history opens the invoice', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/CZ1001`);
  await page.getByRole('tab', { name: /Corrections/ }).click();
  const writeOff = page.getByTestId('correction-row').filter({ hasText: 'Write-off' });
  await writeOff.getByRole('link', { name: 'CZ-INV-3' }).click();
  await expect(page).toHaveURL(/#\/invoices\/CZ-INV-3$/);
  await expect(page.getByTestId('invoice-total')).toHaveText('$20.00');
  await expect(page.getByTestId('invoice-balance')).toHaveText('$0.00');
  await page.screenshot({ path: screenshotPath('corrections-invoice-link') });

  // The invoice says it was written off, with the reason: not paid by a credit memo.
  const applied = page.getByTestId('invoice-application');
  await expect(applied).toHaveCount(1);
  await expect(applied.getByRole('cell').nth(1)).toHaveText('Write-off');
  await expect(applied).toContainText('Small balance not worth collecting');
  await expect(applied).not.toContainText('Credit');
  await expect(page.getByText('Paid, credited and written off')).toBeVisible();
  const history = page.getByTestId('invoice-history');
  await expect(history).toContainText('Written off $20.00: Small balance not worth collecting');
  await expect(history).not.toContainText('from credit');
  await history.evaluate((h) => h.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('corrections-invoice-written-off') });

  // The payments report's write-offs link to their invoices too.
  await page.goto(`${app.url}/#/reports/payments`);
  const writeOffs = page.getByTestId('payments-report-write-offs');
  await expect(writeOffs).toContainText('Small balance not worth collecting');
  await writeOffs.getByRole('link', { name: 'CZ-INV-3' }).click();
  await expect(page).toHaveURL(/#\/invoices\/CZ-INV-3$/);
  await expect(page.getByTestId('invoice-total')).toHaveText('$20.00');
});
