import { expect, test, type Page } from '@playwright/test';
import type { TestGateway } from '../../src/main/payments/test-gateway';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/**
 * A charge the processor takes its time over, while the window does what clerks do: Back, Reload,
 * a second tab. Whatever the window does, the payment is shown from the ledger: pending while in
 * flight, then approved with its confirmation number.
 */
let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 10,
    prepare: async (runtime) => {
      for (const [n, name, cents] of [
        ['IF0001', 'Alder Creek Dental', 18_500],
        ['IF0002', 'Birchwood Optometry', 27_250],
        ['IF0003', 'Cobalt Street Bistro', 9_900],
      ] as const) {
        await addScenarioCustomer(runtime, {
          customerNumber: n,
          legalName: name,
          cardOnFile: true,
          invoices: [{ invoiceNumber: `INV-${n}-1`, issueDate: '2026-10-01', dueDate: '2026-10-31', cents }],
        });
      }
      await addScenarioCustomer(runtime, {
        customerNumber: 'IF0004',
        legalName: 'Driftwood Yoga Collective',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-1230', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 12_300 },
          { invoiceNumber: 'INV-1231', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 4_500 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'IF0005',
        legalName: 'Eastgate Framing Studio',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-1250', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 15_000 },
          { invoiceNumber: 'INV-1251', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 6_000 },
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

/** Holds every charge at the processor until released: the payment is recorded pending, the answer waits. */
function holdCharges(gateway: TestGateway): { charges: () => number; release(): void } {
  const original = gateway.charge;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let charges = 0;
  gateway.charge = async (request) => {
    charges++;
    await gate;
    return original.call(gateway, request);
  };
  return {
    charges: () => charges,
    release() {
      release();
      gateway.charge = original;
    },
  };
}

const payments = async (customerNumber: string) => (await callChannel(app.runtime, 'payments.list', { customerNumber })).payments;

/** Opens the payment screen, ticks the invoice and confirms the charge on the card on file. */
async function startCharge(page: Page, customerNumber: string, amount: string): Promise<void> {
  await page.goto(`${app.url}/#/customers/${customerNumber}`);
  await page.getByRole('button', { name: /Take payment/ }).click();
  await page.getByRole('checkbox', { name: `Pay invoice INV-${customerNumber}-1` }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText(amount);
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm-ok').click();
}

async function untilCharging(customerNumber: string, hold: { charges: () => number }): Promise<void> {
  await expect.poll(async () => (await payments(customerNumber)).map((p) => p.status)).toEqual(['pending']);
  await expect.poll(() => hold.charges()).toBe(1);
}

test('Back while the charge is in flight: the account shows the payment pending, then its confirmation number', async ({ page }) => {
  const hold = holdCharges(app.gateway);
  try {
    await startCharge(page, 'IF0001', '$185.00');
    await untilCharging('IF0001', hold);
    await page.goBack();
    await expect(page.getByTestId('account-name')).toHaveText('Alder Creek Dental');
    const pending = page.getByTestId('inflight-pending');
    await expect(pending).toContainText('Payment in progress');
    await expect(pending).toContainText('$185.00');
    await expect(pending).toContainText('INV-IF0001-1');
    await page.screenshot({ path: screenshotPath('inflight-back-pending') });
    await expectNoSeriousA11yViolations(page, 'account with a payment in flight');
  } finally {
    hold.release();
  }
  await expect.poll(async () => (await payments('IF0001')).map((p) => p.status)).toEqual(['captured']);
  const [captured] = await payments('IF0001');
  await expect(page.getByTestId('inflight-confirmation')).toHaveText(captured!.confirmationNumber!);
  await expect(page.getByTestId('inflight-pending')).toHaveCount(0);
  await expect(page.getByTestId('open-balance')).toHaveText('$0.00');
  await page.screenshot({ path: screenshotPath('inflight-back-approved') });
});

test('Reload while the charge is in flight: the payment screen finds the payment and shows its outcome, not a blank form', async ({ page }) => {
  const hold = holdCharges(app.gateway);
  try {
    await startCharge(page, 'IF0002', '$272.50');
    await untilCharging('IF0002', hold);
    await page.reload();
    await expect(page.getByTestId('payment-pending').or(page.getByTestId('payment-resuming'))).toBeVisible();
    await expect(page.getByTestId('payment-pending')).toContainText('Do not take the payment again');
    await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-IF0002-1' })).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('inflight-reload-pending') });
  } finally {
    hold.release();
  }
  const confirmation = page.getByTestId('confirmation-number');
  await expect(confirmation).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const [captured] = await payments('IF0002');
  expect(captured).toMatchObject({ status: 'captured', amountCents: 27_250 });
  await expect(confirmation).toHaveText(captured!.confirmationNumber!);
  await expect(page.getByTestId('approved-amount')).toHaveText('$272.50');
  await expect(page.getByTestId('balance-after')).toHaveText('$0.00');
  await page.screenshot({ path: screenshotPath('inflight-reload-approved') });
  // Charged once, whatever the window did.
  expect((await app.gateway.records()).filter((r) => r.kind === 'charge' && r.amountCents === 27_250 && r.outcome === 'approved')).toHaveLength(1);
});

test('a second tab on the account sees the payment another tab has in flight, then its confirmation number', async ({ page, context }) => {
  const hold = holdCharges(app.gateway);
  const second = await context.newPage();
  try {
    await startCharge(page, 'IF0003', '$99.00');
    await untilCharging('IF0003', hold);
    await second.goto(`${app.url}/#/customers/IF0003`);
    await expect(second.getByTestId('inflight-pending')).toContainText('$99.00');
  } finally {
    hold.release();
  }
  await expect(page.getByTestId('confirmation-number')).toBeVisible();
  const number = await page.getByTestId('confirmation-number').textContent();
  await expect(second.getByTestId('inflight-confirmation')).toHaveText(number!);
  await expect(second.getByTestId('open-balance')).toHaveText('$0.00');
  await second.close();
});

/** Another clerk pays `invoiceNumber` in full with the card on file, through main. */
async function payElsewhere(customerNumber: string, invoiceNumber: string, cents: number, key: string) {
  const [card] = (await callChannel(app.runtime, 'paymentMethods.list', { customerNumber })).methods;
  const other = await callChannel(app.runtime, 'payments.submit', {
    customerNumber,
    invoiceNumbers: [invoiceNumber],
    creditNumbers: [],
    method: { type: 'saved', paymentMethodId: card!.id },
    confirmedAmountCents: cents,
    idempotencyKey: key,
  });
  if (other.status !== 'approved') throw new Error(`the other payment was ${other.status}`);
  return other;
}

test('paid meanwhile while choosing: the screen refreshes on its own, takes the invoice off and names the other payment; nothing is charged', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/IF0004/pay`);
  await page.getByRole('checkbox', { name: 'Pay invoice INV-1230' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$123.00');

  // Another clerk pays the same invoice while this screen shows it open; live updates bring it here.
  const other = await payElsewhere('IF0004', 'INV-1230', 12_300, 'e2e-paid-meanwhile-0001');
  const chargesBefore = (await app.gateway.records()).filter((r) => r.kind === 'charge').length;

  const problem = page.getByTestId('payment-problem');
  await expect(problem).toContainText(`INV-1230 was paid a moment ago by another payment (${other.confirmationNumber}); nothing was charged.`);
  await expect(problem).not.toContainText('house rules');
  // Refreshed: the paid invoice has left the list and the selection, the open balance is what is left.
  await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-1230' })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-1231' })).not.toBeChecked();
  await expect(page.getByTestId('quote-empty')).toBeVisible();
  await expect(page.getByTestId('quote-refusal')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('payment-paid-meanwhile') });
  expect((await app.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(chargesBefore);
  expect((await payments('IF0004')).map((p) => p.status)).toEqual(['captured']);
});

test('paid meanwhile while the amount is read back: the dialog stays as confirmed, Submit names the other payment, nothing is charged and the screen refreshes', async ({ page }) => {
  await page.goto(`${app.url}/#/customers/IF0005/pay`);
  await page.getByRole('checkbox', { name: 'Pay invoice INV-1250' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$150.00');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('confirm-question')).toContainText('$150.00');

  const other = await payElsewhere('IF0005', 'INV-1250', 15_000, 'e2e-paid-meanwhile-0002');
  const chargesBefore = (await app.gateway.records()).filter((r) => r.kind === 'charge').length;
  // Longer than a live update takes to arrive: the figures being read back do not change under the clerk.
  await page.waitForTimeout(1_500);
  await expect(page.getByTestId('confirm-question')).toContainText('$150.00');
  await expect(page.getByTestId('confirm-ok')).toBeEnabled();
  await expect(page.getByTestId('payment-problem')).toHaveCount(0);

  await page.getByTestId('confirm-ok').click();
  const problem = page.getByTestId('payment-problem');
  await expect(problem).toContainText(`INV-1250 was paid a moment ago by another payment (${other.confirmationNumber}); nothing was charged.`);
  await expect(problem).not.toContainText('house rules');
  await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-1250' })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-1251' })).not.toBeChecked();
  await expect(page.getByTestId('quote-empty')).toBeVisible();
  await page.screenshot({ path: screenshotPath('payment-paid-meanwhile-confirming') });
  expect((await app.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(chargesBefore);
  expect((await payments('IF0005')).map((p) => p.status)).toEqual(['captured']);
});
