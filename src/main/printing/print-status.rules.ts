import type { PrintJobStatus, PrintJobView } from '../../shared/contract/documents';
import type { PrintSystem, PrintSystemJobState } from '../../shared/contract/printers';
import type { PrintJobTrackingColumns } from '../db/schema';

/** Where a print job is, in one sentence for the clerk, from its row. Pure. */

export interface PrintJobFacts extends Pick<PrintJobTrackingColumns, 'system' | 'system_printer' | 'system_job_id' | 'system_state' | 'system_reason' | 'sent_at'> {
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  discarded_by: string | null;
}

/** Ends a reason as a sentence: "Out of paper" → "Out of paper." */
export function asSentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

const SYSTEM_NAME: Record<PrintSystem, string> = { cups: 'CUPS', windows: 'Windows', dialog: 'the print dialog', none: 'this computer' };

function whereSent(f: PrintJobFacts): string {
  const printer = f.system_printer ?? 'the printer';
  // The dialog names no printer: it is recorded as "the printer chosen in the print dialog".
  if (f.system === 'dialog') return `Sent to ${printer}`;
  return f.system_job_id ? `Sent to printer ${printer} as job ${f.system_job_id}` : `Sent to printer ${printer}`;
}

function theJob(f: PrintJobFacts): string {
  return f.system_job_id ? `job ${f.system_job_id}` : 'the job';
}

function jobLabel(f: PrintJobFacts): string {
  return f.system_job_id ? ` (job ${f.system_job_id})` : '';
}

export function printStatusText(f: PrintJobFacts): string {
  const printer = f.system_printer ?? 'the printer';
  const reason = f.system_reason ? asSentence(f.system_reason) : '';
  switch (f.status) {
    case 'queued':
      if (f.attempts === 0) return 'Waiting to be sent to the printer.';
      return `Not printed yet: ${asSentence(f.last_error ?? 'the printer did not take it')} AR Desk tries again.`;
    case 'sent':
      switch (f.system_state) {
        case 'printing':
          return `Printing on ${printer}${jobLabel(f)}.`;
        case 'held':
          return `Held by the printer ${printer}${jobLabel(f)}: ${reason || 'no reason given.'}`;
        case 'queued':
          return `${whereSent(f)}; waiting in the printer's queue.`;
        default:
          if (!f.system_job_id && f.system) return `${whereSent(f)}. ${asSentence(`${SYSTEM_NAME[f.system]} does not report when it is printed`)}`;
          return `${whereSent(f)}.${reason ? ` ${reason}` : ''}`;
      }
    case 'printed':
      return f.system_printer ? `Printed on ${printer}${jobLabel(f)}.` : 'Printed.';
    case 'failed':
      if (f.system_state === 'aborted') return `The printer ${printer} aborted ${theJob(f)}: ${reason || 'no reason given.'} Print it again.`;
      if (f.system_state === 'cancelled') return `${asSentence(theJob(f)).slice(0, -1)} was cancelled at ${printer}: ${reason || 'no reason given.'} Print it again if it is still needed.`;
      return `Not printed: ${asSentence(f.last_error ?? 'the document could not be printed')}`;
    case 'discarded':
      return f.discarded_by ? `Discarded by ${f.discarded_by}.` : 'Discarded.';
  }
}

/** The tracking part of a print job's view. */
export function printTrackingView(f: PrintJobFacts): Pick<PrintJobView, 'sentTo' | 'systemState' | 'systemReason' | 'statusText'> {
  return {
    sentTo:
      f.system && f.system_printer && f.sent_at
        ? { system: f.system, printer: f.system_printer, jobId: f.system_job_id, at: f.sent_at }
        : null,
    systemState: f.system_state satisfies PrintSystemJobState | null,
    systemReason: f.system_reason,
    statusText: printStatusText(f),
  };
}

/** The job states still worth asking the print system about. */
export const FOLLOWED_STATES = ['queued', 'printing', 'held'] as const satisfies readonly PrintSystemJobState[];

/** What AR Desk's status becomes when the print system says `state`. */
export function statusAfter(state: PrintSystemJobState): 'sent' | 'printed' | 'failed' {
  if (state === 'completed') return 'printed';
  if (state === 'aborted' || state === 'cancelled') return 'failed';
  return 'sent';
}
