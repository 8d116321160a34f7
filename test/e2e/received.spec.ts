import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** Money received outside the gateway, recorded from the payment screen, and the deposit that takes it to the bank. */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0001',
        legalName: 'Tamarack Family Dentistry',
        invoices: [
          { invoiceNumber: 'INV-RC1-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 15_000 },
          { invoiceNumber: 'INV-RC1-2', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 23_550 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0002',
        legalName: 'Umber Lane Opticians',
        invoices: [{ invoiceNumber: 'INV-RC2-1', issueDate: '2026-10-03', dueDate: '2026-11-02', cents: 61_275 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0003',
        legalName: 'Vireo Pediatric Therapy',
        invoices: [{ invoiceNumber: 'INV-RC3-1', issueDate: '2026-10-07', dueDate: '2026-11-06', cents: 4_810 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0004',
        legalName: 'Wren Hollow Veterinary',
        invoices: [{ invoiceNumber: 'INV-RC4-1', issueDate: '2026-10-09', dueDate: '2026-11-08', cents: 12_675 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0006',
        legalName: 'Wren Street Physiotherapy',
        invoices: [{ invoiceNumber: 'INV-RC6-1', issueDate: '2026-10-09', dueDate: '2026-11-08', cents: 25_000 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RC0005',
        legalName: 'Xeric Garden Supply',
        invoices: [
          { invoiceNumber: 'INV-RC5-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 12_000 },
          { invoiceNumber: 'INV-RC5-2', issueDate: '2026-11-01', dueDate: '2026-12-01', cents: 12_000 },
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

const invoiceBox = (page: Page, invoiceNumber: string) => page.getByRole('checkbox', { name: `Pay invoice ${invoiceNumber}` });

test('records a mailed check from the Take payment screen: its number is required at the field, and the confirmation follows', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/RC0001/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
  await invoiceBox(page, 'INV-RC1-1').check();
  await invoiceBox(page, 'INV-RC1-2').check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$385.50');
  await page.getByRole('radio', { name: 'Check' }).check();
  await expect(page.getByLabel('Date received')).toHaveValue('2026-11-20');

  await page.getByTestId('submit').click();
  await expect(page.getByText('Check number is required for a check')).toBeVisible();
  await expect(page.getByText('Bank is required for a check: the bank it is drawn on')).toBeVisible();
  await expect(page.getByTestId('confirm-question')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('received-check-field-errors') });

  await page.getByLabel('Check number').fill('4417');
  await page.getByRole('textbox', { name: /^Bank/ }).fill('Columbia Bank');
  await page.getByLabel('Date received').fill('2026-11-18');
  await expect(page.getByText('Paying with:')).toContainText('Check 4417 (Columbia Bank)');
  await page.screenshot({ path: screenshotPath('received-check-form') });
  await expectNoSeriousA11yViolations(page, 'check form');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('confirm-question')).toHaveText('Record Check 4417 (Columbia Bank) for $385.50?');
  await page.getByTestId('confirm-ok').click();

  const confirmation = page.getByTestId('confirmation-number');
  await expect(confirmation).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByTestId('approved-amount')).toHaveText('$385.50');
  await expect(page.getByText('Amount received')).toBeVisible();
  await expect(page.getByTestId('approved-applied')).toContainText('INV-RC1-1');
  await expect(page.getByTestId('approved-applied')).toContainText('INV-RC1-2');
  await expect(page.getByTestId('balance-after')).toHaveText('$0.00');
  await page.screenshot({ path: screenshotPath('received-check-approved') });

  const [p] = (await callChannel(app.runtime, 'payments.list', { customerNumber: 'RC0001' })).payments;
  expect(p).toMatchObject({ kind: 'check', status: 'captured', amountCents: 38_550, receivedOn: '2026-11-18', methodLabel: 'Check 4417 (Columbia Bank)' });
  expect(p!.confirmationNumber).toBe(await confirmation.textContent());

  await page.getByTestId('back-to-account').click();
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await expect(page.getByTestId('payment-row').filter({ hasText: p!.confirmationNumber! })).toContainText('Check 4417 (Columbia Bank)');
  await page.screenshot({ path: screenshotPath('received-check-history') });

  // The Payments screen lists the check with the card payments and finds it by its number.
  await page.goto(`${app.url}/#/payments`);
  const rows = page.getByTestId('recent-payments').getByTestId('recent-payment-row');
  await expect(rows.filter({ hasText: p!.confirmationNumber! })).toContainText('Check 4417 (Columbia Bank)');
  await page.getByRole('textbox', { name: 'Check number' }).fill('04417');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Payments found' })).toBeVisible();
  await expect(page.getByTestId('payments-page-info')).toHaveText('1–1 of 1 payment');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(p!.confirmationNumber!);
  await expect(rows.first()).toContainText('$385.50');
  await page.screenshot({ path: screenshotPath('payments-search-check-number') });

});

test('builds a deposit of two checks and cash, closes it, and prints its slip', async ({ page }) => {
  await callChannel(app.runtime, 'payments.recordReceived', {
    customerNumber: 'RC0002',
    invoiceNumbers: ['INV-RC2-1'],
    creditNumbers: [],
    method: 'check',
    amountCents: 61_275,
    checkNumber: '10093',
    checkBank: 'Umpqua Bank',
    idempotencyKey: 'e2e-deposit-check-rc2',
  });
  await callChannel(app.runtime, 'payments.recordReceived', {
    customerNumber: 'RC0003',
    invoiceNumbers: ['INV-RC3-1'],
    creditNumbers: [],
    method: 'cash',
    amountCents: 4_810,
    idempotencyKey: 'e2e-deposit-cash-rc3',
  });
  const waiting = (await callChannel(app.runtime, 'deposits.undeposited', {})).items;
  const total = waiting.reduce((s, i) => s + i.amountCents, 0);
  expect(waiting.filter((i) => i.kind === 'check').length).toBeGreaterThanOrEqual(2);

  await page.goto(`${app.url}/#/deposits`);
  await expect(page.getByRole('heading', { name: 'Deposits', exact: true })).toBeVisible();
  await expect(page.getByTestId('undeposited-item')).toHaveCount(waiting.length);
  await expect(page.getByTestId('undeposited')).toContainText('10093');
  await expect(page.getByTestId('undeposited')).toContainText('Umber Lane Opticians');
  await page.getByTestId('deposit-open').click();

  const panel = page.getByTestId('deposit-panel');
  await expect(panel.getByTestId('deposit-status')).toHaveText('Open');
  await expect(panel.getByTestId('deposit-item')).toHaveCount(waiting.length);
  await expect(panel.getByTestId('deposit-totals')).toContainText(`${waiting.length} items`);
  const money = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  await expect(panel.getByTestId('deposit-totals')).toContainText(money(total));
  await expect(panel.getByTestId('deposit-totals')).toContainText('$48.10');
  await page.screenshot({ path: screenshotPath('deposit-open') });
  await expectNoSeriousA11yViolations(page, 'open deposit');

  await panel.getByTestId('deposit-close').click();
  await page.getByTestId('deposit-close-ok').click();
  await expect(panel.getByTestId('deposit-status')).toHaveText('Closed');
  await expect(panel.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await expect(page.getByTestId('undeposited-item')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await panel.getByTestId('deposit-slip').click();
  const file = await (await download).path();
  const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
  expect(text).toContain('DEPOSIT SLIP');
  expect(text).toContain('10093 Umpqua Bank Umber Lane Opticians (RC0002)');
  expect(text).toContain('4417 Columbia Bank Tamarack Family Dentistry (RC0001)');
  expect(text).toMatch(/Cash 1 \$48\.10/);
  expect(text).toContain(`Total deposit ${waiting.length} items ${money(total)}`);
  fs.copyFileSync(file, screenshotPath('deposit-slip').replace(/\.png$/, '.pdf'));
  await page.screenshot({ path: screenshotPath('deposit-closed') });
});

test('refuses a check back-dated into a closed day on the Date received field, records nothing, and takes it on an open day', async ({ page }) => {
  await callChannel(app.runtime, 'reports.closeDay', { businessDate: '2026-11-17' });
  await page.goto(`${app.url}/#/customers/RC0004/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
  await invoiceBox(page, 'INV-RC4-1').check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$126.75');
  await page.getByRole('radio', { name: 'Check' }).check();
  await page.getByLabel('Check number').fill('2208');
  await page.getByRole('textbox', { name: /^Bank/ }).fill('Rogue Credit Union');
  await page.getByLabel('Date received').fill('2026-11-16');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('confirm-question')).toHaveText('Record Check 2208 (Rogue Credit Union) for $126.75?');
  await page.getByTestId('confirm-ok').click();

  await expect(page.getByText('The day 2026-11-16 is closed; record it on an open day')).toBeVisible();
  await expect(page.getByLabel('Date received')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Some details need correcting; see the messages under the fields.')).toBeVisible();
  await expect(page.getByTestId('confirmation-number')).toHaveCount(0);
  await page.getByLabel('Date received').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('received-check-closed-day') });
  expect((await callChannel(app.runtime, 'payments.list', { customerNumber: 'RC0004' })).payments).toEqual([]);

  await page.getByLabel('Date received').fill('2026-11-18');
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirmation-number')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const [p] = (await callChannel(app.runtime, 'payments.list', { customerNumber: 'RC0004' })).payments;
  expect(p).toMatchObject({ kind: 'check', status: 'captured', amountCents: 12_675, receivedOn: '2026-11-18' });
});

test('refunds part of a check, paid back by our check: its number is required at the field, and the refund shows in the history', async ({ page }) => {
  await callChannel(app.runtime, 'payments.recordReceived', {
    customerNumber: 'RC0006',
    invoiceNumbers: ['INV-RC6-1'],
    creditNumbers: [],
    method: 'check',
    amountCents: 25_000,
    checkNumber: '5120',
    checkBank: 'Banner Bank',
    idempotencyKey: 'e2e-refund-check-rc4',
  });
  const [paid] = (await callChannel(app.runtime, 'payments.list', { customerNumber: 'RC0006' })).payments;
  await page.goto(`${app.url}/#/customers/RC0006`);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await page.getByRole('button', { name: /^Refund:/ }).click();
  const dialog = page.getByRole('dialog', { name: /Refund payment/ });
  await expect(dialog.getByText('Refundable: $250.00. Leave it for the whole amount, or type less.')).toBeVisible();
  await dialog.getByTestId('refund-amount').fill('75.25');
  await dialog.getByLabel('Reason').fill('Two sessions cancelled by the clinic');

  // Nothing chosen: main asks how the money goes back, at the choice.
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByText('Say how the money is paid back: by our check (its number) or in cash')).toBeVisible();

  // Our check without its number: refused at the number.
  await dialog.getByRole('radio', { name: 'By our check' }).check();
  await dialog.getByTestId('reversal-ok').click();
  const ourCheck = dialog.getByRole('textbox', { name: /^Our check number/ });
  await expect(dialog.getByText('Our check number is required: the number of the check we wrote')).toBeVisible();
  await expect(ourCheck).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByTestId('reversal-problem')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('received-refund-check-number-required') });
  expect(await callChannel(app.runtime, 'payments.get', { paymentId: paid!.paymentId })).toMatchObject({ refundedCents: 0, reversals: [] });

  await ourCheck.fill('9031');
  await expect(dialog.getByTestId('reversal-question')).toHaveText('Refund $75.25 of Check 5120 (Banner Bank), paid back by our check 9031?');
  await expectNoSeriousA11yViolations(page, 'refund paid back by our check');
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('$75.25 of Check 5120 (Banner Bank) was paid back by our check 9031.');
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('Reopened: INV-RC6-1 $75.25');
  await dialog.getByTestId('reversal-close').click();

  const row = page.getByTestId('payment-row').filter({ hasText: paid!.confirmationNumber! });
  await expect(row.getByTestId('payment-refund')).toHaveText('Refunded $75.25, paid back by our check 9031: Two sessions cancelled by the clinic');
  await page.screenshot({ path: screenshotPath('received-refund-in-history') });

  const detail = await callChannel(app.runtime, 'payments.get', { paymentId: paid!.paymentId });
  expect(detail).toMatchObject({ refundedCents: 7_525, refundableCents: 17_475 });
  expect(detail.reversals).toMatchObject([{ kind: 'refund', status: 'completed', amountCents: 7_525, payout: { method: 'check', checkNumber: '9031' } }]);
  const account = await callChannel(app.runtime, 'customers.account', { customerNumber: 'RC0006' });
  expect(account.openInvoices.find((i) => i.invoiceNumber === 'INV-RC6-1')).toMatchObject({ openCents: 7_525 });
});

test('a check recorded already is flagged before posting, refused by main, and posted only when the clerk says it is another check', async ({ page }) => {
  const payments = async () => (await callChannel(app.runtime, 'payments.list', { customerNumber: 'RC0005' })).payments;
  const fillCheck = async (invoiceNumber: string) => {
    // From the account, so that a payment screen showing its confirmation starts afresh.
    await page.goto(`${app.url}/#/customers/RC0005`);
    await expect(page.getByRole('heading', { name: /Xeric Garden Supply/ })).toBeVisible();
    await page.goto(`${app.url}/#/customers/RC0005/pay`);
    await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
    await invoiceBox(page, invoiceNumber).check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$120.00');
    await page.getByRole('radio', { name: 'Check' }).check();
    await page.getByLabel('Check number').fill('7001');
    await page.getByRole('textbox', { name: /^Bank/ }).fill('Heritage Bank');
  };
  await fillCheck('INV-RC5-1');
  await expect(page.getByTestId('duplicate-check')).toHaveCount(0);
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-ok').click();
  const first = page.getByTestId('confirmation-number');
  await expect(first).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const firstNumber = (await first.textContent())!;
  expect(await payments()).toHaveLength(1);

  // The same check number and amount again, for the other invoice.
  await fillCheck('INV-RC5-2');
  const warning = page.getByTestId('duplicate-check');
  await expect(warning).toContainText(`Check 7001 for $120.00 was recorded on`);
  await expect(warning).toContainText(`(confirmation ${firstNumber}). Post it only if this is another check.`);
  await page.getByTestId('submit').click();
  await expect(page.getByText('This check looks recorded already (see under the check number). Tick "Post anyway" only if it is another check.')).toBeVisible();
  await expect(page.getByTestId('confirm-question')).toHaveCount(0);
  // The warning sits under the check number, below the fold: the clerk scrolls to it as the message says.
  await warning.scrollIntoViewIfNeeded();
  await expect(warning).toBeInViewport();
  await page.screenshot({ path: screenshotPath('received-duplicate-check') });
  expect(await payments()).toHaveLength(1);

  // Main refuses it too, whatever the screen did: at the check number, nothing posted.
  await expect(
    callChannel(app.runtime, 'payments.recordReceived', {
      customerNumber: 'RC0005',
      invoiceNumbers: ['INV-RC5-2'],
      creditNumbers: [],
      method: 'check',
      amountCents: 12_000,
      checkNumber: '7001',
      checkBank: 'Heritage Bank',
      idempotencyKey: 'e2e-duplicate-check-rc5',
    }),
  ).rejects.toThrow(/CONFLICT .*7001.*post it anyway only if this is another check/);
  expect(await payments()).toHaveLength(1);
  await page.goto(`${app.url}/#/customers/RC0005`);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await expect(page.getByTestId('payment-row')).toHaveCount(1);

  await fillCheck('INV-RC5-2');
  await expect(page.getByTestId('duplicate-check')).toBeVisible();
  await page.getByTestId('post-anyway').check();
  await page.screenshot({ path: screenshotPath('received-duplicate-check-post-anyway') });
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('confirm-question')).toHaveText('Record Check 7001 (Heritage Bank) for $120.00?');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirmation-number')).not.toHaveText(firstNumber);
  await expect(page.getByTestId('balance-after')).toHaveText('$0.00');
  expect(await payments()).toHaveLength(2);
  const audited = await app.runtime.ledger.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'payment.duplicate_check_posted').execute();
  expect(audited).toHaveLength(1);
});
