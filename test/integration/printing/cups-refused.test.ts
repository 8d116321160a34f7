import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { addTestQueue, canStartCupsServer, cups, cupsScript, CUPS_SKIP_REASON, pdfPageCount, printedFile, removeTestQueue, waitFor, type CupsTestServer } from '../../helpers/cups';
import { createCupsPrinter } from '../../../src/main/printing/cups.printer';
import type { PrintJobView } from '../../../src/shared/contract/documents';

/**
 * The print system refuses a job: the printer does not exist (yet), or the spooler is not running.
 * AR Desk keeps the job in its own queue with the reason in words, across a restart, and prints it
 * once the printer is there.
 */

async function jobNow(rt: TestRuntime, id: number): Promise<PrintJobView> {
  return (await rt.core.documents.listPrintJobs({ status: 'all', limit: 100 })).find((j) => j.id === id)!;
}

async function untilPrinted(rt: TestRuntime, id: number): Promise<PrintJobView> {
  return waitFor(
    async () => {
      const job = await jobNow(rt, id);
      return job.status !== 'sent' ? job : null;
    },
    60_000,
    `print job ${id} to print`,
  );
}

describe.skipIf(!cups)(cups ? 'jobs the print system refuses' : `jobs the print system refuses (${CUPS_SKIP_REASON})`, () => {
  const LATE = `ARDeskLate${process.pid}`;
  afterAll(() => removeTestQueue(LATE));

  it('keeps a job for an unknown printer with the reason, and prints it once that printer is added', async () => {
    const rt = await openTestRuntime({ printer: createCupsPrinter() });
    try {
      const scene = await buildDocumentScene(rt.ledger.db);
      const job = await rt.core.documents.printDocument({ kind: 'confirmation', paymentId: scene.payments.paid }, 'dana', { printer: LATE });
      const reason = `There is no printer named "${LATE}" on this computer. Add it, or choose another printer in Settings.`;
      expect(job).toMatchObject({ status: 'queued', attempts: 1, sentTo: null, lastError: reason, statusText: `Not printed yet: ${reason} AR Desk tries again.` });
      // Trying again before the printer exists changes nothing but the count.
      expect((await rt.core.documents.retryPrintQueue('dana')).jobs).toEqual([expect.objectContaining({ id: job.id, status: 'queued', attempts: 2, lastError: reason })]);

      addTestQueue(LATE);
      const run = await rt.core.documents.retryPrintQueue('dana');
      expect(run).toMatchObject({ printed: 1, stillQueued: 0 });
      const sent = run.jobs[0]!;
      expect(sent).toMatchObject({ id: job.id, attempts: 3, lastError: null, sentTo: { system: 'cups', printer: LATE } });
      const printed = await untilPrinted(rt, job.id);
      expect(printed).toMatchObject({ status: 'printed', statusText: `Printed on ${LATE} (job ${sent.sentTo!.jobId}).` });
      expect(pdfPageCount(await printedFile(sent.sentTo!.jobId!))).toBe(1);
    } finally {
      await rt.dispose();
    }
  });

  describe.skipIf(!canStartCupsServer)(
    canStartCupsServer ? 'with a second CUPS scheduler that is stopped and started' : 'with a stopped scheduler (skipped: starting a second CUPS scheduler needs root)',
    () => {
      const spoolerDir = tempDir('ar-desk-spooler-');
      const SPARE = 'ARDeskSpare';
      const socket = path.join(spoolerDir, 'cups.sock');
      afterAll(() => {
        cupsScript('stop', spoolerDir, SPARE);
        fs.rmSync(spoolerDir, { recursive: true, force: true });
      });

      it('keeps a job while the spooler is down, with the reason, across a restart, and prints it once the spooler runs', async () => {
        const dir = tempDir();
        // AR Desk on a workstation whose CUPS is this second scheduler.
        const printer = createCupsPrinter({ env: { ...process.env, CUPS_SERVER: socket } });
        let server: CupsTestServer = cupsScript('start', spoolerDir, SPARE)!;
        expect(server.server).toBe(socket);

        const first = await openTestRuntime({ dir, printer });
        const scene = await buildDocumentScene(first.ledger.db);
        const ref = { kind: 'confirmation' as const, paymentId: scene.payments.paid };
        const before = await first.core.documents.printDocument(ref, 'dana');
        expect(before).toMatchObject({ sentTo: { system: 'cups', printer: SPARE } });
        expect(await untilPrinted(first, before.id)).toMatchObject({ status: 'printed' });

        cupsScript('stop', spoolerDir, SPARE);
        const job = await first.core.documents.printDocument(ref, 'dana');
        const reason = 'The print system (CUPS) of this computer is not running, so it took no job. AR Desk keeps the job and tries again.';
        expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: reason, sentTo: null });
        await first.close();

        const second = await openTestRuntime({ dir, printer, now: '2026-11-20T16:00:00Z' });
        try {
          expect(await second.core.documents.listPrintJobs({ status: 'queued', limit: 10 })).toEqual([expect.objectContaining({ id: job.id, lastError: reason })]);
          server = cupsScript('start', spoolerDir, SPARE)!;
          const run = await second.core.documents.retryPrintQueue('dana');
          expect(run).toMatchObject({ printed: 1, stillQueued: 0 });
          const jobId = run.jobs[0]!.sentTo!.jobId!;
          expect(await untilPrinted(second, job.id)).toMatchObject({ status: 'printed', attempts: 2, statusText: `Printed on ${SPARE} (job ${jobId}).` });
          expect(pdfPageCount(await printedFile(jobId, server.out))).toBe(1);
        } finally {
          await second.dispose();
        }
      });
    },
  );
});
