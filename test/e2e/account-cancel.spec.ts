import { expect, test, type Page } from '@playwright/test';
import { startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/**
 * Cancelling an account from its Subscriptions tab (a clerk, with a supervisor's approval), the
 * house rule "create invoices N days before the period", and the billing run's progress bar.
 */

const CLERK = { username: 'pat.clerk', name: 'Pat Ortiz', password: 'counter clerk pass 2026' };
const SUPERVISOR = { username: 'sam.super', name: 'Sam Reyes', password: 'supervisor pass 2026 ok' };

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      const cli = { id: null, username: 'cli:e2e', name: null };
      // The first account must be an administrator: the harness's, made here before the others.
      await runtime.core.staff.users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...CLERK, role: 'clerk', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...SUPERVISOR, role: 'supervisor', mustChangePassword: false });
      for (const [description, unitPriceCents] of [['Lawn care', 6200], ['Gutter cleaning', 3000]] as const) {
        await runtime.core.subscriptions.create(
          { customerNumber: 'CL1042', period: 'monthly', startDate: '2026-11-01', anchorDay: 1, lines: [{ description, unitPriceCents, quantity: 1, taxable: false }] },
          'cli',
        );
      }
      await runtime.core.billing.run({ asOf: '2026-11-01', dryRun: false }, 'cli');
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in')).toContainText(who === CLERK ? CLERK.name : '');
}

test('a clerk cancels an account at once with a supervisor’s approval: Cancelled with its date and reason, and a credit for the unused days', async ({ page }) => {
  await signIn(page, CLERK);
  await page.evaluate("window.location.hash = '/customers/CL1042'");
  await expect(page.getByTestId('account-name')).toBeVisible();
  await page.getByRole('tab', { name: 'Subscriptions' }).click();
  await expect(page.getByTestId('subscriptions')).toContainText('Gutter cleaning');
  await page.getByTestId('cancel-account').click();
  const dialog = page.getByRole('dialog', { name: 'Cancel account CL1042' });
  await expect(dialog).toContainText('Its 2 subscriptions are cancelled the same way.');
  await dialog.getByLabel('Immediately: a credit memo for the unused days already billed').check();
  await dialog.getByLabel('First day not used').fill('2026-11-21');
  // The reason is required, at its field.
  await dialog.getByRole('button', { name: 'Cancel account' }).click();
  await expect(dialog.getByText('Enter why the account is cancelled; it is kept with it')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Sold the property');
  await page.screenshot({ path: screenshotPath('account-cancel') });
  await dialog.getByRole('button', { name: 'Cancel account' }).click();

  const approval = page.getByRole('dialog', { name: 'A supervisor must approve this' });
  await expect(approval).toBeVisible();
  await approval.getByLabel('Supervisor’s username').fill(SUPERVISOR.username);
  await approval.getByLabel('Supervisor’s password').fill(SUPERVISOR.password);
  await approval.getByLabel('Why it is approved').fill('Closing confirmed by phone');
  await approval.getByTestId('approval-ok').click();

  // Nov 21-30 is 10 of 30 days: $62.00 × 10/30 = $20.666… → $20.67, and $30.00 × 10/30 = $10.00.
  await expect(page.getByText(/Not billed from 11\/21\/2026\. Credit CR-\d+, CR-\d+ of \$30\.67 for the unused days\./)).toBeVisible();
  const header = page.getByTestId('account-cancelled');
  await expect(header).toContainText('Cancelled immediately: not billed from 11/21/2026. Reason: Sold the property');
  await expect(header).toContainText(CLERK.username);
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(page.getByTestId('cancel-account')).toHaveCount(0);
  await expect(page.getByTestId('subscriptions')).not.toContainText('active');
  await page.getByRole('tab', { name: /Credits/ }).click();
  await expect(page.getByTestId('credits')).toContainText('$20.67');
  await expect(page.getByTestId('credits')).toContainText('$10.00');
  await page.screenshot({ path: screenshotPath('account-cancelled'), fullPage: true });

  const row = await app.runtime.ledger.db.selectFrom('customers').select(['status', 'cancelled_on', 'cancel_reason', 'cancelled_by']).where('customer_number', '=', 'CL1042').executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'cancelled', cancelled_on: '2026-11-21', cancel_reason: 'Sold the property', cancelled_by: CLERK.username });
  const audit = await app.runtime.ledger.db.selectFrom('audit_log').select(['actor', 'approved_by']).where('action', '=', 'customer.cancel').execute();
  expect(audit).toEqual([{ actor: CLERK.username, approved_by: SUPERVISOR.username }]);
});

