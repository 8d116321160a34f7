import { expect, test, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import { addScenarioCustomer, callChannel, NOW } from './seeded';
import { E2E_ADMIN, screenshotPath, startTestApp, type TestApp } from './server';

/**
 * Staff accounts in the window: the first administrator of an empty ledger, signing in, the lock
 * that keeps the screen underneath, a clerk's refund approved by a supervisor, and the audit log.
 */

const CLERK = { username: 'pat.clerk', name: 'Pat Ortiz', password: 'counter clerk pass 2026' };
const SUPERVISOR = { username: 'sam.super', name: 'Sam Reyes', password: 'supervisor pass 2026 ok' };

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

/** The page with the bridge's token but no session: the sign-in screen. */
function signedOutUrl(app: TestApp): string {
  return `${app.baseUrl}/#token=${encodeURIComponent(app.token)}&route=`;
}

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the first run asks only for the first administrator, with the password rule on the field', async ({ page }) => {
  const app = await startTestApp({ staff: false });
  try {
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await page.getByLabel('Username').fill('mokafor');
    await page.getByLabel('Full name').fill('Maria Okafor');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Password again').fill('short');
    await page.getByRole('button', { name: 'Create the administrator' }).click();
    await expect(page.locator('.mantine-InputWrapper-error').first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('staff-first-admin-policy') });
    const good = 'first admin password 2026';
    await page.getByLabel('Password', { exact: true }).fill(good);
    await page.getByLabel('Password again').fill(good);
    await page.getByRole('button', { name: 'Create the administrator' }).click();
    await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Maria Okafor · Administrator');
    await page.screenshot({ path: screenshotPath('staff-first-admin-done') });
  } finally {
    await app.close();
  }
});

