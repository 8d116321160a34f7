import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene, insertCustomer, insertInvoice, keepPdf } from '../../helpers/documents-fixtures';
import { cups, CUPS_SKIP_REASON, pdfPageCount, printedFile, waitFor } from '../../helpers/cups';
import { compareGray, renderGray } from '../../helpers/pixels';
import { createCupsPrinter } from '../../../src/main/printing/cups.printer';
import { ippRequest, requestingUser, resolveCupsServer } from '../../../src/main/printing/cups.server';
import { IPP_OPERATION, ippFirst } from '../../../src/main/printing/ipp.codec';
import type { DocumentRef, PrintJobView } from '../../../src/shared/contract/documents';

/**
 * AR Desk prints through the real CUPS adapter (lp, lpstat, IPP) to the CUPS-PDF queue of
 * scripts/cups-test-server.sh, and the PDFs CUPS-PDF writes are read back: page counts with
 * pdfinfo, the first page rendered with pdftoppm and compared with the original's rendering.
 */

const P = cups?.printer ?? '';
let rt: TestRuntime;
let scene: Awaited<ReturnType<typeof buildDocumentScene>>;

async function untilSettled(jobId: number): Promise<PrintJobView> {
  return waitFor(
    async () => {
      const job = (await rt.core.documents.listPrintJobs({ status: 'all', limit: 100 })).find((j) => j.id === jobId)!;
      return job.status !== 'sent' ? job : null;
    },
    60_000,
    `print job ${jobId} to leave CUPS`,
  );
}

/** Prints a document, follows it to printed, and compares the printed first page with the original's. */
async function printAndCompare(ref: DocumentRef, name: string, pages: number) {
  const original = await rt.core.documents.build(ref);
  expect(original.pageCount).toBe(pages);
  const originalFile = keepPdf(`printing-${name}-original`, original.bytes);

  const job = await rt.core.documents.printDocument(ref, 'dana');
  expect(job.sentTo).toMatchObject({ system: 'cups', printer: P, jobId: expect.stringMatching(/^\d+$/) });
  const id = job.sentTo!.jobId!;
  expect(job.statusText).toMatch(
    new RegExp(`^(Sent to printer ${P} as job ${id}; waiting in the printer's queue\\.|Printing on ${P} \\(job ${id}\\)\\.|Printed on ${P} \\(job ${id}\\)\\.)$`),
  );

  const done = await untilSettled(job.id);
  expect(done).toMatchObject({ status: 'printed', systemState: 'completed', statusText: `Printed on ${P} (job ${id}).`, lastError: null });
  const printed = await printedFile(id);
  expect(pdfPageCount(printed)).toBe(pages);
  const difference = compareGray(renderGray(printed, 1), renderGray(originalFile, 1));
  console.log(`${name}: ${pages} page(s); printed page 1 vs original: mean ${difference.meanPercent.toFixed(3)} %, blocks ${difference.blocksPercent.toFixed(3)} % of ${difference.blocks}`);
  expect(difference.blocksPercent).toBeLessThan(1);
  expect(difference.meanPercent).toBeLessThan(2);
  return { printed, job: done };
}

