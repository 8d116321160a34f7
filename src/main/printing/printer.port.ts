import type { PaperSize, PrinterInfo, PrintSystem, PrintSystemJobState } from '../../shared/contract/printers';

/**
 * The operating system's print system as AR Desk sees it. Adapters: CUPS (Linux, macOS),
 * Windows (pdf-to-printer), and Electron's print dialog for "print with dialog". Tests pass fakes.
 */

export interface PrintRequest {
  /** The printer's name as the print system knows it; null or absent for the system's default printer. */
  printer?: string | null;
  copies?: number;
  paper?: PaperSize;
  /** The job's title in the print system's queue, e.g. "Payment confirmation K7QX4M2P". */
  jobName: string;
  /** false asks for the print dialog where the adapter has one; the others print silently anyway. */
  silent?: boolean;
}

/** Where the print system took a job. */
export interface PrintJobRef {
  system: PrintSystem;
  /** The printer it went to (the default printer's name when none was asked for). */
  printer: string;
  /** The print system's job id (CUPS: 12 of "Front-Desk-12"); null when the system gives none. */
  jobId: string | null;
}

/** What the print system says about one of its jobs; the reason in words for held, aborted and cancelled jobs. */
export interface PrintSystemJobStatus {
  state: PrintSystemJobState;
  reason: string | null;
}

export interface PrinterList {
  printers: PrinterInfo[];
  /** The default printer's name, or null when the system has none. */
  defaultPrinter: string | null;
}

/** Why the print system refused a job: the job stays in AR Desk's queue and is tried again. */
export type PrintRefusal = 'no-printer' | 'unknown-printer' | 'spooler-down' | 'not-accepting' | 'no-print-system' | 'cancelled' | 'failed';

export class PrintRefusedError extends Error {
  readonly refusal: PrintRefusal;

  constructor(refusal: PrintRefusal, message: string) {
    super(message);
    this.name = 'PrintRefusedError';
    this.refusal = refusal;
  }
}

export interface Printer {
  readonly system: PrintSystem;
  /**
   * Hands a PDF to the print system. Resolves once the system accepted it (not when it is on
   * paper); rejects, preferably with a PrintRefusedError saying why in words, when it did not.
   */
  print(pdf: Uint8Array, request: PrintRequest): Promise<PrintJobRef>;
  /** The printers of this computer and the default one; rejects when the print system does not answer. */
  listPrinters(): Promise<PrinterList>;
  /** Follows a job the system accepted. Absent when the system cannot be asked (the job is then not followed). */
  jobStatus?(ref: PrintJobRef): Promise<PrintSystemJobStatus>;
}

/** The printer of a computer without one (and of tests that do not print). */
export const noPrinter: Printer = {
  system: 'none',
  print: async () => {
    throw new PrintRefusedError('no-print-system', 'No printer is available here.');
  },
  listPrinters: async () => ({ printers: [], defaultPrinter: null }),
};
