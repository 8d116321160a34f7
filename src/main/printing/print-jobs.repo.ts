import type { Db } from '../db/types';
import { withDocumentTables, type PrintJobRow } from '../documents/documents.tables';
import { printedBy } from '../documents/queue.repo';
import { appendAudit } from '../staff/audit.repo';
import type { PrintJobRef, PrintSystemJobStatus } from './printer.port';
import { FOLLOWED_STATES, statusAfter } from './print-status.rules';

/** Writes of the print queue about the print system: a job sent, and what the system said since. Each change is audited on the same handle. */

/** Fixes the printer and copies of a job (the CLI's --printer, --copies); null leaves it to the settings. */
export async function setPrintRequest(db: Db, id: number, request: { printer?: string | null; copies?: number | null }): Promise<void> {
  if (!request.printer && !request.copies) return;
  await withDocumentTables(db)
    .updateTable('print_jobs')
    .set({ requested_printer: request.printer ?? null, requested_copies: request.copies ?? null })
    .where('id', '=', id)
    .execute();
}

/** The print system took the job: it leaves AR Desk's queue as 'sent', with where it went. */
export async function recordPrintSent(
  db: Db,
  id: number,
  sent: { ref: PrintJobRef; status: PrintSystemJobStatus; actor: string; at: string },
): Promise<void> {
  await withDocumentTables(db)
    .updateTable('print_jobs')
    .set((eb) => ({
      status: 'sent',
      attempts: eb('attempts', '+', 1),
      last_error: null,
      last_attempt_at: sent.at,
      printed_at: null,
      system: sent.ref.system,
      system_printer: sent.ref.printer,
      system_job_id: sent.ref.jobId,
      system_state: sent.status.state,
      system_reason: sent.status.reason,
      sent_at: sent.at,
      system_checked_at: sent.at,
      updated_at: sent.at,
    }))
    .where('id', '=', id)
    .execute();
  await appendAudit(db, {
    at: sent.at,
    actor: sent.actor,
    action: 'print.sent',
    entity: 'print_job',
    entityId: id,
    summary: { system: sent.ref.system, printer: sent.ref.printer, jobId: sent.ref.jobId },
  });
}

/** Another refusal for the same reason: the attempt is counted, the audit row of the first one stands. */
export async function countRetry(db: Db, id: number, at: string): Promise<void> {
  await withDocumentTables(db)
    .updateTable('print_jobs')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_attempt_at: at, updated_at: at }))
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/**
 * Makes a job this workstation's to print. A job queued before workstations were recorded is taken
 * only while no other workstation has taken it; `fromAnother` (a reprint asked for here) also takes
 * one another workstation queued, which then prints here. True when the job is this workstation's.
 */
export async function takePrintJob(db: Db, id: number, workstation: string, options: { fromAnother: boolean }): Promise<boolean> {
  let q = withDocumentTables(db).updateTable('print_jobs').set({ workstation }).where('id', '=', id);
  if (!options.fromAnother) q = q.where('workstation', 'is', null);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

/** This workstation's jobs the print system took and may still change: queued, printing or held there. */
export async function followedPrintJobs(db: Db, workstation: string): Promise<PrintJobRow[]> {
  return withDocumentTables(db)
    .selectFrom('print_jobs')
    .selectAll()
    .where(printedBy(workstation))
    .where('status', '=', 'sent')
    .where('system_job_id', 'is not', null)
    .where('system_state', 'in', [...FOLLOWED_STATES])
    .orderBy('id')
    .execute();
}

/**
 * Records what the print system now says about a sent job: completed makes it printed, aborted or
 * cancelled makes it failed with the reason. Only while the row still is that system job (a reprint
 * in between sent a new one); true when something changed.
 */
export async function recordSystemStatus(
  db: Db,
  row: Pick<PrintJobRow, 'id' | 'system_job_id' | 'system_state' | 'system_reason' | 'system_printer'>,
  status: PrintSystemJobStatus,
  at: string,
): Promise<boolean> {
  const changed = status.state !== row.system_state || status.reason !== row.system_reason;
  const next = statusAfter(status.state);
  const d = withDocumentTables(db);
  const result = await d
    .updateTable('print_jobs')
    .set({
      system_checked_at: at,
      ...(changed
        ? {
            system_state: status.state,
            system_reason: status.reason,
            status: next,
            updated_at: at,
            ...(next === 'printed' ? { printed_at: at } : {}),
            ...(next === 'failed' ? { last_error: `The printer ${row.system_printer ?? ''} ${status.state === 'aborted' ? 'aborted' : 'cancelled'} job ${row.system_job_id ?? ''}: ${status.reason ?? 'no reason given'}` } : {}),
          }
        : {}),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'sent')
    .where('system_job_id', '=', row.system_job_id)
    .executeTakeFirst();
  if (!changed || Number(result.numUpdatedRows) !== 1) return false;
  await appendAudit(db, {
    at,
    actor: 'print-system',
    action: next === 'printed' ? 'print.printed' : next === 'failed' ? 'print.failed' : 'print.system_state',
    entity: 'print_job',
    entityId: row.id,
    summary: { jobId: row.system_job_id, from: row.system_state, to: status.state, ...(status.reason ? { reason: status.reason } : {}) },
  });
  return true;
}
