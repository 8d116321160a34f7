import type { PrintJobView } from '../../../shared/contract/documents';

/**
 * How the screens show and follow AR Desk's print jobs. Main words where a job is (`statusText`);
 * here is only what the renderer adds: a badge, a colour, and how often to ask again.
 */

/** While the print system has a job (or one is about to go), ask every couple of seconds: the clerk is waiting for paper. */
export const FOLLOW_PRINT_MS = 2_000;

/** A job the print system took and has not finished: printing, waiting in its queue, or held. */
export function atPrinter(job: PrintJobView): boolean {
  return job.status === 'sent';
}

/** A job whose status will change on its own soon: at the printer, or queued and not tried yet. */
export function moving(job: PrintJobView): boolean {
  return atPrinter(job) || (job.status === 'queued' && job.attempts === 0);
}

export type PrintTone = 'waiting' | 'moving' | 'held' | 'done' | 'failed' | 'gone';

/** What kind of news the job's status is for the clerk. */
export function printTone(job: PrintJobView): PrintTone {
  switch (job.status) {
    case 'queued':
      return job.attempts === 0 ? 'moving' : 'waiting';
    case 'sent':
      return job.systemState === 'held' ? 'held' : 'moving';
    case 'printed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'discarded':
      return 'gone';
  }
}

/** The badge of a job in the print queue: held and printing are told apart from "sent". */
export function printBadge(job: PrintJobView): { label: string; color: string } {
  switch (job.status) {
    case 'queued':
      return { label: 'Queued', color: 'blue' };
    case 'sent':
      if (job.systemState === 'held') return { label: 'Held at printer', color: 'orange' };
      if (job.systemState === 'printing') return { label: 'Printing', color: 'indigo' };
      return { label: 'Sent to printer', color: 'indigo' };
    case 'printed':
      return { label: 'Printed', color: 'teal' };
    case 'failed':
      return { label: 'Failed', color: 'red' };
    case 'discarded':
      return { label: 'Discarded', color: 'gray' };
  }
}

/** The colour of a job's status sentence: dark enough to read on white and on a striped row. */
export const TONE_TEXT: Record<PrintTone, string> = {
  waiting: 'var(--mantine-color-red-9)',
  moving: 'var(--mantine-color-text)',
  held: 'var(--mantine-color-orange-light-color)',
  done: 'var(--mantine-color-teal-light-color)',
  failed: 'var(--mantine-color-red-9)',
  gone: 'var(--mantine-color-dimmed)',
};