describe.skipIf(!cups)(cups ? 'printing through CUPS to a CUPS-PDF printer' : `printing through CUPS (${CUPS_SKIP_REASON})`, () => {
  beforeAll(async () => {
    rt = await openTestRuntime({ printer: createCupsPrinter() });
    scene = await buildDocumentScene(rt.ledger.db);
    const big = await insertCustomer(rt.ledger.db, { number: 'BG0100', legalName: 'Big Ledger Holdings LLC' });
    for (let i = 0; i < 45; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      await insertInvoice(rt.ledger.db, {
        customerId: big,
        number: `BG-${1000 + i}`,
        issueDate: `2026-0${3 + Math.floor(i / 28)}-${day}`,
        dueDate: `2026-0${4 + Math.floor(i / 28)}-${day}`,
        lines: [{ description: 'Service', unitPriceCents: 1000 + i }],
      });
    }
    // The workstation's settings name the printer; it must be one CUPS lists.
    await rt.core.settings.update({ printing: { confirmationPrinter: P, statementPrinter: P, paper: 'Letter' } }, 'dana');
  });
  afterAll(async () => {
    await rt?.dispose();
  });

  it('lists the CUPS printers with the test printer as the default', async () => {
    const list = await rt.core.printers.list();
    expect(list.problem).toBeNull();
    expect(list.system).toBe('cups');
    expect(list.printers).toEqual(expect.arrayContaining([{ name: P, isDefault: true, state: expect.stringMatching(/idle|printing/), accepting: true, reason: null }]));
  });

  it('prints a one-page confirmation that comes out as one page looking like the original', async () => {
    const { printed, job } = await printAndCompare({ kind: 'confirmation', paymentId: scene.payments.paid }, 'confirmation', 1);
    // The check has teeth: another confirmation's rendering is far from the printed page.
    const other = keepPdf('printing-confirmation-declined', (await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.declined })).bytes);
    const unlike = compareGray(renderGray(printed, 1), renderGray(other, 1));
    console.log(`confirmation: printed page 1 vs a different confirmation: mean ${unlike.meanPercent.toFixed(3)} %, blocks ${unlike.blocksPercent.toFixed(3)} %`);
    expect(unlike.blocksPercent).toBeGreaterThan(5);

    const actions = await rt.ledger.db.selectFrom('audit_log').select(['action', 'summary']).where('entity', '=', 'print_job').where('entity_id', '=', String(job.id)).orderBy('id').execute();
    expect(actions.map((a) => a.action)[0]).toBe('print.queue');
    expect(actions.map((a) => a.action)).toContain('print.sent');
    expect(actions.at(-1)!.action).toBe('print.printed');
    expect(JSON.parse(actions.find((a) => a.action === 'print.sent')!.summary)).toEqual({ system: 'cups', printer: P, jobId: job.sentTo!.jobId });
  });

  it('prints a two-page statement that comes out as two pages looking like the original', async () => {
    const { printed } = await printAndCompare({ kind: 'statement', customerNumber: 'BG0100', asOf: '2026-11-20' }, 'statement', 2);
    const originalFile = keepPdf('printing-statement-original', (await rt.core.documents.build({ kind: 'statement', customerNumber: 'BG0100', asOf: '2026-11-20' })).bytes);
    const second = compareGray(renderGray(printed, 2), renderGray(originalFile, 2));
    console.log(`statement: printed page 2 vs original: mean ${second.meanPercent.toFixed(3)} %, blocks ${second.blocksPercent.toFixed(3)} %`);
    expect(second.blocksPercent).toBeLessThan(1);
  });

  it('hands CUPS the copies and the paper size asked for', async () => {
    await rt.core.settings.update({ printing: { paper: 'A4' } }, 'dana');
    try {
      const job = await rt.core.documents.printDocument({ kind: 'invoice', invoiceNumber: 'INV-1004' }, 'dana', { copies: 2 });
      const answer = await ippRequest(resolveCupsServer(), IPP_OPERATION.getJobAttributes, [
        { tag: 'uri', name: 'job-uri', values: [`ipp://localhost/jobs/${job.sentTo!.jobId}`] },
        { tag: 'name', name: 'requesting-user-name', values: [requestingUser()] },
        { tag: 'keyword', name: 'requested-attributes', values: ['copies', 'media', 'job-name'] },
      ]);
      expect(ippFirst(answer, 'job', 'copies')).toBe(2);
      expect(String(ippFirst(answer, 'job', 'media'))).toMatch(/a4/i);
      expect(await untilSettled(job.id)).toMatchObject({ status: 'printed' });
    } finally {
      await rt.core.settings.update({ printing: { paper: 'Letter' } }, 'dana');
    }
  });

  it('refuses a printer setting that is not one of the printers CUPS lists, naming the ones it has', async () => {
    await expect(rt.core.settings.update({ printing: { confirmationPrinter: 'Not-A-Printer' } }, 'dana')).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { 'printing.confirmationPrinter': expect.stringContaining(`"Not-A-Printer" is not a printer of this computer; choose one of`) } },
    });
    expect(rt.core.settings.get().settings.printing.confirmationPrinter).toBe(P);
  });
});
