import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/**
 * Reports → Payments report and Close the day, on the seeded ledger's business date 2026-11-20:
 * RP0001 pays $100.00 by Visa and $250.00 by Mastercard (refunded $30.00), RP0002 pays $75.50 from
 * a checking account, and a $40.00 Visa payment of RP0001 is voided.
 */
let app: TestApp;
/** The Mastercard payment refunded in part, and the Visa payment voided. */
let refundedId = 0;
let voidedId = 0;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  app = await startSeededApp({
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'RP0001',
        legalName: 'Harbor Dental Group',
        invoices: [
          { invoiceNumber: 'INV-RP1-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 10_000 },
          { invoiceNumber: 'INV-RP1-2', issueDate: '2026-10-05', dueDate: '2026-11-04', cents: 25_000 },
          { invoiceNumber: 'INV-RP1-3', issueDate: '2026-10-09', dueDate: '2026-11-08', cents: 4_000 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'RP0002',
        legalName: 'Pine Street Bakery',
        invoices: [{ invoiceNumber: 'INV-RP2-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 7_550 }],
      });
      const card = (cardNumber: string) => ({ type: 'card' as const, cardNumber, expMonth: 12, expYear: 2030, cvc: '123', nameOnCard: 'Dana Whitfield', postalCode: '97201', save: false });
      const pay = async (customerNumber: string, invoiceNumber: string, cents: number, method: Parameters<typeof callChannel<'payments.submit'>>[2]['method']) => {
        const r = await callChannel(runtime, 'payments.submit', {
          customerNumber,
          invoiceNumbers: [invoiceNumber],
          creditNumbers: [],
          method,
          confirmedAmountCents: cents,
          idempotencyKey: `reports-e2e-${invoiceNumber}`,
          // A bank debit taken on the phone: the customer authorized it as read to them.
          ...(method?.type === 'bank' ? { phoneDebitAuthorized: true } : {}),
        });
        if (r.status !== 'approved') throw new Error(`payment for ${invoiceNumber} was ${r.status}`);
        return r.paymentId;
      };
      await pay('RP0001', 'INV-RP1-1', 10_000, card('4242424242424242'));
      const mastercard = await pay('RP0001', 'INV-RP1-2', 25_000, card('5555555555554444'));
      await pay('RP0002', 'INV-RP2-1', 7_550, { type: 'bank', routingNumber: '110000000', accountNumber: '000123456789', accountType: 'checking', nameOnAccount: 'Pine Street Bakery', save: false });
      const voided = await pay('RP0001', 'INV-RP1-3', 4_000, card('4242424242424242'));
      await callChannel(runtime, 'payments.void', { paymentId: voided, reason: 'Paid twice' });
      await callChannel(runtime, 'payments.refund', { paymentId: mastercard, reason: 'Service credit', amountCents: 3_000 });
      refundedId = mastercard;
      voidedId = voided;
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test('the payments report shows the range’s totals by method and by clerk, voids and refunds apart', async ({ page }) => {
  const expected = await callChannel(app.runtime, 'reports.payments', { from: '2026-11-01', to: '2026-11-20' });
  await page.goto(`${app.url}/#/reports/payments`);
  await expect(page.getByRole('tab', { name: 'Payments report' })).toHaveAttribute('aria-selected', 'true');
  // Today by default: then the first of the month as the start of the range.
  await expect(page.getByTestId('payments-report-net')).toBeVisible();
  const from = page.getByLabel('From');
  await from.click();
  await from.fill('11/01/2026');
  await from.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByText('Business dates 11/01/2026 to 11/20/2026')).toBeVisible();
  const money = (cents: number) => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  await expect(page.getByTestId('payments-report-net')).toHaveText(money(expected.totals.netCents));
  await expect(page.getByTestId('payments-report-captured')).toHaveText(money(expected.totals.capturedCents));
  const byMethod = page.getByTestId('payments-by-method');
  await expect(byMethod.getByRole('row', { name: /^Visa/ })).toContainText(money(-4_000));
  await expect(byMethod.getByRole('row', { name: /^Mastercard/ })).toContainText('$250.00');
  await expect(byMethod.getByRole('row', { name: /^Mastercard/ })).toContainText(`${money(-3_000)} (1)`);
  await expect(byMethod.getByRole('row', { name: /^Bank account/ })).toContainText('$75.50');
  const lines = page.getByTestId('payments-report-lines');
  await expect(lines.getByRole('row', { name: /Void.*RP0001 Harbor Dental Group/ })).toContainText(money(-4_000));
  await expect(lines.getByRole('row', { name: /Refund.*RP0001 Harbor Dental Group/ })).toContainText(money(-3_000));
  await page.screenshot({ path: screenshotPath('payments-report'), fullPage: true });
  await expectNoSeriousA11yViolations(page, 'payments report');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('payments-2026-11-01-to-2026-11-20.csv');
});

test('the Payments screen shows a refunded payment’s refund: when, how much, to where, who, why and the gateway’s reference, and what is left', async ({ page }) => {
  const refunded = await callChannel(app.runtime, 'payments.get', { paymentId: refundedId });
  const reference = refunded.reversals[0]!.reference!;
  await page.goto(`${app.url}/#/payments`);
  const recent = page.getByTestId('recent-payment-row').filter({ hasText: refunded.confirmationNumber! });
  await expect(recent).toContainText('refunded $30.00');
  await expect(recent).toContainText('Refunded in part');
  await page.getByLabel('Find a payment by confirmation number').fill(refunded.confirmationNumber!);
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('payment-detail');
  await expect(detail).toContainText(refunded.confirmationNumber!);
  await expect(detail.getByTestId('payment-refunded')).toHaveText('$30.00');
  await expect(detail.getByTestId('payment-net')).toHaveText('$220.00');
  const rows = detail.getByTestId('payment-reversal');
  await expect(rows).toHaveCount(1);
  await expect(rows.getByRole('cell')).toHaveText([
    /^11\/20\/2026 /,
    /^Refund\s*To Mastercard ending 4444$/,
    '—',
    '-$30.00',
    'Completed',
    'setup',
    'Service credit',
    reference,
  ]);
  await expect(detail.getByRole('heading', { name: 'Refunds and voids' })).toBeVisible();
  await detail.getByTestId('payment-reversals').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('payments-refunded-detail') });
  await expectNoSeriousA11yViolations(page, 'refunded payment detail');

  const voided = await callChannel(app.runtime, 'payments.get', { paymentId: voidedId });
  await page.getByLabel('Find a payment by confirmation number').fill(voided.confirmationNumber!);
  await page.keyboard.press('Enter');
  await expect(detail).toContainText(voided.confirmationNumber!);
  await expect(detail.getByTestId('payment-net')).toHaveText('$0.00');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Void');
  await expect(rows).toContainText('-$40.00');
  await expect(rows).toContainText('Paid twice');

  // Refunded to the last cent: the whole payment reads as refunded, with nothing left of it.
  await callChannel(app.runtime, 'payments.refund', { paymentId: refundedId, reason: 'Account closed' });
  await page.getByLabel('Find a payment by confirmation number').fill(refunded.confirmationNumber!);
  await page.keyboard.press('Enter');
  await expect(detail).toContainText(refunded.confirmationNumber!);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('-$220.00');
  await expect(rows.nth(1)).toContainText('Account closed');
  await expect(detail.getByTestId('payment-refunded')).toHaveText('$250.00');
  await expect(detail.getByTestId('payment-net')).toHaveText('$0.00');
  // The payment's badge beside its confirmation number, not the refund line's.
  await expect(detail.locator('.mantine-Badge-label').first()).toHaveText('Refunded');
});

test('closing the day lists the gateway’s charge AR Desk lacks, records the close and lists it', async ({ page }) => {
  // A charge made at the gateway outside AR Desk (the processor's own records).
  const stray = await app.gateway.charge({
    source: { card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } },
    amountCents: 1_234,
    idempotencyKey: 'reports-e2e-stray',
    moto: true,
    billingName: 'Walk-in',
    postalCode: '97201',
  });
  if (stray.outcome !== 'approved') throw new Error('the stray charge was not approved');
  await page.goto(`${app.url}/#/reports/close`);
  await expect(page.getByRole('tab', { name: 'Close the day' })).toHaveAttribute('aria-selected', 'true');
  const brands = page.getByTestId('close-brands');
  await expect(brands.getByRole('row', { name: /^Visa/ })).toContainText('-$12.34');
  const differences = page.getByTestId('close-differences');
  await expect(differences).toContainText('1 difference with the gateway');
  await expect(differences.getByRole('row', { name: /At the gateway, not in AR Desk/ })).toContainText(stray.transactionId);
  await expect(differences.getByRole('row', { name: /At the gateway, not in AR Desk/ })).toContainText('$12.34');
  await expect(differences.getByRole('row', { name: /At the gateway, not in AR Desk/ })).toContainText('Visa ending 4242');
  await page.screenshot({ path: screenshotPath('close-day'), fullPage: true });
  await expectNoSeriousA11yViolations(page, 'close the day');

  await page.getByTestId('close-day').click();
  await expect(page.getByRole('dialog', { name: 'Close 11/20/2026' })).toContainText('with 1 difference recorded with the close');
  await page.screenshot({ path: screenshotPath('close-day-confirm') });
  await page.getByTestId('confirm-close-day').click();
  await expect(page.getByTestId('day-closed')).toContainText('11/20/2026 was closed by clerk');
  await expect(page.getByTestId('closed-days').getByRole('row', { name: /11\/20\/2026/ })).toContainText('clerk');
  await expect(page.getByTestId('close-day')).toBeDisabled();
  await page.screenshot({ path: screenshotPath('close-day-closed'), fullPage: true });
  // Scrolled to the end, as the clerk sees the list above the footer.
  await page.getByTestId('closed-days').hover();
  await page.mouse.wheel(0, 2000);
  await page.screenshot({ path: screenshotPath('close-day-closed-list') });

  const closes = await callChannel(app.runtime, 'reports.closedDays', {});
  expect(closes.closes).toMatchObject([{ businessDate: '2026-11-20', closedBy: 'clerk', differences: [{ problem: 'not_in_ar_desk', gatewayCents: 1_234 }] }]);
});
