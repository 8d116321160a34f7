import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/**
 * Every scenario has its own customer (made through the channels with exact amounts), so the tests
 * share one seeded app without stepping on each other.
 */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    cardOnFile: true,
    // A little processor time, as over a real network: long enough for a second click to land mid-charge.
    gateway: { latencyMs: 250 },
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0002',
        legalName: 'Juniper Street Bakery',
        invoices: [{ invoiceNumber: 'INV-PY2-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 12_000 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0003',
        legalName: 'Kestrel Architects',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY3-1', issueDate: '2026-10-05', dueDate: '2026-11-04', cents: 50_000 }],
        credits: [{ creditNumber: 'CR-PY3-1', issueDate: '2026-11-01', cents: 20_000, reason: 'Billing error on October invoice' }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0004',
        legalName: 'Larkspur Yoga Studio',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY4-1', issueDate: '2026-10-10', dueDate: '2026-11-09', cents: 8_000 }],
        credits: [{ creditNumber: 'CR-PY4-1', issueDate: '2026-11-02', cents: 15_000, reason: 'Prepaid class package refund' }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0005',
        legalName: 'Meridian Tax Partners',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-PY5-1', issueDate: '2026-08-01', dueDate: '2026-08-31', cents: 10_000 },
          { invoiceNumber: 'INV-PY5-2', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 20_000, disputed: true },
          { invoiceNumber: 'INV-PY5-3', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 30_000 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0006',
        legalName: 'Northgate Veterinary Clinic',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-PY6-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 10_000 },
          { invoiceNumber: 'INV-PY6-2', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 20_000 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0007',
        legalName: 'Oakline Physical Therapy',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY7-1', issueDate: '2026-10-15', dueDate: '2026-11-14', cents: 9_000 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0008',
        legalName: 'Pinecrest Law Group',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-PY8-1', issueDate: '2026-09-20', dueDate: '2026-10-20', cents: 25_000 },
          { invoiceNumber: 'INV-PY8-2', issueDate: '2026-10-20', dueDate: '2026-11-19', cents: 17_500 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0010',
        legalName: 'Riverbend Dental Lab',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY10-1', issueDate: '2026-10-12', dueDate: '2026-11-11', cents: 31_450 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0011',
        legalName: 'Sagebrush Veterinary',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY11-1', issueDate: '2026-10-18', dueDate: '2026-11-17', cents: 4_275 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'PY0009',
        legalName: 'Quarry Hill Florist',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-PY9-1', issueDate: '2026-10-25', dueDate: '2026-11-24', cents: 6_000 }],
      });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
// Dialogs appear without their fade, so screenshots show them whole.
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

const payments = async (customerNumber: string) => (await callChannel(app.runtime, 'payments.list', { customerNumber })).payments;
const approvedCharges = async () => (await app.gateway.records()).filter((r) => r.kind === 'charge' && r.outcome === 'approved');

async function openPayment(page: Page, customerNumber: string): Promise<void> {
  await page.goto(`${app.url}/#/customers/${customerNumber}/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
}

const invoiceBox = (page: Page, invoiceNumber: string) => page.getByRole('checkbox', { name: `Pay invoice ${invoiceNumber}` });
const creditBox = (page: Page, creditNumber: string) => page.getByRole('checkbox', { name: `Apply credit ${creditNumber}` });

async function fillNewCard(page: Page, number: string): Promise<void> {
  await page.getByLabel('Name on card').fill('Dana Whitfield');
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry (MM/YY)').fill('12/28');
  await page.getByLabel('Security code').fill('123');
  await page.getByLabel('Billing ZIP code').fill('97201');
}

test.describe('taking a payment', () => {
  test('pays the two oldest invoices with the card on file, then shows them paid in the balance, aging and history', async ({ page }) => {
    const account = await app.runtime.core.customers.account('CL1042');
    const [oldest, second] = account.openInvoices;
    await openPayment(page, 'CL1042');
    await expect(page.getByTestId('pick-invoice-row').first()).toContainText(oldest!.invoiceNumber);
    await expect(page.getByRole('radio', { name: /Visa ending 4242/ })).toBeChecked();
    await invoiceBox(page, oldest!.invoiceNumber).check();
    await invoiceBox(page, second!.invoiceNumber).check();
    await expect(page.getByTestId('quote-line')).toHaveCount(2);
    await expect(page.getByTestId('quote-charge')).toHaveText('$454.00');
    await page.screenshot({ path: screenshotPath('payment') });
    await expectNoSeriousA11yViolations(page, 'payment');

    await page.getByTestId('submit').click();
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $454.00 to Visa ending 4242?');
    await page.screenshot({ path: screenshotPath('payment-confirm') });
    await expectNoSeriousA11yViolations(page, 'payment confirmation dialog');
    await page.getByTestId('confirm-ok').click();

    const confirmation = page.getByTestId('confirmation-number');
    await expect(confirmation).toHaveText(/^[A-Z0-9-]{4,10}$/);
    const number = (await confirmation.textContent())!;
    await expect(page.getByTestId('approved-amount')).toHaveText('$454.00');
    await expect(page.getByTestId('approved-applied')).toContainText(oldest!.invoiceNumber);
    await expect(page.getByTestId('approved-applied')).toContainText(second!.invoiceNumber);
    await expect(page.getByTestId('balance-after')).toHaveText('$681.00');
    await page.screenshot({ path: screenshotPath('payment-approved') });
    await expectNoSeriousA11yViolations(page, 'payment approved');

    await page.getByTestId('back-to-account').click();
    await expect(page.getByTestId('open-balance')).toHaveText('$681.00');
    await expect(page.getByTestId('past-due')).toHaveText('$454.00');
    await expect(page.getByTestId('bucket-days_over_90-amount')).toHaveText('$0.00');
    await expect(page.getByTestId('bucket-days_61_90-amount')).toHaveText('$0.00');
    await expect(page.getByTestId('bucket-total-amount')).toHaveText('$681.00');
    await expect(page.getByTestId('open-invoice-row')).toHaveCount(3);
    await page.getByRole('tab', { name: /Payment history/ }).click();
    const row = page.getByTestId('payment-row').filter({ hasText: number });
    await expect(row).toContainText('Visa ending 4242');
    await expect(row).toContainText('$454.00');
    await expect(row).toContainText('Approved');
    await expect(row).toContainText('clerk');
    await page.screenshot({ path: screenshotPath('account-after-payment') });
  });

  test('a declined new card keeps the rest of the form; re-entering 4242 succeeds and the customer is charged once', async ({ page }) => {
    await openPayment(page, 'PY0002');
    await expect(page.getByRole('radio', { name: 'New card' })).toBeChecked();
    await invoiceBox(page, 'INV-PY2-1').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$120.00');
    await fillNewCard(page, '4000000000009995');
    await expect(page.getByTestId('card-brand')).toHaveText('Visa');
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $120.00 to Visa ending 9995?');
    await page.getByTestId('confirm-ok').click();

    const declined = page.getByTestId('payment-declined');
    await expect(declined).toContainText(/insufficient funds/i);
    await expect(page.getByLabel('Name on card')).toHaveValue('Dana Whitfield');
    await expect(page.getByLabel('Card number')).toBeFocused();
    await page.screenshot({ path: screenshotPath('payment-declined') });
    await expectNoSeriousA11yViolations(page, 'payment declined');

    await page.getByLabel('Card number').fill('4242424242424242');
    await page.getByLabel('Security code').fill('123');
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $120.00 to Visa ending 4242?');
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    await expect(page.getByTestId('balance-after')).toHaveText('$0.00');

    const list = await payments('PY0002');
    expect(list.map((p) => p.status).sort()).toEqual(['captured', 'declined']);
    expect(list.filter((p) => p.status === 'captured').map((p) => p.amountCents)).toEqual([12_000]);
    expect((await approvedCharges()).filter((r) => r.amountCents === 12_000)).toHaveLength(1);
  });

  test('applies a credit in full to part of an invoice and charges the card for the rest', async ({ page }) => {
    await openPayment(page, 'PY0003');
    await invoiceBox(page, 'INV-PY3-1').check();
    await creditBox(page, 'CR-PY3-1').check();
    const line = page.getByTestId('quote-line');
    await expect(line).toContainText('CR-PY3-1 $200.00');
    await expect(page.getByTestId('quote-total-credit')).toHaveText('−$200.00');
    await expect(page.getByTestId('quote-charge')).toHaveText('$300.00');
    await page.screenshot({ path: screenshotPath('payment-credit-and-card') });
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $300.00 to Visa ending 4242?');
    await page.getByTestId('confirm-ok').click();
    const applied = page.getByTestId('approved-applied');
    await expect(applied).toContainText('Credit CR-PY3-1');
    await expect(applied.getByRole('row').filter({ hasText: 'Credit CR-PY3-1' })).toContainText('$200.00');
    await expect(applied.getByRole('row').filter({ hasText: 'Visa ending 4242' })).toContainText('$300.00');
    await expect(page.getByTestId('balance-after')).toHaveText('$0.00');
    const account = await app.runtime.core.customers.account('PY0003');
    expect(account.credits).toEqual([]);
  });

  test('applies part of a credit to pay an invoice in full, charging nothing and keeping the rest of the credit', async ({ page }) => {
    await openPayment(page, 'PY0004');
    await invoiceBox(page, 'INV-PY4-1').check();
    await creditBox(page, 'CR-PY4-1').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$0.00');
    await expect(page.getByText('Left on credits afterwards: CR-PY4-1 $70.00')).toBeVisible();
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('confirm-question')).toHaveText('Apply $80.00 of credits to 1 invoice? Nothing will be charged.');
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Credits applied' })).toBeVisible();
    await expect(page.getByTestId('approved-amount')).toHaveText('$0.00');
    await expect(page.getByTestId('balance-after')).toHaveText('$0.00');
    await expect(page.getByText('Still available: CR-PY4-1 $70.00')).toBeVisible();
    await page.screenshot({ path: screenshotPath('payment-credit-only-approved') });
    const account = await app.runtime.core.customers.account('PY0004');
    expect(account.credits.map((c) => [c.creditNumber, c.remainingCents])).toEqual([['CR-PY4-1', 7_000]]);
  });

  test('Pay All pays every open invoice except the disputed one', async ({ page }) => {
    await openPayment(page, 'PY0005');
    await page.getByTestId('pay-all').click();
    await expect(invoiceBox(page, 'INV-PY5-1')).toBeChecked();
    await expect(invoiceBox(page, 'INV-PY5-2')).not.toBeChecked();
    await expect(invoiceBox(page, 'INV-PY5-3')).toBeChecked();
    await expect(page.getByText('Pay All takes every open invoice except the 1 disputed.')).toBeVisible();
    await expect(page.getByTestId('quote-line')).toHaveCount(2);
    await expect(page.getByTestId('quote-charge')).toHaveText('$400.00');
    await page.screenshot({ path: screenshotPath('payment-pay-all') });
    await page.getByTestId('submit').click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    await expect(page.getByTestId('balance-after')).toHaveText('$200.00');
  });

  test('a selection the house rules refuse shows the reason in words and cannot be submitted', async ({ page }) => {
    await openPayment(page, 'PY0006');
    await invoiceBox(page, 'INV-PY6-1').check();
    await invoiceBox(page, 'INV-PY6-2').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$300.00');
    await page.getByLabel('Amount the customer pays').fill('150.00');
    await expect(page.getByTestId('quote-refusal')).toContainText('Invoice INV-PY6-2 would be paid in part; partial payments are not allowed');
    for (const id of ['submit', 'submit-print', 'submit-email']) await expect(page.getByTestId(id)).toBeDisabled();
    await page.screenshot({ path: screenshotPath('payment-refused') });
    await expectNoSeriousA11yViolations(page, 'payment refused');

    await page.getByLabel('Amount the customer pays').fill('400');
    await expect(page.getByTestId('quote-refusal')).toContainText('overpayments are not allowed');
    await expect(page.getByTestId('submit')).toBeDisabled();
    await page.getByLabel('Amount the customer pays').fill('12.345');
    await expect(page.getByText('has more than 2 decimal places')).toBeVisible();
    await expect(page.getByTestId('submit')).toBeDisabled();
    expect(await payments('PY0006')).toEqual([]);
  });

  test('Cancel in the confirmation charges nothing; a double-click on OK charges once', async ({ page }) => {
    const chargesBefore = (await approvedCharges()).length;
    await openPayment(page, 'PY0007');
    await invoiceBox(page, 'INV-PY7-1').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$90.00');
    await page.getByTestId('submit').click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('confirm-question')).toBeHidden();
    expect(await payments('PY0007')).toEqual([]);
    expect(await approvedCharges()).toHaveLength(chargesBefore);

    await page.getByTestId('submit').click();
    await page.getByTestId('confirm-ok').dblclick();
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    const list = await payments('PY0007');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'captured', amountCents: 9_000 });
    expect(await approvedCharges()).toHaveLength(chargesBefore + 1);
  });

  test('Enter held down on Submit opens the confirmation but charges nothing; one more Enter charges once', async ({ page }) => {
    await openPayment(page, 'PY0011');
    await invoiceBox(page, 'INV-PY11-1').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$42.75');
    await page.getByTestId('submit').focus();
    await page.keyboard.down('Enter');
    for (let i = 0; i < 8; i++) await page.keyboard.down('Enter'); // auto-repeat while the key stays down
    await page.keyboard.up('Enter');
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $42.75 to Visa ending 4242?');
    expect(await payments('PY0011')).toEqual([]);
    await expect(page.getByTestId('confirm-ok')).toBeFocused();
    await page.keyboard.down('Enter');
    for (let i = 0; i < 8; i++) await page.keyboard.down('Enter');
    await page.keyboard.up('Enter');
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    const list = await payments('PY0011');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'captured', amountCents: 4_275 });
  });

  test('keyboard only: from the lookup to the confirmation number without the mouse', async ({ page }) => {
    await page.goto(app.url);
    const search = page.getByRole('combobox', { name: /Customer number, name, phone/ });
    // Keys pressed before the screen has mounted would go nowhere: wait until it is there.
    await expect(search).toBeVisible();
    await page.keyboard.press('Control+K');
    await expect(search).toBeFocused();
    await page.keyboard.type('PY0008');
    await expect(page.getByTestId('lookup-result').first()).toContainText('Pinecrest Law Group');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('account-name')).toHaveText('Pinecrest Law Group');
    await page.keyboard.press('Control+P');
    await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
    await expect(page.getByTestId('pay-all')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('quote-charge')).toHaveText('$425.00');
    for (let i = 0; i < 30; i++) {
      if ((await page.locator(':focus').getAttribute('data-testid')) === 'submit') break;
      await page.keyboard.press('Tab');
    }
    await expect(page.getByTestId('submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('confirm-question')).toHaveText('Charge $425.00 to Visa ending 4242?');
    await expect(page.getByTestId('confirm-ok')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('confirmation-number')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Payment approved' })).toBeFocused();
    expect((await payments('PY0008')).map((p) => p.status)).toEqual(['captured']);
  });

  test('Submit & Email records the email delivery; a pending answer says so and is settled later', async ({ page }) => {
    // The processor charges, but its answers never make it back: the screen cannot know the outcome yet.
    app.gateway.planFault({ kind: 'answer_lost_after_processing', times: 5 });
    await openPayment(page, 'PY0009');
    await invoiceBox(page, 'INV-PY9-1').check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$60.00');
    await page.getByLabel('Email the confirmation to').fill('orders@quarryhill.example');
    await page.getByTestId('submit-email').click();
    await expect(page.getByText('A confirmation will be emailed to orders@quarryhill.example.')).toBeVisible();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('payment-pending')).toContainText('Do not take the payment again');
    await page.screenshot({ path: screenshotPath('payment-pending') });
    app.gateway.clearFaults();
    const [pending] = await payments('PY0009');
    expect(pending).toMatchObject({ status: 'pending', amountCents: 6_000 });
    const detail = await callChannel(app.runtime, 'payments.get', { paymentId: pending!.paymentId });
    expect(detail).toMatchObject({ delivery: 'email', receiptEmail: 'orders@quarryhill.example' });

    await callChannel(app.runtime, 'payments.recover', {});
    await page.getByTestId('back-to-account').click();
    await page.getByRole('tab', { name: /Payment history/ }).click();
    const row = page.getByTestId('payment-row').filter({ hasText: '$60.00' });
    await expect(row).toContainText('Approved');
    await expect(page.getByTestId('open-balance')).toHaveText('$0.00');
    expect((await approvedCharges()).filter((r) => r.amountCents === 6_000)).toHaveLength(1);
  });

  test('the Payments screen finds a payment by the confirmation number the customer reads out', async ({ page }) => {
    const [card] = (await callChannel(app.runtime, 'paymentMethods.list', { customerNumber: 'PY0010' })).methods;
    const result = await callChannel(app.runtime, 'payments.submit', {
      customerNumber: 'PY0010',
      invoiceNumbers: ['INV-PY10-1'],
      creditNumbers: [],
      method: { type: 'saved', paymentMethodId: card!.id },
      confirmedAmountCents: 31_450,
      idempotencyKey: 'e2e-payments-screen-0001',
    });
    if (result.status !== 'approved') throw new Error(`setup payment was ${result.status}`);
    await page.goto(`${app.url}/#/payments`);
    await page.getByLabel('Find a payment by confirmation number').fill('ZZZZ-ZZZZ');
    await page.keyboard.press('Enter');
    await expect(page.getByText('No payment has the confirmation number ZZZZ-ZZZZ.')).toBeVisible();

    await page.getByLabel('Find a payment by confirmation number').fill(result.confirmationNumber.toLowerCase());
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('payment-detail');
    await expect(detail).toContainText(result.confirmationNumber);
    await expect(detail).toContainText('$314.50');
    await expect(detail).toContainText('INV-PY10-1');
    await expect(detail).toContainText('Visa ending 4242');
    await page.screenshot({ path: screenshotPath('payments') });
    await expectNoSeriousA11yViolations(page, 'payments');
    await page.getByRole('button', { name: 'Open account PY0010' }).click();
    await expect(page.getByTestId('account-name')).toHaveText('Riverbend Dental Lab');
  });
});
