import { afterEach, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { asStaff } from '../../helpers/dispatch';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { PrintRefusedError, type Printer, type PrintRequest, type PrintSystemJobStatus } from '../../../src/main/printing/printer.port';
import type { PrintJobView } from '../../../src/shared/contract/documents';

/**
 * The print queue against a print system the test scripts: what it refuses stays queued with the
 * reason and is retried; what it takes is followed through queued, printing, held, completed,
 * aborted and cancelled, in the ledger, across restarts.
 */
function scriptedPrintSystem(options: { followable?: boolean } = {}) {
  const state = {
    refuse: null as PrintRefusedError | null,
    down: false,
    next: 100,
    jobs: new Map<string, PrintSystemJobStatus>(),
    requests: [] as PrintRequest[],
    asked: [] as string[],
  };
  const printer: Printer = {
    system: options.followable === false ? 'windows' : 'cups',
    async print(_pdf, request) {
      if (state.refuse) throw state.refuse;
      state.requests.push(request);
      const id = String(state.next++);
      state.jobs.set(id, { state: 'queued', reason: null });
      return { system: printer.system, printer: request.printer ?? 'Front-Desk', jobId: options.followable === false ? null : id };
    },
    listPrinters: async () => ({
      printers: ['Front-Desk', 'Back-Office'].map((name) => ({ name, isDefault: name === 'Front-Desk', state: 'idle' as const, accepting: true, reason: null })),
      defaultPrinter: 'Front-Desk',
    }),
    ...(options.followable === false
      ? {}
      : {
          async jobStatus(ref) {
            state.asked.push(ref.jobId!);
            if (state.down) throw new Error('connect ENOENT /run/cups/cups.sock');
            return state.jobs.get(ref.jobId!) ?? { state: 'unknown', reason: null };
          },
        }),
  };
  return { state, printer };
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const open: TestRuntime[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.dispose();
});

async function runtime(printer: Printer, extra: Parameters<typeof openTestRuntime>[0] = {}) {
  const rt = await openTestRuntime({ printer, ...extra });
  open.push(rt);
  const scene = await buildDocumentScene(rt.ledger.db);
  const call = async (channel: string, input: unknown) => {
    const res = await dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));
    if (!res.ok) throw Object.assign(new Error(res.error.message), res.error);
    return res.data as never;
  };
  const job = async (id: number): Promise<PrintJobView> => ((await call('documents.printJobs', { status: 'all' })) as { jobs: PrintJobView[] }).jobs.find((j) => j.id === id)!;
  return { rt, scene, call, job };
}

