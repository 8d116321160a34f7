import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import type { Printer } from '../../src/main/documents/ports';
import { withDocumentTables } from '../../src/main/documents/documents.tables';
import { expectNoSeriousA11yViolations } from './a11y';
import { addScenarioCustomer, callChannel, NOW } from './seeded';
import { screenshotPath, startTestApp, type TestApp } from './server';

/**
 * Confirmations delivered from the payment screen and from the account's payment history
 * (reprint, save, email), and voids and refunds taken back from the history.
 */

/** A workstation printer the test switches on and off; it keeps the job names it printed. */
function switchablePrinter() {
  const state = { working: false, attempts: 0, printed: [] as string[] };
  const printer: Printer = {
    system: 'cups',
    print: async (_pdf, options) => {
      state.attempts += 1;
      if (!state.working) throw new Error('Printer offline');
      state.printed.push(options.jobName);
      return { system: 'cups', printer: 'Front-desk', jobId: String(state.printed.length) };
    },
    listPrinters: async () => ({ printers: [], defaultPrinter: null }),
    // It prints at once: the job is reported done when first asked.
    jobStatus: async () => ({ state: 'completed', reason: null }),
  };
  return { printer, state };
}

const clock = fixedClock(NOW);
const printing = switchablePrinter();
let app: TestApp;
/** A card payment of DL0004 taken ten days ago: past the day it could be voided. */
let olderPayment = '';
/** The confirmation of DL0002's payment that the printer refused at first. */
let declinedPaymentId = 0;

test.beforeAll(async () => {
  app = await startTestApp({
    clock,
    printer: printing.printer,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'DL0001',
        legalName: 'Cedar Hollow Clinic',
        email: 'ap@cedarhollow.example',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-DL1-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 22_700 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'DL0002',
        legalName: 'Driftwood Outfitters',
        cardOnFile: true,
        invoices: [{ invoiceNumber: 'INV-DL2-1', issueDate: '2026-10-03', dueDate: '2026-11-02', cents: 18_950 }],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'DL0003',
        legalName: 'Elmstead Dental Partners',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-DL3-1', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 10_000 },
          { invoiceNumber: 'INV-DL3-2', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 35_400 },
        ],
      });
      await addScenarioCustomer(runtime, {
        customerNumber: 'DL0004',
        legalName: 'Foxglove Landscaping',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-DL4-1', issueDate: '2026-09-05', dueDate: '2026-10-05', cents: 22_700 },
          { invoiceNumber: 'INV-DL4-2', issueDate: '2026-10-05', dueDate: '2026-11-04', cents: 15_000 },
        ],
      });
      const cardOf = async (customerNumber: string) =>
        (await callChannel(runtime, 'paymentMethods.list', { customerNumber })).methods[0]!.id;

      // A card declined over the phone: its confirmation says DECLINED and can be reprinted too.
      const declined = await callChannel(runtime, 'payments.submit', {
        customerNumber: 'DL0002',
        invoiceNumbers: ['INV-DL2-1'],
        creditNumbers: [],
        method: { type: 'card', cardNumber: '4000000000000002', expMonth: 12, expYear: 2029, cvc: '123', nameOnCard: 'Ivy Marsh', postalCode: '97201', save: false },
        confirmedAmountCents: 18_950,
        idempotencyKey: 'e2e-delivery-declined-0001',
      });
      if (declined.status !== 'declined') throw new Error(`setup payment was ${declined.status}`);
      declinedPaymentId = declined.paymentId;

      // Paid in full today, so it can still be voided.
      const today = await callChannel(runtime, 'payments.submit', {
        customerNumber: 'DL0003',
        invoiceNumbers: 'all',
        creditNumbers: [],
        method: { type: 'saved', paymentMethodId: await cardOf('DL0003') },
        confirmedAmountCents: 45_400,
        idempotencyKey: 'e2e-delivery-today-0001',
      });
      if (today.status !== 'approved') throw new Error(`setup payment was ${today.status}`);

      // Paid ten days ago: only a refund can take it back now.
      clock.set('2026-11-10T16:00:00Z');
      const older = await callChannel(runtime, 'payments.submit', {
        customerNumber: 'DL0004',
        invoiceNumbers: 'all',
        creditNumbers: [],
        method: { type: 'saved', paymentMethodId: await cardOf('DL0004') },
        confirmedAmountCents: 37_700,
        idempotencyKey: 'e2e-delivery-older-0001',
      });
      if (older.status !== 'approved') throw new Error(`setup payment was ${older.status}`);
      olderPayment = older.confirmationNumber;
      clock.set(NOW);
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

