import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { expect, test, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import { addTestQueue, cupsCommand, pdfPageCount, printedFile, removeTestQueue } from '../helpers/cups';
import { expectNoSeriousA11yViolations } from './a11y';
import { cancelCupsJob, cancelCupsJobIfPrinting, cups, CUPS_SKIP_REASON, cupsTestPrinter, lpFile } from './cups';
import { addScenarioCustomer, callChannel, NOW } from './seeded';
import { screenshotPath, startTestApp, type TestApp } from './server';

/**
 * Printing through the operating system's print queue, end to end: the app prints with the real
 * CUPS adapter to the CUPS-PDF printer of scripts/cups-test-server.sh. The workstation chooses its
 * printer in Settings; Submit & Print says "Sent to printer X as job N" and the print queue follows
 * the job to printed; a job held at the printer and one cancelled there are shown as such and
 * printed again.
 */
test.skip(!cups, CUPS_SKIP_REASON);
// Each test builds on the one before (the printer chosen, then the payment printed there).
test.describe.configure({ mode: 'serial' });

/** A second queue of the test scheduler, printing like its default one; the workstation chooses it in Settings. */
const QUEUE = 'ARDeskE2E';
const clock = fixedClock(NOW);
let app: TestApp;
let blockerFile = '';
let confirmation = '';

/** A long document for someone else's job at the printer, so ours waits in the printer's queue behind it. */
async function writeLongPdf(file: string, pages: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([612, 792]);
    for (let y = 40; y < 760; y += 12) page.drawText(`Month-end report, page ${i + 1}, line ${y}: 0123456789 abcdefghijklmnopqrstuvwxyz`, { x: 30, y, size: 9, font });
  }
  fs.writeFileSync(file, await doc.save());
}

test.beforeAll(async () => {
  if (!cups) return;
  removeTestQueue(QUEUE);
  addTestQueue(QUEUE);
  app = await startTestApp({
    clock,
    printer: cupsTestPrinter(),
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'PR0001',
        legalName: 'Juniper Row Veterinary',
        cardOnFile: true,
        invoices: [
          { invoiceNumber: 'INV-PR1-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 31_250 },
          { invoiceNumber: 'INV-PR1-2', issueDate: '2026-10-15', dueDate: '2026-11-14', cents: 12_000 },
        ],
      });
    },
  });
  blockerFile = path.join(app.dir, 'month-end-report.pdf');
  await writeLongPdf(blockerFile, 1500);
});
test.afterAll(async () => {
  if (!cups) return;
  try {
    cupsCommand('cupsenable', [QUEUE]);
    cupsCommand('cancel', ['-a', QUEUE]);
  } catch {
    // the queue may be gone already
  }
  removeTestQueue(QUEUE);
  await app?.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

/** The row of one AR Desk print job on the print queue screen. */
const jobRow = (page: Page, jobId: number) => page.getByTestId(`print-row-${jobId}`);
const jobsOfPayment = async (paymentId: number) => (await callChannel(app.runtime, 'documents.printJobs', { status: 'all', paymentId })).jobs;

test('the workstation chooses its confirmation printer from the print system’s list; it is saved and shown after a reload', async ({ page }) => {
  // Tall enough for the whole workstation part of Settings in the pictures.
  await page.setViewportSize({ width: 1366, height: 1200 });
  await page.goto(`${app.url}/#/settings`);
  const printing = page.getByRole('region', { name: 'Printing' });
  const confirmations = printing.getByRole('combobox', { name: 'Printer for payment confirmations' });
  // Nothing chosen yet: the system's default printer, named.
  await expect(confirmations).toHaveValue(`System default (${cups!.printer})`);
  await expect(printing.getByRole('combobox', { name: 'Printer for statements and invoices' })).toHaveValue(`System default (${cups!.printer})`);
  await expect(printing.getByTestId('printers-problem')).toHaveCount(0);

  await confirmations.click();
  await expect(page.getByRole('option', { name: cups!.printer, exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('printing-settings-choosing') });
  await page.getByRole('option', { name: QUEUE, exact: true }).click();
  await printing.getByRole('radio', { name: /^A4/ }).check();
  await printing.getByRole('button', { name: 'Save printing' }).click();
  await expect(page.getByText('Printing saved')).toBeVisible();
  expect(app.runtime.core.settings.get().settings.printing).toEqual({ silent: true, confirmationPrinter: QUEUE, statementPrinter: null, copies: 1, paper: 'A4' });

  await page.reload();
  const again = page.getByRole('region', { name: 'Printing' });
  await expect(again.getByRole('combobox', { name: 'Printer for payment confirmations' })).toHaveValue(QUEUE);
  await expect(again.getByRole('radio', { name: /^A4/ })).toBeChecked();
  await expect(again.getByRole('button', { name: 'Save printing' })).toBeDisabled();
  await page.screenshot({ path: screenshotPath('printing-settings-saved') });
  await expectNoSeriousA11yViolations(page, 'settings with the printers of CUPS');
});

test('Submit & Print says the confirmation was sent to the printer as job N; the print queue follows it to printed', async ({ page }) => {
  // Someone's long report is printing on the queue, so the confirmation waits in CUPS behind it.
  const blocker = lpFile(QUEUE, blockerFile, 'Month-end report');

  await page.goto(`${app.url}/#/customers/PR0001/pay`);
  await expect(page.getByRole('radio', { name: /Visa ending 4242/ })).toBeChecked();
  await page.getByRole('checkbox', { name: 'Pay invoice INV-PR1-1' }).check();
  await expect(page.getByTestId('quote-line')).toHaveCount(1);
  await page.getByTestId('submit-print').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirmation-number')).toHaveText(/^[A-Z0-9-]{4,10}$/);
  confirmation = (await page.getByTestId('confirmation-number').textContent())!;

  const status = page.getByTestId('print-status');
  await expect(status).toHaveText(new RegExp(`^Sent to printer ${QUEUE} as job (\\d+); waiting in the printer's queue\\.$`), { timeout: 15_000 });
  const jobId = /as job (\d+)/.exec((await status.textContent())!)![1]!;
  expect(jobId).not.toBe(blocker);
  await page.screenshot({ path: screenshotPath('printing-submit-sent') });
  await expectNoSeriousA11yViolations(page, 'payment approved, confirmation at the printer');

  const payment = (await callChannel(app.runtime, 'payments.list', { customerNumber: 'PR0001' })).payments[0]!;
  const [job] = await jobsOfPayment(payment.paymentId);
  expect(job).toMatchObject({ status: 'sent', sentTo: { system: 'cups', printer: QUEUE, jobId }, systemState: 'queued' });

  await page.getByRole('link', { name: 'Documents', exact: true }).click();
  await page.getByRole('tab', { name: 'Print queue' }).click();
  const row = jobRow(page, job!.id);
  await expect(row).toContainText(`Payment confirmation ${confirmation}`);
  await expect(row.getByText('Sent to printer', { exact: true })).toBeVisible();
  await expect(row.getByTestId('print-status-text')).toHaveText(`Sent to printer ${QUEUE} as job ${jobId}; waiting in the printer's queue.`);
  await expect(page.getByText('1 document is at the printer, not printed yet.')).toBeVisible();
  // A job at the printer is the print system's: it cannot be discarded or printed twice from here.
  await expect(row.getByRole('button', { name: /^Discard/ })).toHaveCount(0);
  await expect(row.getByRole('button', { name: /^Print/ })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('printing-queue-sent') });
  await expectNoSeriousA11yViolations(page, 'print queue with a job at the printer');

  // The report is cancelled at the printer (or has just finished); the confirmation prints, and the
  // screen follows it without a click.
  cancelCupsJobIfPrinting(QUEUE, blocker);
  await expect(row.getByTestId('print-status-text')).toHaveText(`Printed on ${QUEUE} (job ${jobId}).`, { timeout: 45_000 });
  await expect(row.getByText('Printed', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: `Print again: Payment confirmation ${confirmation}` })).toBeVisible();
  await expect(page.getByText('Nothing is waiting for the printer.')).toBeVisible();
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished)).then(() => undefined)');
  await page.screenshot({ path: screenshotPath('printing-queue-printed') });

  // On paper, so to speak: CUPS-PDF wrote the one-page confirmation for that job.
  expect(pdfPageCount(await printedFile(jobId, cups!.out))).toBe(1);
});

