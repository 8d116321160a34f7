import { expect, test, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, AS_OF, callChannel, NOW, startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/**
 * A card that declines its first charge: the daily run on the due date is declined, the customer
 * is told and the account names the next try; the run on that day charges it and sends the receipt.
 */

const RETRY_DAY = '2026-11-21';
const clock = fixedClock(NOW);
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    clock,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'RT0001',
        legalName: 'Riverbend Florist',
        email: 'accounts@riverbend.example',
        invoices: [{ invoiceNumber: 'INV-RT-1', issueDate: '2026-10-21', dueDate: AS_OF, cents: 12_345 }],
      });
      // The test gateway's card that declines its first charge and is approved after.
      await callChannel(runtime, 'paymentMethods.add', {
        customerNumber: 'RT0001',
        method: { type: 'card', cardNumber: '4000000000003063', expMonth: 12, expYear: 2028, cvc: '123', nameOnCard: 'Riverbend Florist', postalCode: '97201' },
        makeDefault: true,
      });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function openAutopay(page: Page): Promise<void> {
  await page.goto(`${app.url}/#/customers/RT0001`);
  await page.getByRole('tab', { name: /Payment methods/ }).click();
  await expect(page.getByTestId('autopay-panel')).toBeVisible();
}

async function outboxSubjects(): Promise<{ to: string; subject: string; body: string }[]> {
  const outbox = await callChannel(app.runtime, 'documents.outbox', { status: 'all', limit: 200 });
  return outbox.messages.filter((m) => m.to === 'accounts@riverbend.example');
}

test('a declined autopay charge is told to the customer with its next try, and the retry that day charges the invoice and sends the receipt', async ({ page }) => {
  // Two runs and five visits to the account: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  // Tall enough that the charges table sits above the status bar in the screenshots.
  await page.setViewportSize({ width: 1366, height: 1000 });
  await openAutopay(page);
  const panel = page.getByTestId('autopay-panel');
  await panel.getByTestId('autopay-on').click();
  await expect(panel.getByTestId('autopay-status')).toHaveText('On');
  await expect(panel.getByTestId('autopay-method')).toContainText('Visa ending 3063');

  // The daily run on the due date (as the schedule runs it): declined, the next try tomorrow.
  const first = await callChannel(app.runtime, 'billing.run', { asOf: AS_OF });
  expect(first.autopay.declined).toEqual([expect.objectContaining({ customerNumber: 'RT0001', invoiceNumbers: ['INV-RT-1'], hard: false, nextRetryDate: RETRY_DAY })]);
  await openAutopay(page);
  const attempts = page.getByTestId('autopay-attempt');
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toHaveAttribute('data-outcome', 'declined');
  await expect(attempts.first()).toContainText('Declined');
  await expect(attempts.first()).toContainText('INV-RT-1');
  await expect(attempts.first()).toContainText('$123.45');
  await expect(attempts.first()).toContainText('11/21/2026');
  await expect(page.getByTestId('open-balance')).toHaveText('$123.45');
  await page.screenshot({ path: screenshotPath('autopay-retry-declined') });
  await expectNoSeriousA11yViolations(page, 'account, autopay declined');

  const told = (await outboxSubjects()).filter((m) => /did not go through/.test(m.subject));
  expect(told).toHaveLength(1);
  expect(told[0]!.body).toContain('$123.45');
  expect(told[0]!.body).toMatch(/11\/21\/2026/);

  // The Documents screen's outbox holds it, waiting for the mail server.
  await page.getByRole('link', { name: 'Documents', exact: true }).click();
  await page.getByRole('tab', { name: 'Outbox' }).click();
  const declineRow = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: 'did not go through' });
  await expect(declineRow).toContainText('accounts@riverbend.example');
  await declineRow.evaluate((row) => row.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('autopay-retry-outbox-declined') });

  // The next day's run: the retry is approved, the invoice paid, the receipt queued.
  clock.set(`${RETRY_DAY}T15:00:00Z`);
  const retry = await callChannel(app.runtime, 'billing.run', { asOf: RETRY_DAY });
  expect(retry.autopay.charged).toEqual([expect.objectContaining({ customerNumber: 'RT0001', invoiceNumbers: ['INV-RT-1'], amountCents: 12_345, attemptNumber: 2 })]);
  const confirmation = retry.autopay.charged[0]!.confirmationNumber!;
  expect(confirmation).toBeTruthy();

  // A day later the window has locked itself for idleness: the clerk unlocks it with the password.
  await page.goto(`${app.url}/#/customers/RT0001`);
  const overlay = page.getByRole('dialog', { name: 'AR Desk is locked' });
  await overlay.getByRole('textbox', { name: 'Password' }).fill(E2E_ADMIN.password);
  await overlay.getByRole('button', { name: 'Unlock' }).click();
  await expect(overlay).toHaveCount(0);
  await page.getByRole('tab', { name: /Payment methods/ }).click();
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toHaveAttribute('data-outcome', 'approved');
  await expect(attempts.nth(0)).toContainText('Charged');
  await expect(attempts.nth(0).getByTestId('autopay-confirmation')).toHaveText(`Confirmation ${confirmation}`);
  await expect(attempts.nth(0)).toContainText('11/21/2026');
  await expect(attempts.nth(1)).toHaveAttribute('data-outcome', 'declined');
  await expect(page.getByTestId('open-balance')).toHaveText('$0.00');
  await page.screenshot({ path: screenshotPath('autopay-retry-charged') });

  await page.getByRole('tab', { name: /Open invoices/ }).click();
  await expect(page.getByTestId('open-invoice-row')).toHaveCount(0);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await expect(page.getByRole('tabpanel')).toContainText(confirmation);
  await page.screenshot({ path: screenshotPath('autopay-retry-payment-history') });

  // The receipt is autopay's own email (template autopayReceipt*), once.
  const receipts = (await outboxSubjects()).filter((m) => m.subject.includes(confirmation));
  expect(receipts).toHaveLength(1);
  expect(receipts[0]!.subject).toMatch(new RegExp(`^Receipt ${confirmation}: your automatic payment to \\S`));
});