const db = () => withDocumentTables(app.runtime.ledger.db);
const paymentsOf = async (customerNumber: string) => (await callChannel(app.runtime, 'payments.list', { customerNumber })).payments;

async function payOnlyInvoice(page: Page, customerNumber: string, invoiceNumber: string, button: 'submit-email' | 'submit-print'): Promise<string> {
  await page.goto(`${app.url}/#/customers/${customerNumber}/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Visa ending 4242/ })).toBeChecked();
  await page.getByRole('checkbox', { name: `Pay invoice ${invoiceNumber}` }).check();
  await expect(page.getByTestId('quote-line')).toHaveCount(1);
  await page.getByTestId(button).click();
  await page.getByTestId('confirm-ok').click();
  const confirmation = page.getByTestId('confirmation-number');
  await expect(confirmation).toHaveText(/^[A-Z0-9-]{4,10}$/);
  return (await confirmation.textContent())!;
}

async function openHistory(page: Page, customerNumber: string): Promise<void> {
  await page.goto(`${app.url}/#/customers/${customerNumber}`);
  await expect(page.getByTestId('account-name')).toBeVisible();
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await expect(page.getByTestId('payment-history')).toBeVisible();
}

async function openDocuments(page: Page, tab: 'Outbox' | 'Print queue'): Promise<void> {
  await page.getByRole('link', { name: 'Documents', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Outbox and print queue' })).toBeVisible();
  await page.getByRole('tab', { name: tab }).click();
}

test('Submit & Email puts the confirmation in the outbox, addressed to the customer with the PDF attached', async ({ page }) => {
  const number = await payOnlyInvoice(page, 'DL0001', 'INV-DL1-1', 'submit-email');
  await expect(page.getByText('Confirmation queued for email to ap@cedarhollow.example')).toBeVisible();

  await openDocuments(page, 'Outbox');
  const row = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: `Payment confirmation ${number}` });
  await expect(row).toContainText('ap@cedarhollow.example');
  await expect(row).toContainText(`confirmation-${number}.pdf`);
  // The bridge has no mail server: the message waits, or has failed with that reason.
  await expect(row.getByText(/^(Waiting|Sending|Failed)$/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('delivery-outbox') });
  await expectNoSeriousA11yViolations(page, 'outbox after Submit & Email');

  const stored = await db().selectFrom('outbox').selectAll().where('subject', 'like', `%${number}%`).execute();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ to_address: 'ap@cedarhollow.example', attachment_name: `confirmation-${number}.pdf` });
  expect(['queued', 'sending', 'failed']).toContain(stored[0]!.status);
});

test('Submit & Print with the printer offline keeps the confirmation queued; Print all queued prints it once the printer is back', async ({ page }) => {
  printing.state.working = false;
  const attemptsBefore = printing.state.attempts;
  const number = await payOnlyInvoice(page, 'DL0002', 'INV-DL2-1', 'submit-print');
  // The payment screen follows the confirmation: tried at once, refused, kept in AR Desk's print queue.
  await expect(page.getByTestId('print-status')).toHaveText('Not printed yet: Printer offline. AR Desk tries again.');
  await expect(page.getByRole('link', { name: 'Open Documents → Print queue' })).toBeVisible();
  // The print is tried right after the approval, without holding up the clerk.
  await expect.poll(() => printing.state.attempts).toBe(attemptsBefore + 1);

  await openDocuments(page, 'Print queue');
  const title = `Payment confirmation ${number}`;
  const row = page.getByTestId('print-table').getByRole('row').filter({ hasText: title });
  await expect(row.getByText('Queued', { exact: true })).toBeVisible();
  await expect(row).toContainText('Printer offline');
  await expect(page.getByText('1 document waiting for the printer.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('delivery-print-queue-offline') });
  await expectNoSeriousA11yViolations(page, 'print queue with the printer offline');

  printing.state.working = true;
  await page.getByRole('button', { name: 'Print all queued' }).click();
  await expect(page.getByText('1 document sent to the printer.')).toBeVisible();
  await expect(row.getByText('Printed', { exact: true })).toBeVisible();
  await expect(page.getByText('Nothing is waiting for the printer.')).toBeVisible();
  // The button's label slides back after its spinner: wait for that before taking the picture.
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished)).then(() => undefined)');
  await page.screenshot({ path: screenshotPath('delivery-print-queue-printed') });
  expect(printing.state.printed).toEqual([title]);
});

