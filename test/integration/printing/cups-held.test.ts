import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { addTestQueue, cups, cupsCommand, CUPS_SKIP_REASON, pdfPageCount, printedFile, removeTestQueue, waitFor } from '../../helpers/cups';
import { createCupsPrinter } from '../../../src/main/printing/cups.printer';
import type { PrintJobView } from '../../../src/shared/contract/documents';

/**
 * A printer stopped with cupsdisable: CUPS keeps the job waiting and AR Desk shows it held with the
 * printer's reason, across a restart of AR Desk; enabled again, the job prints and AR Desk shows it
 * printed. The test uses its own queue, so other printing tests are not held up.
 */

const QUEUE = `ARDeskHeld${process.pid}`;

async function jobNow(rt: TestRuntime, id: number): Promise<PrintJobView> {
  return (await rt.core.documents.listPrintJobs({ status: 'all', limit: 100 })).find((j) => j.id === id)!;
}

describe.skipIf(!cups)(cups ? 'a job on a stopped CUPS printer' : `a job on a stopped CUPS printer (${CUPS_SKIP_REASON})`, () => {
  const dir = tempDir();
  let first: TestRuntime;

  beforeAll(() => {
    addTestQueue(QUEUE);
    cupsCommand('cupsdisable', ['-r', 'Paper jam in tray 2', QUEUE]);
  });
  afterAll(async () => {
    removeTestQueue(QUEUE);
    await first?.close().catch(() => undefined);
  });

  it('is held by the printer with its reason, stays so across a restart, and is printed once the printer is enabled', async () => {
    first = await openTestRuntime({ dir, printer: createCupsPrinter() });
    const scene = await buildDocumentScene(first.ledger.db);
    const job = await first.core.documents.printDocument({ kind: 'confirmation', paymentId: scene.payments.paid }, 'dana', { printer: QUEUE });
    const cupsJob = job.sentTo!.jobId!;
    expect(job).toMatchObject({ status: 'sent', sentTo: { system: 'cups', printer: QUEUE, jobId: expect.stringMatching(/^\d+$/) }, lastError: null });

    // CUPS keeps the job: lpstat lists it as not completed.
    expect(cupsCommand('lpstat', ['-W', 'not-completed', '-o', QUEUE])).toContain(`${QUEUE}-${cupsJob}`);
    expect(await jobNow(first, job.id)).toMatchObject({
      status: 'sent',
      systemState: 'held',
      systemReason: 'Paper jam in tray 2',
      statusText: `Held by the printer ${QUEUE} (job ${cupsJob}): Paper jam in tray 2.`,
    });
    await first.close();

    // After a restart AR Desk still knows the job and keeps following it.
    const second = await openTestRuntime({ dir, printer: createCupsPrinter(), now: '2026-11-20T16:00:00Z' });
    try {
      expect(await jobNow(second, job.id)).toMatchObject({ status: 'sent', systemState: 'held', sentTo: { printer: QUEUE, jobId: cupsJob } });
      cupsCommand('cupsenable', [QUEUE]);
      const printed = await waitFor(
        async () => {
          const now = await jobNow(second, job.id);
          return now.status !== 'sent' ? now : null;
        },
        60_000,
        'the held job to print',
      );
      expect(printed).toMatchObject({ status: 'printed', systemState: 'completed', statusText: `Printed on ${QUEUE} (job ${cupsJob}).`, printedAt: '2026-11-20T16:00:00.000Z' });
      expect(pdfPageCount(await printedFile(cupsJob))).toBe(1);

      const audit = await second.ledger.db.selectFrom('audit_log').select(['action', 'summary']).where('entity', '=', 'print_job').where('entity_id', '=', String(job.id)).orderBy('id').execute();
      const held = audit.find((a) => a.action === 'print.system_state' && JSON.parse(a.summary).to === 'held');
      expect(JSON.parse(held!.summary)).toMatchObject({ jobId: cupsJob, to: 'held', reason: 'Paper jam in tray 2' });
      expect(audit.at(-1)!.action).toBe('print.printed');
    } finally {
      await second.dispose();
    }
  });
});