describe('following a job the print system took', () => {
  it('shows it sent as job N, then printing, held with the reason, and printed; asks no more once printed', async () => {
    const { state, printer } = scriptedPrintSystem();
    const { rt, scene, call, job } = await runtime(printer);
    const sent: PrintJobView = await call('documents.print', { document: { kind: 'confirmation', paymentId: scene.payments.paid } });
    expect(sent).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentTo: { system: 'cups', printer: 'Front-Desk', jobId: '100', at: '2026-11-20T15:00:00.000Z' },
      systemState: 'queued',
      statusText: "Sent to printer Front-Desk as job 100; waiting in the printer's queue.",
    });
    state.jobs.set('100', { state: 'printing', reason: null });
    expect(await job(sent.id)).toMatchObject({ status: 'sent', systemState: 'printing', statusText: 'Printing on Front-Desk (job 100).' });
    state.jobs.set('100', { state: 'held', reason: 'out of paper' });
    expect(await job(sent.id)).toMatchObject({ status: 'sent', systemState: 'held', systemReason: 'out of paper', statusText: 'Held by the printer Front-Desk (job 100): Out of paper.' });
    state.jobs.set('100', { state: 'completed', reason: null });
    rt.clock.advance(60_000);
    expect(await job(sent.id)).toMatchObject({ status: 'printed', printedAt: '2026-11-20T15:01:00.000Z', statusText: 'Printed on Front-Desk (job 100).' });
    const asked = state.asked.length;
    await job(sent.id);
    expect(state.asked).toHaveLength(asked);

    const audit = await rt.ledger.db.selectFrom('audit_log').select(['action', 'actor', 'summary']).where('entity', '=', 'print_job').orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['print.queue', 'dana'],
      ['print.sent', 'dana'],
      ['print.system_state', 'print-system'],
      ['print.system_state', 'print-system'],
      ['print.printed', 'print-system'],
    ]);
    expect(JSON.parse(audit[3]!.summary)).toEqual({ jobId: '100', from: 'printing', to: 'held', reason: 'out of paper' });
    // A job at the printer is cancelled there, not discarded here.
    state.jobs.set('101', { state: 'queued', reason: null });
    const other: PrintJobView = await call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'INV-1004' } });
    await expect(call('documents.discardPrintJob', { jobId: other.id })).rejects.toMatchObject({ code: 'CONFLICT', message: `Print job ${other.id} is at the printer Front-Desk; cancel it there.` });
  });

  it('marks a job the printer aborted or a user cancelled as failed with the reason; printing it again sends a new job', async () => {
    const { state, printer } = scriptedPrintSystem();
    const { call, job } = await runtime(printer);
    const a: PrintJobView = await call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'INV-1004' } });
    const c: PrintJobView = await call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'INV-1001' } });
    state.jobs.set('100', { state: 'aborted', reason: 'the printer could not read the document' });
    state.jobs.set('101', { state: 'cancelled', reason: 'cancelled by a user' });
    expect(await job(a.id)).toMatchObject({
      status: 'failed',
      lastError: 'The printer Front-Desk aborted job 100: the printer could not read the document',
      statusText: 'The printer Front-Desk aborted job 100: The printer could not read the document. Print it again.',
    });
    expect(await job(c.id)).toMatchObject({ status: 'failed', statusText: 'Job 101 was cancelled at Front-Desk: Cancelled by a user. Print it again if it is still needed.' });

    const again: PrintJobView = await call('documents.printAgain', { jobId: a.id });
    expect(again).toMatchObject({ status: 'sent', attempts: 2, lastError: null, sentTo: { jobId: '102' }, systemState: 'queued' });
    state.jobs.set('102', { state: 'completed', reason: null });
    expect(await job(a.id)).toMatchObject({ status: 'printed', statusText: 'Printed on Front-Desk (job 102).' });
  });

  it('keeps the last known state while the print system cannot be asked, and follows it again after a restart', async () => {
    const dir = tempDir();
    const { state, printer } = scriptedPrintSystem();
    const first = await openTestRuntime({ dir, printer });
    const scene = await buildDocumentScene(first.ledger.db);
    const sent = await first.core.documents.printDocument({ kind: 'confirmation', paymentId: scene.payments.paid }, 'dana');
    state.down = true;
    const [listed] = await first.core.documents.listPrintJobs({ status: 'all', limit: 10 });
    expect(listed).toMatchObject({ id: sent.id, status: 'sent', systemState: 'queued' });
    expect(first.log.lines.some((l) => l.includes(`Print job ${sent.id} could not be followed`))).toBe(true);
    await first.close();

    state.down = false;
    state.jobs.set('100', { state: 'completed', reason: null });
    const second = await openTestRuntime({ dir, printer });
    open.push(second);
    expect(await second.core.documents.listPrintJobs({ status: 'all', limit: 10 })).toEqual([expect.objectContaining({ id: sent.id, status: 'printed' })]);
  });

  it('records a job on a print system that cannot be followed as sent, saying so, and never asks about it', async () => {
    const { printer } = scriptedPrintSystem({ followable: false });
    const { scene, call, job } = await runtime(printer);
    const sent: PrintJobView = await call('documents.print', { document: { kind: 'confirmation', paymentId: scene.payments.paid } });
    expect(sent).toMatchObject({ status: 'sent', sentTo: { system: 'windows', printer: 'Front-Desk', jobId: null }, systemState: 'unknown' });
    expect(sent.statusText).toBe('Sent to printer Front-Desk. Windows does not report when it is printed.');
    expect(await job(sent.id)).toMatchObject({ status: 'sent', systemState: 'unknown' });
  });
});