test('the history reprints, saves and emails a confirmation; a declined attempt, listed apart, offers none of that', async ({ page }) => {
  printing.state.working = true;
  printing.state.printed = [];
  const [approved] = (await paymentsOf('DL0002')).filter((p) => p.status === 'captured');
  const number = approved!.confirmationNumber!;
  await openHistory(page, 'DL0002');
  const history = page.getByTestId('payment-history');

  await history.getByRole('button', { name: `Reprint: ${number}` }).click();
  await expect(page.getByText('Sent to the printer')).toBeVisible();
  expect(printing.state.printed).toEqual([`Payment confirmation ${number}`]);

  // Declined attempts moved no money: they are listed apart, with no confirmation to print or send.
  await expect(history.getByTestId('payment-row').filter({ hasText: 'Declined' })).toHaveCount(0);
  await page.getByText(/^Declined attempts/).click();
  const declinedRow = page.getByTestId('declined-attempts').getByTestId('payment-row');
  await expect(declinedRow).toHaveCount(1);
  await expect(declinedRow).toContainText('$189.50');
  await expect(declinedRow.getByRole('button')).toHaveCount(0);
  expect((await paymentsOf('DL0002')).find((p) => p.paymentId === declinedPaymentId)?.status).toBe('declined');
  await page.getByText(/^Payments \(/).click();

  printing.state.working = false;
  await history.getByRole('button', { name: `Reprint: ${number}` }).click();
  await expect(page.getByText('Printer unavailable: kept in the print queue (Documents)')).toBeVisible();
  await expect(page.getByText(`Confirmation ${number} waits in the print queue: Printer offline. Print it from there when the printer is back.`)).toBeVisible();
  const jobs = (await callChannel(app.runtime, 'documents.printJobs', { status: 'queued' })).jobs;
  expect(jobs.map((j) => [j.title, j.lastError])).toEqual([[`Payment confirmation ${number}`, 'Printer offline']]);

  const downloading = page.waitForEvent('download');
  await history.getByRole('button', { name: `Save PDF: ${number}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`confirmation-${number}.pdf`);
  const saved = fs.readFileSync((await download.path())!);
  expect(saved.subarray(0, 5).toString()).toBe('%PDF-');

  await history.getByRole('button', { name: `Email: ${number}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Email the confirmation' });
  await expect(dialog.getByLabel('Send to')).toHaveValue('billing@dl0002.example');
  await dialog.getByLabel('Send to').fill('ivy@driftwood');
  await dialog.getByRole('button', { name: 'Queue the email' }).click();
  await expect(dialog.getByText('The address must be an email address')).toBeVisible();
  await dialog.getByLabel('Send to').fill('ivy@driftwood.example');
  await page.screenshot({ path: screenshotPath('delivery-email-modal') });
  await expectNoSeriousA11yViolations(page, 'email confirmation dialog');
  await dialog.getByRole('button', { name: 'Queue the email' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Confirmation queued in the Outbox')).toBeVisible();
  const mail = await db().selectFrom('outbox').selectAll().where('subject', 'like', `%${number}%`).execute();
  expect(mail.map((m) => m.to_address)).toEqual(['ivy@driftwood.example']);
  await page.screenshot({ path: screenshotPath('delivery-history-actions') });
});

test('voiding today’s payment from the history reopens its invoices and puts the balance back', async ({ page }) => {
  const [payment] = await paymentsOf('DL0003');
  const number = payment!.confirmationNumber!;
  await openHistory(page, 'DL0003');
  await expect(page.getByTestId('open-balance')).toHaveText('$0.00');
  const row = page.getByTestId('payment-row').filter({ hasText: number });
  await expect(row.getByRole('button', { name: `Void: ${number}` })).toBeVisible();
  await expect(row.getByRole('button', { name: `Refund: ${number}` })).toBeVisible();
  await page.screenshot({ path: screenshotPath('delivery-history-void-available') });
  await expectNoSeriousA11yViolations(page, 'payment history with actions');

  await row.getByRole('button', { name: `Void: ${number}` }).click();
  const dialog = page.getByRole('dialog', { name: `Void payment ${number}` });
  await expect(dialog.getByTestId('reversal-question')).toHaveText('Void $454.00 charged to Visa ending 4242?');
  await expect(dialog).toContainText('Invoices reopened: INV-DL3-1 $100.00, INV-DL3-2 $354.00');
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByText(/Enter why the payment is voided/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('delivery-void-modal') });
  await expectNoSeriousA11yViolations(page, 'void dialog');

  await dialog.getByLabel('Reason').fill('Customer paid the wrong account; will call back with the right card');
  await dialog.getByTestId('reversal-ok').click();
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('Payment voided');
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('Reopened: INV-DL3-1 $100.00, INV-DL3-2 $354.00');
  await expect(page.getByTestId('open-balance')).toHaveText('$454.00');
  await page.screenshot({ path: screenshotPath('delivery-void-done') });
  await expectNoSeriousA11yViolations(page, 'void outcome');
  await dialog.getByTestId('reversal-close').click();

  await expect(row).toContainText('Voided');
  await expect(row.getByRole('button', { name: `Void: ${number}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Refund: ${number}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Reprint: ${number}` })).toBeVisible();
  await page.getByRole('tab', { name: /Open invoices/ }).click();
  await expect(page.getByTestId('open-invoice-row')).toHaveCount(2);
  const [after] = await paymentsOf('DL0003');
  expect(after).toMatchObject({ status: 'voided', applied: [] });
  expect((await app.gateway.records()).filter((r) => r.kind === 'void' && r.outcome === 'approved')).toHaveLength(1);
});

test('an older payment cannot be voided; refunding one invoice’s share reopens only that invoice', async ({ page }) => {
  await openHistory(page, 'DL0004');
  await expect(page.getByTestId('open-balance')).toHaveText('$0.00');
  const row = page.getByTestId('payment-row').filter({ hasText: olderPayment });
  await expect(row.getByRole('button', { name: `Refund: ${olderPayment}` })).toBeVisible();
  await expect(row.getByRole('button', { name: `Void: ${olderPayment}` })).toHaveCount(0);

  await row.getByRole('button', { name: `Refund: ${olderPayment}` }).click();
  const dialog = page.getByRole('dialog', { name: `Refund payment ${olderPayment}` });
  await expect(dialog.getByTestId('reversal-question')).toHaveText('Refund $377.00 to Visa ending 4242?');
  await dialog.getByRole('radio', { name: 'Only invoice INV-DL4-1’s share: $227.00' }).check();
  await expect(dialog.getByTestId('reversal-question')).toHaveText('Refund $227.00 to Visa ending 4242?');
  await expect(dialog).toContainText('Invoice reopened: INV-DL4-1 $227.00');
  await dialog.getByLabel('Reason').fill('Work order 5512 was cancelled; the customer was billed in error');
  await page.screenshot({ path: screenshotPath('delivery-refund-modal') });
  await expectNoSeriousA11yViolations(page, 'refund dialog');
  await dialog.getByTestId('reversal-ok').click();

  await expect(dialog.getByTestId('reversal-outcome')).toContainText('Refund completed');
  await expect(dialog.getByTestId('reversal-outcome')).toContainText('$227.00 was returned to Visa ending 4242.');
  await expect(page.getByTestId('open-balance')).toHaveText('$227.00');
  await dialog.getByTestId('reversal-close').click();

  await expect(row).toContainText('Refunded in part');
  await expect(row).toContainText('refunded $227.00');
  // What is left of the payment can still be refunded, and now only that.
  await row.getByRole('button', { name: `Refund: ${olderPayment}` }).click();
  await expect(page.getByRole('dialog').getByTestId('reversal-question')).toHaveText('Refund $150.00 to Visa ending 4242?');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.screenshot({ path: screenshotPath('delivery-history-after-refund') });

  await page.getByRole('tab', { name: /Open invoices/ }).click();
  await expect(page.getByTestId('open-invoice-row')).toHaveCount(1);
  await expect(page.getByTestId('open-invoice-row')).toContainText('INV-DL4-1');
  const detail = await callChannel(app.runtime, 'payments.get', { confirmationNumber: olderPayment });
  expect(detail).toMatchObject({ status: 'captured', refundedCents: 22_700, refundableCents: 15_000, canVoid: false });
  expect(detail.reversals).toMatchObject([{ kind: 'refund', status: 'completed', amountCents: 22_700, invoiceNumber: 'INV-DL4-1' }]);
});

test('a refund the gateway refuses shows its reason and changes nothing; one it does not answer is pending', async ({ page }) => {
  app.gateway.planFault({ kind: 'server_error', operation: 'refund' });
  await openHistory(page, 'DL0004');
  const row = page.getByTestId('payment-row').filter({ hasText: olderPayment });
  await row.getByRole('button', { name: `Refund: ${olderPayment}` }).click();
  const dialog = page.getByRole('dialog', { name: `Refund payment ${olderPayment}` });
  await dialog.getByLabel('Reason').fill('Second visit was not carried out');
  await dialog.getByTestId('reversal-ok').click();
  const outcome = dialog.getByTestId('reversal-outcome');
  await expect(outcome).toContainText('The payment gateway refused the refund');
  await expect(outcome).toContainText('The payment gateway had an internal error; nothing was done. Try again.');
  await expect(outcome).toContainText('Nothing was changed');
  await page.screenshot({ path: screenshotPath('delivery-refund-failed') });
  await dialog.getByTestId('reversal-close').click();
  await expect(page.getByTestId('open-balance')).toHaveText('$227.00');

  app.gateway.planFault({ kind: 'timeout_before_processing', operation: 'refund' });
  await row.getByRole('button', { name: `Refund: ${olderPayment}` }).click();
  await dialog.getByLabel('Reason').fill('Second visit was not carried out');
  await dialog.getByTestId('reversal-ok').click();
  await expect(outcome).toContainText('The refund is waiting for the payment gateway');
  await expect(outcome).toContainText('Do not refund the payment again');
  await dialog.getByTestId('reversal-close').click();
  await expect(page.getByTestId('open-balance')).toHaveText('$227.00');
  // While the gateway's answer is outstanding, nothing more can be taken back.
  await expect(row.getByRole('button', { name: `Refund: ${olderPayment}` })).toHaveCount(0);
  const detail = await callChannel(app.runtime, 'payments.get', { confirmationNumber: olderPayment });
  expect(detail.reversals.map((r) => [r.status, r.amountCents])).toEqual([
    ['completed', 22_700],
    ['failed', 15_000],
    ['pending', 15_000],
  ]);
});

test('the Payments screen lists the newest payments across customers; a row opens the account', async ({ page }) => {
  await page.goto(`${app.url}/#/payments`);
  const rows = page.getByTestId('recent-payments').getByTestId('recent-payment-row');
  // Newest first by when they were taken: the payment of ten days ago comes last although it was entered last.
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText('DL0002 Driftwood Outfitters');
  await expect(rows.first()).toContainText('Approved');
  await expect(rows.nth(2)).toContainText('DL0003 Elmstead Dental Partners');
  await expect(rows.nth(2)).toContainText('Voided');
  await expect(rows.nth(3)).toContainText('Declined');
  await expect(rows.last()).toContainText(olderPayment);
  await expect(rows.last()).toContainText('refunded $227.00');
  await page.screenshot({ path: screenshotPath('delivery-recent-payments') });
  await expectNoSeriousA11yViolations(page, 'payments with recent payments');

  await page.locator('label').filter({ hasText: /^Voided$/ }).click();
  await expect(rows).toHaveCount(1);
  await rows.first().getByText('Visa ending 4242').click();
  await expect(page.getByTestId('account-name')).toHaveText('Elmstead Dental Partners');
});