test('an administrator sets "create invoices N days before the period": 31 is refused at the field, 5 is saved and the Billing run screen says so', async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const rules = page.getByRole('region', { name: 'House rules' });
  const lead = rules.getByRole('textbox', { name: 'Create invoices ahead (days)' });
  await expect(lead).toHaveValue('0');
  await lead.fill('31');
  await rules.getByRole('button', { name: 'Save house rules' }).click();
  await expect(rules.getByText('must be from 0 to 30 days (you typed 31)')).toBeVisible();
  await lead.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('house-rules-lead-days-refused') });
  expect(app.runtime.core.settings.get().settings.policy.billingLeadDays).toBe(0);
  await lead.fill('5');
  await rules.getByRole('button', { name: 'Save house rules' }).click();
  await expect(page.getByText('House rules saved')).toBeVisible();
  expect(app.runtime.core.settings.get().settings.policy.billingLeadDays).toBe(5);
  const audit = await app.runtime.ledger.db.selectFrom('audit_log').select('summary').where('action', '=', 'settings.updateOffice').orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(JSON.parse(audit.summary).changes).toEqual({ 'policy.billingLeadDays': { from: 0, to: 5 } });

  await page.goto(`${app.url}/#/billing`);
  await expect(page.getByRole('heading', { name: 'Billing run' })).toBeVisible();
  await expect(page.getByTestId('billing-lead-days')).toContainText('The house rules create invoices 5 days before each period');
  await app.runtime.core.settings.updateOffice({ policy: { billingLeadDays: '0' } }, 'cli');
});

test('the Billing run screen shows a progress bar while a run is going, and takes it away when the run ends', async ({ page }) => {
  // A long run at another workstation, a batch at a time: 120 of its 400 invoices written so far.
  const run = await app.runtime.ledger.db
    .insertInto('billing_runs')
    .values({ as_of: '2026-11-20', started_at: '2026-11-20T14:59:00.000Z', lease_until: '2026-11-20T15:09:00.000Z', actor: 'billing-schedule', workstation: 'front-desk-2', progress_done: 120, progress_total: 400 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await page.goto(`${app.url}/#/billing`);
  const progress = page.getByTestId('billing-progress');
  await expect(progress).toContainText('Billing run as of 11/20/2026 going at front-desk-2: 120 of 400 invoices made.');
  await expect(progress.getByRole('progressbar', { name: 'Billing run progress' })).toHaveAttribute('aria-valuenow', '30');
  await expect(page.getByTestId('billing-run')).toBeDisabled();
  await expect(page.getByTestId('billing-runs')).toContainText('120 of 400');
  await page.screenshot({ path: screenshotPath('billing-run-progress') });
  // The screen asks again while the run goes on.
  await app.runtime.ledger.db.updateTable('billing_runs').set({ progress_done: 300 }).where('id', '=', run.id).execute();
  await expect(progress).toContainText('300 of 400 invoices made.');
  await expect(progress.getByRole('progressbar', { name: 'Billing run progress' })).toHaveAttribute('aria-valuenow', '75');
  await app.runtime.ledger.db
    .updateTable('billing_runs')
    .set({ status: 'finished', finished_at: '2026-11-20T15:00:00.000Z', progress_done: 400, invoices_created: 400 })
    .where('id', '=', run.id)
    .execute();
  await expect(progress).toBeHidden();
  await expect(page.getByTestId('billing-runs')).toContainText('400');
  await expect(page.getByTestId('billing-runs')).toContainText('front-desk-2');
});