test.describe('with staff', () => {
  const clock = fixedClock(NOW);
  let app: TestApp;
  let confirmation = '';

  test.beforeAll(async () => {
    app = await startTestApp({
      clock,
      prepare: async (runtime) => {
        const cli = { id: null, username: 'cli:e2e', name: null };
        // The first account must be an administrator: the harness's, made here before the others.
        await runtime.core.staff.users.create(cli, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
        await runtime.core.staff.users.create(cli, { ...CLERK, role: 'clerk', mustChangePassword: false });
        await runtime.core.staff.users.create(cli, { ...SUPERVISOR, role: 'supervisor', mustChangePassword: false });
        await addScenarioCustomer(runtime, {
          customerNumber: 'ST0001',
          legalName: 'Juniper Street Bakery',
          cardOnFile: true,
          invoices: [{ invoiceNumber: 'INV-ST1-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 31_500 }],
        });
        const card = (await callChannel(runtime, 'paymentMethods.list', { customerNumber: 'ST0001' })).methods[0]!.id;
        clock.set('2026-11-10T16:00:00Z');
        const paid = await callChannel(runtime, 'payments.submit', {
          customerNumber: 'ST0001',
          invoiceNumbers: 'all',
          creditNumbers: [],
          method: { type: 'saved', paymentMethodId: card },
          confirmedAmountCents: 31_500,
          idempotencyKey: 'e2e-staff-older-0001',
        });
        if (paid.status !== 'approved') throw new Error(`setup payment was ${paid.status}`);
        confirmation = paid.confirmationNumber;
        clock.set(NOW);
      },
    });
  });
  test.afterAll(async () => {
    await app.close();
  });

  test('signing in: a wrong password is refused with its message, the right one opens the app', async ({ page }) => {
    await page.goto(signedOutUrl(app));
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await signIn(page, { username: CLERK.username, password: 'not the password' });
    await expect(page.getByTestId('auth-problem')).toBeVisible();
    await page.screenshot({ path: screenshotPath('staff-sign-in-wrong') });
    await signIn(page, CLERK);
    await expect(page.getByTestId('signed-in')).toHaveText('Signed in: Pat Ortiz · Clerk');
    await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  });

  test('locking keeps the screen and what was typed; the password unlocks it', async ({ page }) => {
    await page.goto(app.url);
    await expect(page.getByTestId('signed-in')).toContainText(E2E_ADMIN.name);
    const search = page.getByRole('combobox', { name: /Customer number, name, phone/ });
    await search.fill('Juniper');
    await page.getByTestId('lock-now').click();
    const overlay = page.getByRole('dialog', { name: 'AR Desk is locked' });
    await expect(overlay).toBeVisible();
    await page.screenshot({ path: screenshotPath('staff-locked') });
    await overlay.getByRole('textbox', { name: 'Password' }).fill('wrong password here');
    await overlay.getByRole('button', { name: 'Unlock' }).click();
    await expect(overlay.getByTestId('unlock-problem')).toBeVisible();
    await overlay.getByRole('textbox', { name: 'Password' }).fill(E2E_ADMIN.password);
    await overlay.getByRole('button', { name: 'Unlock' }).click();
    await expect(overlay).toHaveCount(0);
    await expect(search).toHaveValue('Juniper');
  });

  test('a clerk’s refund approved by a supervisor; the audit log names both', async ({ page }) => {
    await page.goto(signedOutUrl(app));
    await signIn(page, CLERK);
    await expect(page.getByTestId('signed-in')).toContainText('Pat Ortiz');
    await page.evaluate("window.location.hash = '/customers/ST0001'");
    await expect(page.getByTestId('account-name')).toBeVisible();
    await page.getByRole('tab', { name: /Payment history/ }).click();
    const row = page.getByTestId('payment-row').filter({ hasText: confirmation });
    await row.getByRole('button', { name: `Refund: ${confirmation}` }).click();
    const dialog = page.getByRole('dialog', { name: `Refund payment ${confirmation}` });
    await dialog.getByLabel('Reason').fill('Customer paid twice');
    await dialog.getByTestId('reversal-ok').click();

    const approval = page.getByRole('dialog', { name: 'A supervisor must approve this' });
    await expect(approval).toBeVisible();
    await approval.getByLabel('Supervisor’s username').fill(SUPERVISOR.username);
    await approval.getByLabel('Supervisor’s password').fill('wrong one entirely');
    await approval.getByLabel('Why it is approved').fill('Duplicate payment confirmed');
    await approval.getByTestId('approval-ok').click();
    await expect(approval.getByTestId('approval-problem')).toContainText('not right');
    await page.screenshot({ path: screenshotPath('staff-approval-refused') });
    await approval.getByLabel('Supervisor’s password').fill(SUPERVISOR.password);
    await approval.getByTestId('approval-ok').click();
    await expect(dialog.getByTestId('reversal-outcome')).toContainText('Refund completed');
    await dialog.getByTestId('reversal-close').click();

    // The supervisor signs in and finds the refund in the audit log, naming both.
    await page.getByTestId('sign-out').click();
    await signIn(page, SUPERVISOR);
    await page.getByRole('link', { name: 'Audit log' }).click();
    // The refund itself is recorded by the payments service as payment.refund (payments.refund is the
    // channel, whose refused attempt without approval is recorded under that name).
    await page.getByLabel('Action').fill('payment.refund');
    await page.getByRole('button', { name: 'Show' }).click();
    const refundRow = page.getByTestId('audit-row').filter({ hasText: 'Sam Reyes' }).first();
    await expect(refundRow).toContainText('Pat Ortiz (pat.clerk)');
    await expect(refundRow).toContainText('Sam Reyes (sam.super)');
    await page.screenshot({ path: screenshotPath('staff-audit') });
  });
});

test('an idle window locks at its next action, and the password opens it where it was', async ({ page }) => {
  const clock = fixedClock(NOW);
  const app = await startTestApp({
    clock,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'ID0001',
        legalName: 'Juniper Street Bakery',
        invoices: [{ invoiceNumber: 'INV-ID1-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 12_000 }],
      });
    },
  });
  try {
    await page.goto(app.url);
    const search = page.getByRole('combobox', { name: /Customer number, name, phone/ });
    const results = page.getByTestId('lookup-result');
    await search.fill('Juniper');
    await expect(results.filter({ hasText: 'Juniper Street Bakery' })).toHaveCount(1);

    // The office's 15 idle minutes pass in main's clock without a call from this window.
    expect((await app.runtime.core.staff.users.policy()).idleLockMinutes).toBe(15);
    // Main refuses whichever call comes first: the search typed now, or a refresh the live
    // updates asked for meanwhile; either way the window locks and nothing is answered.
    const refused: string[] = [];
    page.on('response', (r) => {
      if (!r.url().includes('/ipc/')) return;
      void r
        .json()
        .then((body: { ok: boolean; error?: { code: string } }) => {
          if (!body.ok && body.error?.code === 'SESSION_EXPIRED') refused.push(r.url().split('/ipc/')[1]!);
        })
        .catch(() => undefined);
    });
    clock.advance(16 * 60_000);
    await search.fill('Juniper Street', { timeout: 15_000 });

    const overlay = page.getByRole('dialog', { name: 'AR Desk is locked' });
    await expect(overlay).toBeVisible();
    await expect(overlay).toContainText('The window locked after being idle.');
    await expect.poll(() => refused.length).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('staff-idle-locked') });
    await overlay.getByRole('textbox', { name: 'Password' }).fill(E2E_ADMIN.password, { timeout: 15_000 });
    await overlay.getByRole('button', { name: 'Unlock' }).click({ timeout: 15_000 });
    await expect(overlay).toHaveCount(0);
    // The search typed before the lock is still there, and what failed meanwhile was asked again.
    await expect(search).toHaveValue('Juniper Street');
    await expect(results.filter({ hasText: 'Juniper Street Bakery' })).toHaveCount(1);
    await page.screenshot({ path: screenshotPath('staff-idle-unlocked') });

    const locks = await app.runtime.ledger.db.selectFrom('audit_log').select(['action', 'summary']).where('action', 'in', ['auth.lock', 'auth.unlock']).orderBy('id').execute();
    expect(locks.map((r) => [r.action, r.action === 'auth.lock' ? JSON.parse(r.summary).reason : null])).toEqual([
      ['auth.lock', 'idle'],
      ['auth.unlock', null],
    ]);
  } finally {
    // The page goes first, so nothing it still asks for meets a closing bridge.
    await page.close();
    await app.close();
  }
});
