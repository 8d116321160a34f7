import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/** The payment form as a clerk types into it: card data that never lingers, the expiry, errors in view, the header. */
const LONG_NAME =
  'Nordwestdeutsche Zahnarztbedarfs- und Laborservicegesellschaftmitbeschränkterhaftungundcompagniekommanditgesellschaft Holding International';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      const one = (n: string, name: string, cents: number, cardOnFile = false) =>
        addScenarioCustomer(runtime, {
          customerNumber: n,
          legalName: name,
          cardOnFile,
          invoices: [
            { invoiceNumber: `INV-${n}-1`, issueDate: '2026-10-01', dueDate: '2026-10-31', cents },
            { invoiceNumber: `INV-${n}-2`, issueDate: '2026-10-15', dueDate: '2026-11-14', cents: 2_500 },
          ],
        });
      await one('PF0001', 'Elmstead Hardware', 12_000);
      await one('PF0002', 'Fernhill Catering', 8_800);
      await one('PF0003', 'Glenview Pediatrics', 5_000);
      await one('PF0004', 'Hollis & Park Architects', 7_700);
      await one('PF0005', 'Ironwood Fitness', 6_400, true);
      await one('PF0006', LONG_NAME, 3_300, true);
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function openPayment(page: Page, customerNumber: string): Promise<void> {
  await page.goto(`${app.url}/#/customers/${customerNumber}/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
}

async function fillNewCard(page: Page, number: string): Promise<void> {
  await page.getByLabel('Name on card').fill('Dana Whitfield');
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry (MM/YY)').fill('12/28');
  await page.getByLabel('Security code').fill('123');
  await page.getByLabel('Billing ZIP code').fill('97201');
}

async function submitAndConfirm(page: Page): Promise<void> {
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-ok').click();
}

test('after a decline the card number and security code are cleared, the rest kept; the Declined message goes once the form changes', async ({ page }) => {
  await openPayment(page, 'PF0001');
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0001-1' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$120.00');
  await fillNewCard(page, '4000000000009995');
  await submitAndConfirm(page);
  const declined = page.getByTestId('payment-declined');
  await expect(declined).toContainText(/insufficient funds/i);
  await expect(page.getByLabel('Card number')).toHaveValue('');
  await expect(page.getByLabel('Security code')).toHaveValue('');
  await expect(page.getByLabel('Name on card')).toHaveValue('Dana Whitfield');
  await expect(page.getByLabel('Expiry (MM/YY)')).toHaveValue('12/28');
  await expect(page.getByLabel('Billing ZIP code')).toHaveValue('97201');
  await expect(page.getByLabel('Card number')).toBeFocused();
  await page.screenshot({ path: screenshotPath('payment-declined-cleared') });
  await expectNoSeriousA11yViolations(page, 'payment declined, card cleared');

  await page.getByLabel('Card number').fill('4242');
  await expect(declined).toHaveCount(0);
});

test('after a pending answer the card number and security code are gone; Take another payment pre-fills neither', async ({ page }) => {
  app.gateway.planFault({ kind: 'answer_lost_after_processing', times: 5 });
  try {
    await openPayment(page, 'PF0002');
    await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0002-1' }).check();
    await expect(page.getByTestId('quote-charge')).toHaveText('$88.00');
    await fillNewCard(page, '4242424242424242');
    await submitAndConfirm(page);
    await expect(page.getByTestId('payment-pending')).toBeVisible();
  } finally {
    app.gateway.clearFaults();
  }
  await page.getByRole('button', { name: 'Take another payment' }).click();
  await expect(page.getByRole('radio', { name: 'New card' })).toBeChecked();
  await expect(page.getByLabel('Card number')).toHaveValue('');
  await expect(page.getByLabel('Security code')).toHaveValue('');
  // The payment still in flight is shown from the ledger above the form.
  await expect(page.getByTestId('inflight-pending')).toContainText('$88.00');
  await page.screenshot({ path: screenshotPath('payment-another-after-pending') });
  await callChannel(app.runtime, 'payments.recover', {});
  await expect(page.getByTestId('inflight-confirmation')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
});

test('the expiry reads 01/29 whether typed as 1/29, 01/29, 0129 or 1 / 2029, or pasted', async ({ page }) => {
  await openPayment(page, 'PF0003');
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0003-1' }).check();
  const expiry = page.getByLabel('Expiry (MM/YY)');
  for (const typed of ['1/29', '01/29', '0129', '1 / 2029']) {
    await expiry.fill('');
    await expiry.pressSequentially(typed);
    await expect(expiry, `typed ${typed}`).toHaveValue('01/29');
    await expiry.fill(typed);
    await expect(expiry, `pasted ${typed}`).toHaveValue('01/29');
  }
});

test('after Submit the first field with an error is scrolled into view above the footer and focused', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 600 });
  await openPayment(page, 'PF0004');
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0004-1' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$77.00');
  await page.getByLabel('Name on card').fill('Dana Whitfield');
  await page.getByLabel('Card number').fill('4242424242424242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/28');
  await page.getByLabel('Security code').fill('123');
  const zip = page.getByLabel('Billing ZIP code');
  // The empty ZIP field sits just under the fixed footer, where the window counts it as visible.
  const height = page.viewportSize()!.height;
  await page.evaluate(`window.scrollBy(0, ${(await zip.boundingBox())!.y - (height - 20)})`);
  await expect.poll(async () => (await zip.boundingBox())!.y).toBeGreaterThan(height - 36);
  // Clicked without scrolling the page, as a click on the (sticky) Submit does.
  await page.getByTestId('submit').dispatchEvent('click');

  await expect(zip).toBeFocused();
  await expect(page.getByText('Enter the billing ZIP or postal code')).toBeVisible();
  const box = (await zip.boundingBox())!;
  const viewport = page.viewportSize()!;
  const footer = (await page.locator('footer').first().boundingBox())!;
  expect(box.y, 'below the header').toBeGreaterThanOrEqual(52);
  expect(box.y + box.height, 'above the footer').toBeLessThanOrEqual(footer.y);
  expect(footer.y + footer.height).toBeLessThanOrEqual(viewport.height + 1);
  await page.screenshot({ path: screenshotPath('payment-error-in-view') });
});

test('an invalid amount never leaves a spinner running', async ({ page }) => {
  await openPayment(page, 'PF0003');
  // The first quote is slow to come back; the clerk types a bad amount meanwhile.
  await page.route('**/ipc/payments.quote', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0003-2' }).check();
  await page.getByLabel('Amount the customer pays').fill('12.345');
  await expect(page.getByText('has more than 2 decimal places')).toBeVisible();
  await page.waitForTimeout(2_500);
  await expect(page.getByText('Working out the amount…')).toHaveCount(0);
  await expect(page.getByTestId('quote-amount-invalid')).toBeVisible();
  await expect(page.getByTestId('submit')).toBeDisabled();
  await page.unroute('**/ipc/payments.quote');
  await page.getByLabel('Amount the customer pays').fill('');
  await expect(page.getByTestId('quote-charge')).toHaveText('$25.00');
});

test('Take another payment after saving a card starts on that card', async ({ page }) => {
  await openPayment(page, 'PF0005');
  await expect(page.getByRole('radio', { name: /Visa ending 4242/ })).toBeChecked();
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0005-1' }).check();
  await page.getByRole('radio', { name: 'New card' }).check();
  await fillNewCard(page, '5555555555554444');
  await page.getByLabel('Save this card to the customer’s vault').check();
  await page.getByLabel('Nickname (optional)').fill('Backup Mastercard');
  await submitAndConfirm(page);
  await expect(page.getByTestId('confirmation-number')).toBeVisible();
  await page.getByRole('button', { name: 'Take another payment' }).click();
  await expect(page.getByRole('radio', { name: /Mastercard ending 4444/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /Visa ending 4242/ })).not.toBeChecked();
});

test('the bank account’s nickname speaks of a bank account', async ({ page }) => {
  await openPayment(page, 'PF0003');
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PF0003-1' }).check();
  await page.getByRole('radio', { name: 'New bank account' }).check();
  await page.getByLabel('Save this account to the customer’s vault').check();
  const nickname = page.getByLabel('Nickname (optional)');
  await expect(nickname).toHaveAttribute('placeholder', /account/i);
  await expect(nickname).not.toHaveAttribute('placeholder', /Visa/);
});

test('a long legal name wraps and never clips the header’s buttons', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/PF0006`);
  const name = page.getByTestId('account-name');
  await expect(name).toHaveText(LONG_NAME);
  const nameBox = (await name.boundingBox())!;
  // Nothing is cut: the name wraps within its box, and each button shows its whole label.
  type Box = { scrollWidth: number; clientWidth: number };
  const clipped = (el: Box & { querySelectorAll(selector: string): ArrayLike<Box> }) =>
    [el, ...Array.from(el.querySelectorAll('*'))].some((n) => n.scrollWidth > n.clientWidth + 1);
  expect(await name.evaluate(clipped), 'the name runs out of its box').toBe(false);
  for (const label of ['Edit details', /Take payment/]) {
    const button = page.getByRole('button', { name: label });
    await expect(button).toBeVisible();
    expect(await button.evaluate(clipped), `${String(label)} is cut`).toBe(false);
    const b = (await button.boundingBox())!;
    expect(nameBox.x + nameBox.width, 'the name ends before the buttons').toBeLessThanOrEqual(b.x);
    expect(b.x + b.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    // Nothing is drawn over the button's middle.
    const onTop = await page.evaluate(`document.elementFromPoint(${b.x + b.width / 2}, ${b.y + b.height / 2})?.closest('button')?.textContent ?? ''`);
    expect(onTop).toContain(typeof label === 'string' ? label : 'Take payment');
  }
  await page.screenshot({ path: screenshotPath('account-long-name') });

  await page.getByRole('button', { name: /Take payment/ }).click();
  const customer = page.getByTestId('payment-customer');
  await expect(customer).toContainText(LONG_NAME);
  const c = (await customer.boundingBox())!;
  const balance = (await page.getByText('Open balance', { exact: true }).boundingBox())!;
  expect(c.x + c.width).toBeLessThanOrEqual(balance.x);
  await page.screenshot({ path: screenshotPath('payment-long-name') });
});
