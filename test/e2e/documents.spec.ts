import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { callChannel } from './seeded';
import { screenshotPath, startTestApp, type TestApp } from './server';
import { buildDocumentScene } from '../helpers/documents-fixtures';
import { withDocumentTables } from '../../src/main/documents/documents.tables';

/**
 * The outbox and print queue screen (#/documents) on a ledger where a payment's confirmation
 * was queued for email in its transaction and a print went to a workstation without a printer.
 */
let app: TestApp;
let paidId = 0;
test.beforeAll(async () => {
  app = await startTestApp({
    prepare: async (runtime) => {
      const scene = await buildDocumentScene(runtime.ledger.db);
      paidId = scene.payments.paid;
      await runtime.ledger.db
        .transaction()
        .execute((trx) =>
          runtime.core.documents.enqueuePaymentConfirmation(trx, { paymentId: paidId, delivery: 'email', actor: 'dana', now: '2026-11-20T15:00:05Z' }),
        );
      await runtime.core.documents.emailStatement({ customerNumber: 'TO0007', asOf: '2026-11-20' }, 'dana');
      await runtime.core.documents.printDocument({ kind: 'confirmation', paymentId: paidId }, 'dana');
    },
  });
});
test.afterAll(async () => {
  await app.close();
});

const outboxRows = () => withDocumentTables(app.runtime.ledger.db).selectFrom('outbox').selectAll().orderBy('id').execute();

