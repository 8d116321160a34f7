import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import type { Printer } from '../../../src/main/documents/ports';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { asStaff } from '../../helpers/dispatch';

/** A print system that can be switched off; it keeps what it printed and reports each job done at once. */
function fakePrinter() {
  const state = { online: false, reason: 'The printer "Front desk" is offline.', printed: [] as { pdf: Uint8Array; jobName: string; silent: boolean | undefined }[] };
  const printer: Printer = {
    system: 'cups',
    async print(pdf, options) {
      if (!state.online) throw new Error(state.reason);
      state.printed.push({ pdf, jobName: options.jobName, silent: options.silent });
      return { system: 'cups', printer: 'Front-desk', jobId: String(state.printed.length) };
    },
    listPrinters: async () => ({ printers: [], defaultPrinter: null }),
    jobStatus: async () => ({ state: 'completed', reason: null }),
  };
  return { state, printer };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function channels(rt: TestRuntime) {
  const handlers = createDispatcher(rt.core);
  return async (channel: string, input: unknown) => {
    const res = await dispatch(handlers, channel, input, asStaff('dana'));
    if (!res.ok) throw Object.assign(new Error(res.error.message), res.error);
    return res.data as never;
  };
}

describe('print queue', () => {
  it('holds a job with the reason while printing fails, keeps it across a restart, and prints it when the printer is back', async () => {
    const dir = tempDir();
    const { state, printer } = fakePrinter();
    const first = await openTestRuntime({ dir, printer });
    const scene = await buildDocumentScene(first.ledger.db);
    const call = channels(first);

    const job = await call('documents.print', { document: { kind: 'confirmation', paymentId: scene.payments.paid } });
    expect(job).toMatchObject({
      status: 'queued',
      attempts: 1,
      title: 'Payment confirmation K7QX4M2P',
      lastError: 'The printer "Front desk" is offline.',
      createdBy: 'dana',
    });
    state.reason = 'Out of paper';
    first.clock.advance(60_000);
    const again = await call('documents.printQueued', {});
    expect(again).toMatchObject({ printed: 0, stillQueued: 1, jobs: [{ status: 'queued', attempts: 2, lastError: 'Out of paper' }] });
    expect(state.printed).toHaveLength(0);
    await first.close();

    // Restart: the job is still there.
    const second = await openTestRuntime({ dir, printer, now: '2026-11-20T16:00:00Z' });
    cleanups.push(() => second.dispose());
    const call2 = channels(second);
    const listed: { jobs: { id: number; status: string }[] } = await call2('documents.printJobs', { status: 'queued' });
    expect(listed.jobs).toEqual([expect.objectContaining({ status: 'queued', attempts: 2, lastError: 'Out of paper' })]);

    state.online = true;
    const run = await call2('documents.printQueued', {});
    expect(run).toMatchObject({ printed: 1, stillQueued: 0, jobs: [{ status: 'printed', attempts: 3, lastError: null, printedAt: '2026-11-20T16:00:00.000Z' }] });
    expect(state.printed).toHaveLength(1);
    expect(state.printed[0]!.jobName).toBe('Payment confirmation K7QX4M2P');
    expect(state.printed[0]!.silent).toBe(true);
    const expected = await second.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.paid });
    expect(Buffer.from(state.printed[0]!.pdf).equals(Buffer.from(expected.bytes))).toBe(true);

    // Nothing queued any more: another run prints nothing.
    expect(await call2('documents.printQueued', {})).toMatchObject({ printed: 0, stillQueued: 0, jobs: [] });
    const actions = await second.ledger.db.selectFrom('audit_log').select('action').where('entity', '=', 'print_job').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['print.queue', 'print.held', 'print.held', 'print.sent', 'print.printed']);
  });

  it('reprints a printed job, discards a queued one, and asks for the print dialog when the setting says so', async () => {
    const { state, printer } = fakePrinter();
    state.online = true;
    const settings = memorySettingsStore({ printing: { ...DEFAULT_SETTINGS.printing, silent: false } });
    const rt = await openTestRuntime({ printer, settings });
    cleanups.push(() => rt.dispose());
    await buildDocumentScene(rt.ledger.db);
    const call = channels(rt);

    const printed: { id: number } = await call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'INV-1004' } });
    expect(state.printed.map((p) => [p.jobName, p.silent])).toEqual([['Invoice INV-1004', false]]);
    expect(await call('documents.printAgain', { jobId: printed.id })).toMatchObject({ status: 'printed', attempts: 2 });
    expect(state.printed).toHaveLength(2);
    await expect(call('documents.discardPrintJob', { jobId: printed.id })).rejects.toMatchObject({ code: 'CONFLICT' });

    state.online = false;
    const held: { id: number } = await call('documents.print', { document: { kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' } });
    expect(await call('documents.discardPrintJob', { jobId: held.id })).toMatchObject({ status: 'discarded' });
    state.online = true;
    expect(await call('documents.printQueued', {})).toMatchObject({ printed: 0, stillQueued: 0 });
    await expect(call('documents.printAgain', { jobId: held.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(state.printed).toHaveLength(2);
    await expect(call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'NOPE' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('saves a document as PDF through the channel, the same bytes as printed', async () => {
    const rt = await openTestRuntime();
    cleanups.push(() => rt.dispose());
    const scene = await buildDocumentScene(rt.ledger.db);
    const call = channels(rt);
    const file: { fileName: string; pageCount: number; base64: string } = await call('documents.pdf', {
      document: { kind: 'confirmation', paymentId: scene.payments.voided },
    });
    expect(file).toMatchObject({ fileName: 'confirmation-V9VOID23.pdf', pageCount: 1 });
    const built = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.voided });
    expect(Buffer.from(file.base64, 'base64').equals(Buffer.from(built.bytes))).toBe(true);
    expect(Buffer.from(file.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    await expect(call('documents.pdf', { document: { kind: 'statement', customerNumber: 'cl1042', asOf: '2026-13-01' } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('queues a confirmation for printing inside the payment transaction and prints it once that commits', async () => {
    const { state, printer } = fakePrinter();
    state.online = true;
    const rt = await openTestRuntime({ printer });
    cleanups.push(() => rt.dispose());
    const scene = await buildDocumentScene(rt.ledger.db);
    const jobs = () => withDocumentTables(rt.ledger.db).selectFrom('print_jobs').selectAll().execute();

    await expect(
      rt.ledger.db.transaction().execute(async (trx) => {
        await rt.core.documents.enqueuePaymentConfirmation(trx, { paymentId: scene.payments.paid, delivery: 'print', actor: 'dana', now: rt.clock.now() });
        throw new Error('approval failed');
      }),
    ).rejects.toThrow('approval failed');
    expect(await jobs()).toHaveLength(0);

    const result = await rt.ledger.db.transaction().execute((trx) =>
      rt.core.documents.enqueuePaymentConfirmation(trx, { paymentId: scene.payments.paid, delivery: 'print', actor: 'dana', now: rt.clock.now() }),
    );
    expect(result).toMatchObject({ delivery: 'print' });
    expect(await jobs()).toEqual([expect.objectContaining({ status: 'queued', attempts: 0, payment_id: scene.payments.paid })]);
    const run = await rt.core.documents.deliverQueued('dana');
    expect(run).toMatchObject({ printed: 1, stillQueued: 0 });
    expect(state.printed).toHaveLength(1);
    if (rt.ledger.dialect === 'sqlite') expect(fs.existsSync(rt.ledger.path)).toBe(true);
  });
});