test('a reprint held at the printer says why; cancelled there it can be printed again once the printer is back', async ({ page }) => {
  cupsCommand('cupsdisable', ['-r', 'Out of paper in tray 2', QUEUE]);
  await page.goto(`${app.url}/#/customers/PR0001`);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await page.getByTestId('payment-history').getByRole('button', { name: `Reprint: ${confirmation}` }).click();
  await expect(page.getByText('Held at the printer', { exact: true })).toBeVisible();
  await expect(page.getByText(new RegExp(`^Confirmation ${confirmation}: Held by the printer ${QUEUE} \\(job \\d+\\): Out of paper in tray 2\\.$`))).toBeVisible();
  await page.screenshot({ path: screenshotPath('printing-reprint-held') });

  const payment = (await callChannel(app.runtime, 'payments.list', { customerNumber: 'PR0001' })).payments[0]!;
  const [reprint] = await jobsOfPayment(payment.paymentId);
  expect(reprint).toMatchObject({ status: 'sent', systemState: 'held', systemReason: 'Out of paper in tray 2' });
  const heldJob = reprint!.sentTo!.jobId!;

  await page.goto(`${app.url}/#/documents/print`);
  const row = jobRow(page, reprint!.id);
  await expect(row.getByText('Held at printer', { exact: true })).toBeVisible();
  await expect(row.getByTestId('print-status-text')).toHaveText(`Held by the printer ${QUEUE} (job ${heldJob}): Out of paper in tray 2.`);
  await expect(row.getByRole('button', { name: /^Discard/ })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('printing-queue-held') });
  await expectNoSeriousA11yViolations(page, 'print queue with a held job');

  // Someone at the printer cancels it: AR Desk shows it failed, with Print again.
  cancelCupsJob(QUEUE, heldJob);
  await expect(row.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(row.getByTestId('print-status-text')).toHaveText(new RegExp(`^Job ${heldJob} was cancelled at ${QUEUE}: .+ Print it again if it is still needed\\.$`));
  await expect(row.getByRole('button', { name: /^Discard/ })).toBeVisible();
  await page.screenshot({ path: screenshotPath('printing-queue-cancelled') });

  cupsCommand('cupsenable', [QUEUE]);
  await row.getByRole('button', { name: `Print again: Payment confirmation ${confirmation}` }).click();
  await expect(page.getByText(new RegExp(`^Payment confirmation ${confirmation}: (Sent to printer ${QUEUE} as job|Printing on ${QUEUE}|Printed on ${QUEUE})`))).toBeVisible();
  await expect(row.getByTestId('print-status-text')).toHaveText(new RegExp(`^Printed on ${QUEUE} \\(job \\d+\\)\\.$`), { timeout: 45_000 });
  const printedAgain = (await jobsOfPayment(payment.paymentId))[0]!;
  expect(printedAgain).toMatchObject({ id: reprint!.id, status: 'printed' });
  expect(printedAgain.sentTo!.jobId).not.toBe(heldJob);
  expect(pdfPageCount(await printedFile(printedAgain.sentTo!.jobId!, cups!.out))).toBe(1);
});