test('the outbox shows queued messages; the clerk changes a recipient and cancels a message', async ({ page }) => {
  await page.goto(`${app.url}/#/documents`);
  await expect(page.getByRole('heading', { name: 'Outbox and print queue' })).toBeVisible();
  const table = page.getByTestId('outbox-table');
  const confirmation = table.getByRole('row').filter({ hasText: 'Payment confirmation K7QX4M2P from Northwind Services LLC' });
  await expect(confirmation).toContainText('ap@harborlanedental.example');
  await expect(confirmation).toContainText('confirmation-K7QX4M2P.pdf');
  await expect(confirmation.getByText('Waiting')).toBeVisible();
  await page.screenshot({ path: screenshotPath('documents-outbox') });
  await expectNoSeriousA11yViolations(page, 'outbox');

  await confirmation.getByRole('button', { name: /^Change recipient/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Change the recipient' });
  await dialog.getByLabel('Send to').fill('maria@harborlanedental.example');
  await dialog.getByRole('button', { name: 'Save and send' }).click();
  await expect(dialog).toBeHidden();
  await expect(confirmation).toContainText('maria@harborlanedental.example');
  expect((await outboxRows())[0]).toMatchObject({ to_address: 'maria@harborlanedental.example', status: 'queued' });

  const statement = table.getByRole('row').filter({ hasText: 'Your statement as of 11/20/2026' });
  await statement.getByRole('button', { name: /^Cancel/ }).click();
  const cancelDialog = page.getByRole('dialog', { name: 'Cancel this message?' });
  // Its close button has a name (axe's button-name rule flagged it while the dialog faded out).
  await expect(cancelDialog.getByRole('button', { name: 'Close' })).toBeVisible();
  await cancelDialog.getByRole('button', { name: 'Cancel the message' }).click();
  // The screen is checked once the dialog has gone, not while it fades out.
  await expect(cancelDialog).toBeHidden();
  await expect(statement.getByText('Cancelled')).toBeVisible();
  await expect(statement.getByRole('button', { name: /^Cancel/ })).toHaveCount(0);
  expect((await outboxRows())[1]).toMatchObject({ status: 'cancelled', cancelled_by: 'clerk' });
  await expectNoSeriousA11yViolations(page, 'outbox after changes');
});

test('the print queue holds a job the printer refused; the clerk saves it as PDF, tries again and discards it', async ({ page }) => {
  await page.goto(`${app.url}/#/documents`);
  await page.getByRole('tab', { name: 'Print queue' }).click();
  const row = page.getByTestId('print-table').getByRole('row').filter({ hasText: 'Payment confirmation K7QX4M2P' });
  await expect(row.getByText('Queued', { exact: true })).toBeVisible();
  await expect(row).toContainText('No printer is available here.');
  await expect(page.getByText('1 document waiting for the printer.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('documents-print-queue') });
  await expectNoSeriousA11yViolations(page, 'print queue');

  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Save as PDF: Payment confirmation K7QX4M2P' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('confirmation-K7QX4M2P.pdf');
  const saved = fs.readFileSync((await download.path())!);
  const built = await app.runtime.core.documents.build({ kind: 'confirmation', paymentId: paidId });
  expect(saved.equals(Buffer.from(built.bytes))).toBe(true);

  await row.getByRole('button', { name: 'Print: Payment confirmation K7QX4M2P' }).click();
  await expect(page.getByText(/is still queued: No printer is available here\./)).toBeVisible();
  await expect(row.getByRole('cell', { name: '2', exact: true })).toBeVisible();

  await row.getByRole('button', { name: 'Discard: Payment confirmation K7QX4M2P' }).click();
  await expect(row.getByText('Discarded', { exact: true })).toBeVisible();
  await expect(row.getByText(/^Discarded by /)).toBeVisible();
  await expect(page.getByText('Nothing is waiting for the printer.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('documents-print-queue-after') });
  await expectNoSeriousA11yViolations(page, 'print queue after changes');
});

test('the outbox says why mail waits: no mail server, or the server’s last answer; Send now without a server says so', async ({ page }) => {
  await page.goto(`${app.url}/#/documents`);
  const confirmation = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: 'Payment confirmation K7QX4M2P' });
  await expect(confirmation.getByText('Waiting')).toBeVisible();
  await expect(confirmation.getByTestId('outbox-reason')).toHaveText('No mail server is set up (Settings → Office).');
  await page.screenshot({ path: screenshotPath('documents-outbox-no-server') });
  await expectNoSeriousA11yViolations(page, 'outbox without a mail server');

  await confirmation.getByRole('button', { name: /^Send now/ }).click();
  await expect(page.getByText('No mail server is set up (Settings → Office): the message waits in the outbox until one is.')).toBeVisible();
  await expect(page.getByText('back in line')).toHaveCount(0);

  // A server is set up and answered the last try with a temporary refusal.
  await callChannel(app.runtime, 'settings.updateOffice', { changes: { email: { smtpHost: 'mail.northwind.example' } } });
  const [row] = await outboxRows();
  await withDocumentTables(app.runtime.ledger.db)
    .updateTable('outbox')
    .set({ attempts: 1, last_error: '421 4.7.0 mail.northwind.example: try again later' })
    .where('id', '=', row!.id)
    .execute();
  await page.reload();
  await expect(confirmation.getByTestId('outbox-reason')).toHaveText('The mail server’s last answer: 421 4.7.0 mail.northwind.example: try again later');
  await page.screenshot({ path: screenshotPath('documents-outbox-server-answer') });
  await confirmation.getByRole('button', { name: /^Send now/ }).click();
  await expect(page.getByText('The message is back in line to go now.')).toBeVisible();
  await callChannel(app.runtime, 'settings.updateOffice', { changes: { email: { smtpHost: '' } } });
});

test('Change recipient checks the address with the app’s own message under the field; Cancel asks first', async ({ page }) => {
  await page.goto(`${app.url}/#/documents`);
  const confirmation = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: 'Payment confirmation K7QX4M2P' });
  await confirmation.getByRole('button', { name: /^Change recipient/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Change the recipient' });
  const to = dialog.getByLabel('Send to');
  await to.fill('maria-at-harborlanedental');
  await dialog.getByRole('button', { name: 'Save and send' }).click();
  await expect(dialog.getByText('"maria-at-harborlanedental" is not an email address (e.g. billing@example.com)')).toBeVisible();
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  // The browser's own bubble never speaks: the field is not a browser-checked email field.
  expect(await to.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage)).toBe('');
  await page.screenshot({ path: screenshotPath('documents-recipient-error') });
  await to.fill('');
  await dialog.getByRole('button', { name: 'Save and send' }).click();
  await expect(dialog.getByText('Enter the address to send the message to')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await confirmation.getByRole('button', { name: /^Cancel/ }).click();
  const ask = page.getByRole('dialog', { name: 'Cancel this message?' });
  await expect(ask).toContainText('will not be sent');
  await page.screenshot({ path: screenshotPath('documents-cancel-confirm') });
  await ask.getByRole('button', { name: 'Keep the message' }).click();
  await expect(ask).toBeHidden();
  await expect(confirmation.getByText('Waiting')).toBeVisible();
  expect((await outboxRows())[0]).toMatchObject({ status: 'queued' });
});
