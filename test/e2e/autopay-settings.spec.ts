import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, startSeededApp } from './seeded';
import { E2E_ADMIN, screenshotPath, type TestApp } from './server';

/**
 * The office's autopay rules and its autopay emails on the Settings screen, and the account's
 * past-due follow-up marks: an administrator changes them; a clerk reads the rules and asks a
 * supervisor to approve a change to the account's marks.
 */

const CLERK = { username: 'pat.clerk', name: 'Pat Ortiz', password: 'counter clerk pass 2026' };
const SUPERVISOR = { username: 'sam.super', name: 'Sam Reyes', password: 'floor supervisor pass 2026' };

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      const cli = { id: null, username: 'cli:e2e', name: null };
      await runtime.core.staff.users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...CLERK, role: 'clerk', mustChangePassword: false });
      await runtime.core.staff.users.create(cli, { ...SUPERVISOR, role: 'supervisor', mustChangePassword: false });
      await addScenarioCustomer(runtime, {
        customerNumber: 'FU0001',
        legalName: 'Hawthorne Veterinary Clinic',
        invoices: [{ invoiceNumber: 'INV-FU-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 48_000 }],
      });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  // Five saves and an accessibility check of the whole Settings screen: more than the default minute on a busy machine.
  test.setTimeout(150_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const lastSettingsAudit = () =>
  app.runtime.ledger.db.selectFrom('audit_log').select(['actor', 'action', 'summary']).where('entity', '=', 'settings').orderBy('id', 'desc').executeTakeFirstOrThrow();

test("an administrator sets autopay's charge day and retry days; main's refusals land on the field", async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const section = page.getByRole('region', { name: 'Autopay', exact: true });
  await section.scrollIntoViewIfNeeded();
  const retry = section.getByRole('textbox', { name: 'Retry a declined charge' });
  await expect(section.getByRole('radio', { name: 'On its due date' })).toBeChecked();
  await expect(retry).toHaveValue('1, 9, 13, 20');
  const save = section.getByRole('button', { name: 'Save autopay' });

  for (const [typed, said] of [
    ['1, 9, 9', 'list the days in ascending order, each once (e.g. 1, 9, 13, 20)'],
    ['1, soon', '"soon" is not a whole number of days from 1 to 60'],
    ['0, 5', '"0" is not a whole number of days from 1 to 60'],
    ['-3', '"-3" is not a whole number of days from 1 to 60'],
    ['1, 2, 3, 4, 5, 6, 7, 8, 9', 'at most 8 retries'],
  ] as const) {
    await retry.fill(typed);
    await save.click();
    // Main's words, under the field (the label put in front of a message that starts with the typed text).
    await expect(page.locator(`#${await retry.getAttribute('id')}-error`)).toContainText(said, { ignoreCase: true });
  }
  await expect(retry).toHaveAttribute('aria-invalid', 'true');
  await section.screenshot({ path: screenshotPath('autopay-settings-refused') });
  expect(app.runtime.core.settings.get().settings.policy.autopayRetryDays).toEqual([1, 9, 13, 20]);

  await retry.fill('2, 5, 10');
  await section.getByRole('radio', { name: 'On its invoice date' }).check();
  await save.click();
  await expect(page.getByText('Autopay saved')).toBeVisible();
  await expect(retry).toHaveValue('2, 5, 10');
  await expect(retry).not.toHaveAttribute('aria-invalid', 'true');
  expect(app.runtime.core.settings.get().settings.policy).toMatchObject({ autopayChargeOn: 'invoice_date', autopayRetryDays: [2, 5, 10] });
  const audit = await lastSettingsAudit();
  expect(audit.actor).toBe(E2E_ADMIN.username);
  expect(JSON.parse(audit.summary).changes).toEqual({
    'policy.autopayChargeOn': { from: 'due_date', to: 'invoice_date' },
    'policy.autopayRetryDays': { from: [1, 9, 13, 20], to: [2, 5, 10] },
  });
  await expect(section).toContainText(`Last saved by ${E2E_ADMIN.username}.`);
  await section.screenshot({ path: screenshotPath('autopay-settings-saved') });
  await expectNoSeriousA11yViolations(page, 'settings, autopay');
});

test('an administrator edits the autopay declined and card expiring emails with the other templates', async ({ page }) => {
  await page.goto(`${app.url}/#/settings`);
  const section = page.getByRole('region', { name: 'Email templates' });
  const declineSubject = section.getByRole('textbox', { name: 'Autopay declined subject' });
  await declineSubject.scrollIntoViewIfNeeded();
  await expect(declineSubject).toHaveValue('Your automatic payment to {companyName} did not go through');
  await expect(section.getByRole('textbox', { name: 'Card expiring subject' })).toHaveValue('Your card on file with {companyName} expires next month');
  await expect(section.getByRole('list', { name: 'Placeholders you can use' }).nth(5)).toContainText('{nextTry}');

  await declineSubject.fill('{companyName}: your automatic payment was declined');
  await section.getByRole('button', { name: 'Save templates' }).click();
  await expect(page.getByText('Email templates saved')).toBeVisible();
  expect(app.runtime.core.settings.get().settings.email.templates.autopayDeclineSubject).toBe('{companyName}: your automatic payment was declined');
  expect(JSON.parse((await lastSettingsAudit()).summary).changes).toHaveProperty(['email.templates.autopayDeclineSubject']);
  // The two new templates, side by side at the foot of the section, with the notice out of the way.
  await page.getByRole('button', { name: 'Close message' }).click();
  await expect(page.getByText('Email templates saved')).toHaveCount(0);
  await page.setViewportSize({ width: 1366, height: 1000 });
  // Just below the app's top bar, so the headings of the two templates show.
  await section.getByRole('heading', { name: 'Autopay declined' }).evaluate((h) => {
    h.scrollIntoView({ block: 'start' });
    const scroller = h.ownerDocument.scrollingElement;
    if (scroller) scroller.scrollTop -= 80;
  });
  await page.screenshot({ path: screenshotPath('autopay-email-templates') });
});

test('an administrator assigns a past-due account for collections and stops its follow-up from the account', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/FU0001`);
  const panel = page.getByTestId('follow-up-panel');
  await expect(panel.getByTestId('follow-up-assigned')).toHaveText('Nobody');
  await expect(panel.getByTestId('follow-up-flag')).toHaveText('By the billing run, level by level');

  await panel.getByRole('button', { name: 'Assign…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign FU0001 for collections' });
  await dialog.getByLabel("Clerk's username").fill('no.such.person');
  await dialog.getByRole('button', { name: 'Save assignment' }).click();
  await expect(dialog.getByText("Clerk's username is not an active staff member")).toBeVisible();
  await dialog.getByLabel("Clerk's username").fill(CLERK.username);
  await dialog.getByRole('button', { name: 'Save assignment' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(panel.getByTestId('follow-up-assigned')).toHaveText(CLERK.username);

  await panel.getByRole('button', { name: 'Stop follow-up' }).click();
  await expect(page.getByText('Follow-up stopped')).toBeVisible();
  await expect(panel.getByTestId('follow-up-flag')).toHaveText('No follow-up');
  await expect(panel.getByRole('button', { name: 'Resume follow-up' })).toBeVisible();
  const worklist = await app.runtime.core.collections.worklist({});
  expect(worklist.rows.find((r) => r.customerNumber === 'FU0001')).toMatchObject({ assignedTo: CLERK.username, noFollowUp: true });
  // The notices closed, so the screenshot shows the account's header whole.
  const closeNotice = page.getByRole('button', { name: 'Close message' });
  await expect(closeNotice).toHaveCount(2);
  await closeNotice.first().click();
  await expect(closeNotice).toHaveCount(1);
  await closeNotice.first().click();
  await expect(closeNotice).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('account-follow-up-set') });
  await expectNoSeriousA11yViolations(page, 'account, follow-up');
});

test("a clerk reads the autopay rules, and resumes an account's follow-up with a supervisor's approval", async ({ page }) => {
  await signIn(page, CLERK);
  await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Pat Ortiz · Clerk');
  await page.getByRole('link', { name: 'Settings' }).click();
  const rules = page.getByRole('region', { name: 'Autopay', exact: true });
  await rules.scrollIntoViewIfNeeded();
  await expect(rules.getByText('Read only')).toBeVisible();
  await expect(rules.getByTestId('autopay-rules')).toContainText('On the invoice date, as soon as the invoice is created.');
  await expect(rules.getByTestId('autopay-rules')).toContainText('2, 5, 10 days after the first decline (3 retries).');
  await expect(rules.getByRole('button', { name: 'Save autopay' })).toHaveCount(0);
  await rules.screenshot({ path: screenshotPath('autopay-settings-clerk') });

  await page.goto(`${app.baseUrl}/#/customers/FU0001`);
  const panel = page.getByTestId('follow-up-panel');
  await expect(panel.getByTestId('follow-up-assigned')).toHaveText(CLERK.username);
  await panel.getByRole('button', { name: 'Resume follow-up' }).click();
  const approval = page.getByTestId('approval-dialog');
  await expect(approval).toContainText('Resuming follow-up needs a supervisor.');
  await approval.getByLabel('Supervisor’s username').fill(SUPERVISOR.username);
  await approval.getByLabel('Supervisor’s password').fill(SUPERVISOR.password);
  await approval.getByLabel('Why it is approved').fill('Customer asked to be reminded again');
  await page.screenshot({ path: screenshotPath('account-follow-up-approval') });
  await approval.getByTestId('approval-ok').click();
  await expect(approval).toHaveCount(0);
  await expect(panel.getByTestId('follow-up-flag')).toHaveText('By the billing run, level by level');
  const row = await app.runtime.ledger.db
    .selectFrom('audit_log')
    .select(['actor', 'approved_by', 'action'])
    .where('action', '=', 'collections.noFollowUp')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ actor: CLERK.username, approved_by: SUPERVISOR.username, action: 'collections.noFollowUp' });
});
