import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SettingsStore } from '../settings/settings.store';
import type { AppSettings } from '../../shared/settings';
import type { PrintJobView, PrintQueueRun } from '../../shared/contract/documents';
import { AppError } from '../../shared/errors';
import type { PrintJobRow } from '../documents/documents.tables';
import { printJobById, printJobView, queuedPrintJobIds, recordPrintOutcome } from '../documents/queue.repo';
import { countRetry, followedPrintJobs, recordPrintSent, recordSystemStatus, takePrintJob } from './print-jobs.repo';
import type { Printer, PrintRequest } from './printer.port';
import { writeTx } from '../db/dialect';

/**
 * Delivers AR Desk's print queue to the print system and follows what the system does with it.
 * A job stays queued only while the system refuses it (no printer, unknown printer, spooler down),
 * with the reason in words, and is tried again on a timer; once taken it is 'sent', and followed to
 * printed, held (with the reason) or failed (aborted, cancelled). Everything is in the ledger, so a
 * restart picks up where it was: queued jobs are retried, sent jobs followed.
 */
export interface PrintDeliveryDeps {
  db: Kysely<DB>;
  printer: Printer;
  settings: SettingsStore;
  clock: Clock;
  log: Logger;
  /** This installation's id: it prints its own jobs (and those from before workstations were recorded), never another's. */
  workstation: string;
  /** Builds the job's document from the ledger. */
  build(job: PrintJobRow, settings: AppSettings): Promise<{ bytes: Uint8Array; title: string }>;
}

/** Who retries on the timer, in the audit log. */
export const RETRY_ACTOR = 'print-queue';

export interface PrintDeliveryTimers {
  /** How often jobs the system took are asked about. */
  followEveryMs?: number;
  /** How often jobs the system refused are tried again. */
  retryEveryMs?: number;
}

/** The printer, copies and paper of a job: its own, else this workstation's settings for its kind of document. */
export function printRequestFor(job: PrintJobRow, settings: AppSettings, jobName: string): PrintRequest {
  const p = settings.printing;
  return {
    printer: job.requested_printer ?? (job.document_kind === 'confirmation' ? p.confirmationPrinter : p.statementPrinter),
    copies: job.requested_copies ?? p.copies,
    paper: p.paper,
    jobName,
    silent: p.silent,
  };
}

export function createPrintDelivery(deps: PrintDeliveryDeps) {
  const { db } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  const view = async (id: number): Promise<PrintJobView> => printJobView((await printJobById(db, id))!);

  // One print at a time: a second request waits for the printer instead of racing it.
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  }

  /** Asks the print system about one sent job and records the answer; false when it could not be asked. */
  async function followOne(row: PrintJobRow): Promise<boolean> {
    if (!deps.printer.jobStatus || !row.system_job_id || !row.system_printer || row.system !== deps.printer.system) return false;
    try {
      const status = await deps.printer.jobStatus({ system: row.system, printer: row.system_printer, jobId: row.system_job_id });
      return await writeTx(db, (trx) => recordSystemStatus(trx, row, status, nowIso()));
    } catch (e) {
      deps.log.warn(`Print job ${row.id} could not be followed; asking again later`, { reason: (e as Error).message });
      return false;
    }
  }

  /**
   * Hands a job to the print system. 'if-queued' leaves a job that is no longer queued alone (the
   * timer and a payment's delivery may reach it together); 'again' prints it whatever it is (a reprint).
   */
  function attempt(jobId: number, actor: string, mode: 'again' | 'if-queued'): Promise<PrintJobView> {
    return serial(async () => {
      const job = await printJobById(db, jobId);
      if (!job) throw new AppError('NOT_FOUND', `There is no print job ${jobId}.`, { jobId });
      if (mode === 'if-queued' && job.status !== 'queued') return printJobView(job);
      if (job.status === 'discarded') throw new AppError('CONFLICT', `Print job ${jobId} was discarded.`, { jobId });
      // Another workstation's job prints at its printer; one asked for again here prints here from now on.
      if (job.workstation !== deps.workstation && !(await takePrintJob(db, jobId, deps.workstation, { fromAnother: mode === 'again' }))) {
        return printJobView(job);
      }
      const settings = deps.settings.get();
      let doc: { bytes: Uint8Array; title: string };
      try {
        doc = await deps.build(job, settings);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        await writeTx(db, (trx) => recordPrintOutcome(trx, jobId, { status: 'failed', error: `The document could not be built: ${reason}`, actor, at: nowIso() }));
        return view(jobId);
      }
      try {
        const ref = await deps.printer.print(doc.bytes, printRequestFor(job, settings, doc.title));
        const followed = Boolean(deps.printer.jobStatus && ref.jobId && ref.system === deps.printer.system);
        const status = followed ? { state: 'queued' as const, reason: null } : { state: 'unknown' as const, reason: null };
        await writeTx(db, (trx) => recordPrintSent(trx, jobId, { ref, status, actor, at: nowIso() }));
        // A quick system may be done already; either way the clerk sees where the job is now.
        if (followed) await followOne((await printJobById(db, jobId))!);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        if (actor === RETRY_ACTOR && job.status === 'queued' && job.last_error === reason) {
          // The timer's retry met the same refusal: counted, not audited again every minute.
          await countRetry(db, jobId, nowIso());
        } else {
          deps.log.warn(`Print job ${jobId} kept in the print queue`, { reason });
          await writeTx(db, (trx) => recordPrintOutcome(trx, jobId, { status: 'queued', error: reason, actor, at: nowIso() }));
        }
      }
      return view(jobId);
    });
  }

  let following: Promise<number> | null = null;
  /** Asks the print system about every job it took that may still change; the number that changed. */
  function follow(): Promise<number> {
    following ??= (async () => {
      let changed = 0;
      for (const row of await followedPrintJobs(db, deps.workstation)) if (await followOne(row)) changed += 1;
      return changed;
    })().finally(() => {
      following = null;
    });
    return following;
  }

  /** Tries every queued job of this workstation again, oldest first (or only those never tried: what a payment just queued). */
  async function retryQueued(actor: string, options: { neverTried?: boolean } = {}): Promise<PrintQueueRun> {
    const jobs: PrintJobView[] = [];
    for (const id of await queuedPrintJobIds(db, deps.workstation, options)) jobs.push(await attempt(id, actor, 'if-queued'));
    return {
      printed: jobs.filter((j) => j.status === 'sent' || j.status === 'printed').length,
      stillQueued: (await queuedPrintJobIds(db, deps.workstation)).length,
      jobs,
    };
  }

  let timers: NodeJS.Timeout[] = [];
  return {
    attempt,
    follow,
    retryQueued,

    /** Follows sent jobs and retries refused ones on timers, at once and then every few seconds. Returns the stop function. */
    start(options: PrintDeliveryTimers = {}): () => void {
      let busy = false;
      const guard = (work: () => Promise<unknown>) => async () => {
        if (busy) return;
        busy = true;
        try {
          await work();
        } catch (e) {
          deps.log.error('The print queue could not be worked; it tries again', { error: (e as Error).message });
        } finally {
          busy = false;
        }
      };
      const followTick = guard(follow);
      const retryTick = guard(() => retryQueued(RETRY_ACTOR));
      void retryTick().then(followTick);
      timers = [setInterval(() => void followTick(), options.followEveryMs ?? 10_000), setInterval(() => void retryTick(), options.retryEveryMs ?? 60_000)];
      for (const t of timers) t.unref?.();
      return () => {
        for (const t of timers) clearInterval(t);
        timers = [];
      };
    },
  };
}

export type PrintDelivery = ReturnType<typeof createPrintDelivery>;
