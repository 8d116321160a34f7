import { afterEach, describe, expect, it } from 'vitest';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import type { Printer } from '../../../src/main/documents/ports';
import { writeTx } from '../../../src/main/db/dialect';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { openTestOffice, type TestOffice } from '../../helpers/office';
import type { TestRuntime } from '../../helpers/runtime';

/** One workstation's print system: switched on and off, keeping what it printed and whom it was asked about. */
function fakePrinter(name: string) {
  const state = { online: false, printed: [] as string[], asked: [] as string[] };
  const printer: Printer = {
    system: 'cups',
    async print(_pdf, options) {
      if (!state.online) throw new Error(`The printer "${name}" is offline.`);
      state.printed.push(options.jobName);
      return { system: 'cups', printer: name, jobId: `${name}-${state.printed.length}` };
    },
    listPrinters: async () => ({ printers: [], defaultPrinter: null }),
    async jobStatus(ref) {
      state.asked.push(String(ref.jobId));
      return { state: 'printing', reason: null };
    },
  };
  return { state, printer };
}

const offices: TestOffice[] = [];
afterEach(async () => {
  for (const o of offices.splice(0)) await o.dispose();
});

async function openOffice() {
  const printers = { 'ws-a': fakePrinter('Front-desk'), 'ws-b': fakePrinter('Back-office') };
  const office = await openTestOffice(['ws-a', 'ws-b'], { each: (id) => ({ printer: printers[id as keyof typeof printers].printer }) });
  offices.push(office);
  const [a, b] = office.workstations as [TestRuntime, TestRuntime];
  const scene = await buildDocumentScene(a.ledger.db);
  return { a, b, printers, scene };
}

function jobs(rt: TestRuntime) {
  return withDocumentTables(rt.ledger.db).selectFrom('print_jobs').select(['id', 'status', 'workstation', 'system_printer']).orderBy('id').execute();
}

describe('the print queue of two workstations', () => {
  it('prints a job queued at one workstation only at its printer, never at the other', async () => {
    const { a, b, printers, scene } = await openOffice();
    printers['ws-b'].state.online = true;

    // A's printer is off: the statement waits in A's queue.
    const queued = await a.core.documents.printDocument({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    expect(queued).toMatchObject({ status: 'queued', lastError: 'The printer "Front-desk" is offline.' });
    // A payment approved at A queues its confirmation for A's printer too.
    const confirmation = await writeTx(a.ledger.db, (trx) =>
      a.core.documents.enqueuePaymentConfirmation(trx, { paymentId: scene.payments.paid, delivery: 'print', actor: 'dana', now: a.clock.now() }),
    );
    expect(await jobs(a)).toEqual([
      { id: queued.id, status: 'queued', workstation: 'ws-a', system_printer: null },
      { id: (confirmation as { printJobId: number }).printJobId, status: 'queued', workstation: 'ws-a', system_printer: null },
    ]);

    // B's printer is on, and B works its queue: A's jobs are not B's.
    expect(await b.core.documents.retryPrintQueue('print-queue')).toEqual({ printed: 0, stillQueued: 0, jobs: [] });
    expect(await b.core.documents.deliverQueued('print-queue')).toEqual({ printed: 0, stillQueued: 0, jobs: [] });
    expect(printers['ws-b'].state.printed).toEqual([]);
    expect(await b.core.documents.listPrintJobs({ status: 'all', limit: 10 })).toEqual([]);
    expect((await b.core.documents.listPrintJobs({ status: 'all', limit: 10, workstation: 'all' })).map((j) => j.id)).toHaveLength(2);
    expect((await a.core.documents.listPrintJobs({ status: 'all', limit: 10 })).map((j) => j.status)).toEqual(['queued', 'queued']);

    // A's printer comes back: A prints both, and only A asks its print system about them.
    printers['ws-a'].state.online = true;
    expect(await a.core.documents.retryPrintQueue('print-queue')).toMatchObject({ printed: 2, stillQueued: 0 });
    expect(printers['ws-a'].state.printed).toHaveLength(2);
    await b.core.documents.listPrintJobs({ status: 'all', limit: 10 });
    expect(printers['ws-b'].state.asked).toEqual([]);
    expect(printers['ws-b'].state.printed).toEqual([]);
    expect((await jobs(a)).map((j) => [j.status, j.workstation, j.system_printer])).toEqual([
      ['sent', 'ws-a', 'Front-desk'],
      ['sent', 'ws-a', 'Front-desk'],
    ]);
  });

  it('prints a job from before workstations were recorded once, at whichever workstation takes it first', async () => {
    const { a, b, printers } = await openOffice();
    printers['ws-a'].state.online = true;
    printers['ws-b'].state.online = true;
    const queued = await b.core.documents.printDocument({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    expect(queued.status).toBe('sent');
    printers['ws-b'].state.printed.length = 0;
    // As an earlier version left it: queued, no workstation.
    await withDocumentTables(a.ledger.db)
      .updateTable('print_jobs')
      .set({ status: 'queued', workstation: null, system: null, system_printer: null, system_job_id: null, system_state: null })
      .where('id', '=', queued.id)
      .execute();

    await Promise.all([a.core.documents.retryPrintQueue('print-queue'), b.core.documents.retryPrintQueue('print-queue')]);

    expect(printers['ws-a'].state.printed.length + printers['ws-b'].state.printed.length).toBe(1);
    const [job] = await jobs(a);
    expect(job!.status).toBe('sent');
    expect(job!.system_printer).toBe(job!.workstation === 'ws-a' ? 'Front-desk' : 'Back-office');
  });
});
