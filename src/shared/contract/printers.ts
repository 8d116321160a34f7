import { z } from 'zod';
import { channel } from './define';

/** The print systems AR Desk hands documents to: CUPS (Linux, macOS), Windows, Electron's print dialog. */
export const PRINT_SYSTEMS = ['cups', 'windows', 'dialog', 'none'] as const;
export type PrintSystem = (typeof PRINT_SYSTEMS)[number];

/**
 * What the print system says about a job it accepted. `held`: it waits at the printer (stopped,
 * paused, out of paper, held for release). `unknown`: the system cannot be asked (Windows, the
 * print dialog) or no longer knows the job.
 */
export const PRINT_SYSTEM_JOB_STATES = ['queued', 'printing', 'held', 'completed', 'aborted', 'cancelled', 'unknown'] as const;
export type PrintSystemJobState = (typeof PRINT_SYSTEM_JOB_STATES)[number];

export const PAPER_SIZES = ['Letter', 'A4'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

export const PRINTER_STATES = ['idle', 'printing', 'stopped', 'unknown'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export interface PrinterInfo {
  name: string;
  isDefault: boolean;
  state: PrinterState;
  /** false when the printer refuses new jobs (CUPS: cupsreject). */
  accepting: boolean;
  /** The print system's message about the printer (why it is stopped), or null. */
  reason: string | null;
}

export interface PrinterListView {
  system: PrintSystem;
  printers: PrinterInfo[];
  /** Why the list could not be read (the print system is not running), in words; null when it was. */
  problem: string | null;
}

/** Where the print system took an AR Desk print job: "sent to printer X as job N". */
export interface PrintSentTo {
  system: PrintSystem;
  printer: string;
  /** The print system's job number; null when the system gives none (Windows, the print dialog). */
  jobId: string | null;
  at: string;
}

/** A printer name as the settings keep it (CUPS queue names, Windows printer names with spaces and backslashes). */
export const printerNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'enter a printer name' })
  .max(127, { error: 'must be at most 127 characters' })
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), { error: 'must not contain control characters' });

export const printersChannels = {
  /** The printers of this workstation's print system and which one is the default. */
  'printers.list': channel<PrinterListView>()(z.strictObject({})),
};
