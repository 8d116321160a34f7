import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations, waitForNotificationsToClose } from './a11y';
import { addScenarioCustomer, startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/** Wherever an invoice is flagged Disputed, the clerk reads why without opening anything else. */
const REASON = 'Customer disputes the hours billed';
const CLERK = { username: 'pat.clerk', name: 'Pat Ortiz', password: 'counter clerk pass 2026' };
const SUPERVISOR = { username: 'sam.super', name: 'Sam Reyes', password: 'supervisor pass 2026 ok' };

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      const cli = { id: null, username: 'cli:e2e', name: null };
      // The first account must be an administrator: the harness's, made here before the others.
      await runtime.core.staff.users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...CLERK, role: 'clerk', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...SUPERVISOR, role: 'supervisor', mustChangePassword: false });
      await addScenarioCustomer(runtime, {
        customerNumber: 'DS0002',
        legalName: 'Cedar Hollow Veterinary',
        invoices: [
          { invoiceNumber: 'INV-DS2-1', issueDate: '2026-08-01', dueDate: '2026-08-31', cents: 15_000 },
          { invoiceNumber: 'INV-DS2-2', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 24_999 },
          { invoiceNumber: 'INV-DS2-3', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 8_000 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'DS0001',
        legalName: 'Larchmont Plumbing Supply',
        invoices: [
          { invoiceNumber: 'INV-DS1-1', issueDate: '2026-08-01', dueDate: '2026-08-31', cents: 10_000 },
          { invoiceNumber: 'INV-DS1-2', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 20_000, disputed: true },
        ],
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

test('the account’s open invoices give the dispute reason beside the Disputed badge', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/DS0001`);
  const row = page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS1-2' });
  await expect(row.getByText('Disputed', { exact: true })).toBeVisible();
  await expect(row.getByTestId('dispute-reason')).toHaveText(REASON);
  await expect(page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS1-1' }).getByTestId('disputed')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('account-dispute-reason') });
  await expectNoSeriousA11yViolations(page, 'account with a disputed invoice');
});

test('the payment screen gives the dispute reason beside the Disputed badge', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/DS0001/pay`);
  const row = page.getByTestId('pick-invoice-row').filter({ hasText: 'INV-DS1-2' });
  await expect(row.getByText('Disputed', { exact: true })).toBeVisible();
  await expect(row.getByTestId('dispute-reason')).toHaveText(REASON);
  await page.screenshot({ path: screenshotPath('payment-dispute-reason') });
});

test('the aging’s Disputed amount tells which invoice is disputed and why', async ({ page }) => {
  await page.goto(`${app.url}/#/aging`);
  await page.getByLabel('Filter customers').fill('DS0001');
  const row = page.getByTestId('aging-row').filter({ hasText: 'DS0001' });
  await expect(page.getByTestId('aging-row')).toHaveCount(1);
  const disputed = row.getByRole('cell').last().getByText('$200.00');
  await disputed.hover();
  const reasons = page.getByTestId('dispute-reasons');
  await expect(reasons).toContainText(`INV-DS1-2 ($200.00): ${REASON}`);
  await expect(reasons).not.toContainText('INV-DS1-1');
  await page.screenshot({ path: screenshotPath('aging-dispute-reason') });
  // The card stays open under the pointer: its invoice number opens the invoice.
  await reasons.getByRole('link', { name: 'INV-DS1-2' }).click();
  await expect(page).toHaveURL(/#\/invoices\/INV-DS1-2$/);
  await expect(page.getByTestId('invoice-total')).toBeVisible();
});

async function signIn(page: Page, who: { username: string; password: string; name: string }): Promise<void> {
  await page.goto(`${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in')).toContainText(who.name);
}

async function approveAsSupervisor(page: Page): Promise<void> {
  const approval = page.getByRole('dialog', { name: 'A supervisor must approve this' });
  await expect(approval).toBeVisible();
  await approval.getByLabel('Supervisor’s username').fill(SUPERVISOR.username);
  await approval.getByLabel('Supervisor’s password').fill(SUPERVISOR.password);
  await approval.getByLabel('Why it is approved').fill('Agreed with the customer by phone');
  await approval.getByTestId('approval-ok').click();
  await expect(approval).toHaveCount(0);
}

test('a clerk opens a dispute on two invoices from the keyboard; they show Disputed with the customer’s words', async ({ page }) => {
  await signIn(page, CLERK);
  await page.evaluate("window.location.hash = '/customers/DS0002'");
  await expect(page.getByTestId('account-name')).toHaveText('Cedar Hollow Veterinary');
  await expect(page.getByTestId('open-balance')).toHaveText('$479.99');
  await page.getByRole('tab', { name: /Disputes/ }).click();
  await expect(page.getByText('No disputes')).toBeVisible();
  await page.getByTestId('open-dispute').click();
  const dialog = page.getByRole('dialog', { name: 'Open a dispute for DS0002' });
  // Keyboard first: the first invoice has the focus; Space ticks, Tab moves on.
  await expect(dialog.getByLabel(/INV-DS2-1/)).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(dialog).toContainText('2 chosen, $399.99 open');
  // The customer's words are required, at their field.
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('Enter what the customer says')).toBeVisible();
  await dialog.getByLabel(/What the customer says/).fill('We cancelled the August visit; the September hours were never agreed.');
  await page.screenshot({ path: screenshotPath('dispute-open-modal') });
  await dialog.getByLabel(/What the customer says/).press('Enter');
  await expect(dialog).toHaveCount(0);

  const card = page.getByTestId('dispute');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Open');
  await expect(card).toContainText('INV-DS2-1 $150.00 open of $150.00');
  await expect(card).toContainText('INV-DS2-2 $249.99 open of $249.99');
  await expect(card).toContainText('$399.99 open in all');
  await expect(card.getByTestId('dispute-words')).toContainText('We cancelled the August visit; the September hours were never agreed.');
  await expect(card).toContainText(`Opened by ${CLERK.username}`);
  await expect(page.getByRole('tab', { name: /Disputes/ })).toContainText('1 open');

  await page.getByRole('tab', { name: /Open invoices/ }).click();
  for (const n of ['INV-DS2-1', 'INV-DS2-2']) {
    const row = page.getByTestId('open-invoice-row').filter({ hasText: n });
    await expect(row.getByTestId('dispute-reason')).toHaveText('We cancelled the August visit; the September hours were never agreed.');
  }
  await expect(page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS2-3' }).getByTestId('disputed')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('dispute-invoices-disputed') });
});

test('a clerk resolves it for the customer in part with a supervisor’s approval: the credit memo shows and the balance drops by it to the cent', async ({ page }) => {
  await signIn(page, CLERK);
  await page.evaluate("window.location.hash = '/customers/DS0002'");
  await expect(page.getByTestId('open-balance')).toHaveText('$479.99');
  await page.getByRole('tab', { name: /Disputes/ }).click();
  await page.getByTestId('resolve-dispute').click();
  const dialog = page.getByRole('dialog', { name: /Resolve dispute/ });
  await expect(dialog.getByLabel(/In the customer’s favour/)).toBeFocused();
  await page.keyboard.press('Space');
  const credit = dialog.getByTestId('dispute-credit');
  // The full open amount is offered.
  await expect(credit).toHaveValue('399.99');
  // More than the invoices owe: main says so at the field (after the supervisor approved).
  await credit.fill('400.00');
  await dialog.getByLabel('Reason').fill('The August visit was cancelled in time; half the September hours are credited');
  await credit.press('Enter');
  await approveAsSupervisor(page);
  await expect(dialog.getByText('Credit is more than the disputed invoices owe ($399.99)')).toBeVisible();
  await page.screenshot({ path: screenshotPath('dispute-resolve-modal') });
  await credit.fill('123.45');
  await credit.press('Enter');
  await approveAsSupervisor(page);
  await expect(dialog).toHaveCount(0);

  const card = page.getByTestId('dispute');
  await expect(card).toContainText('Resolved for the customer');
  await expect(card.getByTestId('dispute-credit-number')).toHaveText(/\S+/);
  await expect(card.getByTestId('dispute-credit-amount')).toHaveText('$123.45');
  await expect(card.getByTestId('dispute-resolution')).toContainText('The August visit was cancelled in time; half the September hours are credited');
  await expect(card.getByTestId('dispute-resolution')).toContainText('Resolved by');
  // Applied oldest due first: all $123.45 goes on INV-DS2-1.
  await expect(card).toContainText('INV-DS2-1 $26.55 open of $150.00');
  await expect(card).toContainText('INV-DS2-2 $249.99 open of $249.99');
  await expect(page.getByTestId('open-balance')).toHaveText('$356.54');
  await expect(page.getByRole('tab', { name: /Disputes/ })).not.toContainText('open');
  await page.screenshot({ path: screenshotPath('dispute-resolved-for-customer') });

  await page.getByRole('tab', { name: /Open invoices/ }).click();
  await expect(page.getByTestId('open-invoices').getByTestId('disputed')).toHaveCount(0);
});

test('a supervisor resolves another dispute against the customer: no credit, the balance stays, the invoice is no longer disputed', async ({ page }) => {
  await signIn(page, SUPERVISOR);
  await page.evaluate("window.location.hash = '/customers/DS0002'");
  await expect(page.getByTestId('open-balance')).toHaveText('$356.54');
  await page.getByRole('tab', { name: /Disputes/ }).click();
  await page.getByTestId('open-dispute').click();
  const open = page.getByRole('dialog', { name: 'Open a dispute for DS0002' });
  await open.getByLabel(/INV-DS2-3/).check();
  await open.getByLabel(/What the customer says/).fill('The October invoice was paid by check');
  await open.getByTestId('open-dispute-ok').click();
  await expect(open).toHaveCount(0);
  const cards = page.getByTestId('dispute');
  await expect(cards).toHaveCount(2);
  // Open first.
  await expect(cards.first()).toHaveAttribute('data-status', 'open');
  await expect(cards.first()).toContainText('INV-DS2-3 $80.00 open of $80.00');

  await cards.first().getByTestId('resolve-dispute').click();
  const dialog = page.getByRole('dialog', { name: /Resolve dispute/ });
  await dialog.getByLabel(/Against the customer/).check();
  await expect(dialog.getByTestId('dispute-credit')).toHaveCount(0);
  await dialog.getByLabel('Reason').fill('No check was received; the bank shows none');
  await dialog.getByLabel('Reason').press('Enter');
  await expect(dialog).toHaveCount(0);

  await expect(cards.filter({ hasText: 'INV-DS2-3' })).toContainText('Resolved against the customer');
  await expect(cards.filter({ hasText: 'INV-DS2-3' })).toContainText('No credit; the invoices returned to normal follow-up.');
  await expect(cards.filter({ hasText: 'INV-DS2-3' })).toContainText(`Resolved by ${SUPERVISOR.username}`);
  await expect(cards.filter({ hasText: 'INV-DS2-3' }).getByTestId('dispute-credit-number')).toHaveCount(0);
  await expect(page.getByTestId('open-balance')).toHaveText('$356.54');
  // The panel itself is checked: the passing confirmations are dismissed first.
  await waitForNotificationsToClose(page);
  await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)");
  await page.screenshot({ path: screenshotPath('dispute-resolved-against') });
  await expectNoSeriousA11yViolations(page, 'account disputes');
  await page.getByRole('tab', { name: /Open invoices/ }).click();
  await expect(page.getByTestId('open-invoice-row').filter({ hasText: 'INV-DS2-3' }).getByTestId('disputed')).toHaveCount(0);
});