describe('what is printed where', () => {
  it('sends confirmations to the confirmation printer and statements and invoices to the statement printer, with the copies, paper and dialog setting', async () => {
    const { state, printer } = scriptedPrintSystem();
    const settings = memorySettingsStore({
      printing: { silent: false, confirmationPrinter: 'Front-Desk', statementPrinter: 'Back-Office', copies: 2, paper: 'A4' },
    });
    const { scene, call, rt } = await runtime(printer, { settings });
    await call('documents.print', { document: { kind: 'confirmation', paymentId: scene.payments.paid } });
    await call('documents.print', { document: { kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' } });
    await call('documents.print', { document: { kind: 'invoice', invoiceNumber: 'INV-1004' } });
    await rt.core.documents.printDocument({ kind: 'invoice', invoiceNumber: 'INV-1001' }, 'dana', { printer: 'Front-Desk', copies: 1 });
    expect(state.requests).toEqual([
      { printer: 'Front-Desk', copies: 2, paper: 'A4', jobName: 'Payment confirmation K7QX4M2P', silent: false },
      { printer: 'Back-Office', copies: 2, paper: 'A4', jobName: 'Statement CL1042 as of 11/20/2026', silent: false },
      { printer: 'Back-Office', copies: 2, paper: 'A4', jobName: 'Invoice INV-1004', silent: false },
      { printer: 'Front-Desk', copies: 1, paper: 'A4', jobName: 'Invoice INV-1001', silent: false },
    ]);
    // The payment's own jobs, for the Submit & Print message.
    const mine: { jobs: PrintJobView[] } = await call('documents.printJobs', { paymentId: scene.payments.paid });
    expect(mine.jobs.map((j) => j.title)).toEqual(['Payment confirmation K7QX4M2P']);
  });
});

describe('retrying what the print system refused', () => {
  it('retries refused jobs on a timer and follows them to printed, without printing one twice', async () => {
    const { state, printer } = scriptedPrintSystem();
    state.refuse = new PrintRefusedError('spooler-down', 'The print system (CUPS) of this computer is not running, so it took no job. AR Desk keeps the job and tries again.');
    const { rt, scene, job } = await runtime(printer);
    const held = await rt.core.documents.printDocument({ kind: 'confirmation', paymentId: scene.payments.paid }, 'dana');
    expect(held).toMatchObject({ status: 'queued', attempts: 1, statusText: expect.stringMatching(/^Not printed yet: The print system \(CUPS\) of this computer is not running/) });

    const stop = rt.core.documents.printing.start({ followEveryMs: 30, retryEveryMs: 30 });
    try {
      await waitFor(async () => (await job(held.id)).attempts >= 3, 10_000, 'two more attempts');
      state.refuse = null;
      await waitFor(async () => (await job(held.id)).status === 'sent', 10_000, 'the job to be sent');
      state.jobs.set('100', { state: 'completed', reason: null });
      await waitFor(async () => (await job(held.id)).status === 'printed', 10_000, 'the job to print');
    } finally {
      stop();
    }
    expect(state.requests).toHaveLength(1);
    // The timer's retries with the same refusal are counted, not each written to the audit log.
    const audit = await rt.ledger.db.selectFrom('audit_log').select('action').where('entity', '=', 'print_job').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['print.queue', 'print.held', 'print.sent', 'print.printed']);
    const again = await rt.core.documents.deliverQueued('dana');
    expect(again).toMatchObject({ printed: 0, stillQueued: 0 });
    expect(state.requests).toHaveLength(1);
  });
});
