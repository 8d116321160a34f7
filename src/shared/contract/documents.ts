import { z } from 'zod';
import { channel } from './define';
import { isIsoDate } from '../dates';
import type { PrintSentTo, PrintSystemJobState } from './printers';

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date as YYYY-MM-DD');
const customerNumber = z.string().trim().toUpperCase().min(3).max(12);
const emailAddress = z.string().trim().max(254).pipe(z.email({ message: 'must be an email address' }));
const id = z.number().int().positive();

/** Names a document that can be rebuilt from the ledger at any time. */
export const documentRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('confirmation'), paymentId: id }),
  z.strictObject({ kind: z.literal('invoice'), invoiceNumber: z.string().trim().min(1).max(32) }),
  z.strictObject({ kind: z.literal('statement'), customerNumber, asOf: isoDate }),
  z.strictObject({ kind: z.literal('statements'), asOf: isoDate, pastDueOnly: z.boolean() }),
]);
export type DocumentRef = z.infer<typeof documentRefSchema>;
export type DocumentKind = DocumentRef['kind'];

/**
 * queued: AR Desk keeps it because the print system refused it (or it was not tried yet);
 * sent: the print system took it and AR Desk follows it; printed: the print system says it is done;
 * failed: the document could not be built, or the print system aborted or cancelled it.
 */
export const PRINT_JOB_STATUSES = ['queued', 'sent', 'printed', 'discarded', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface PrintJobView {
  id: number;
  document: DocumentRef;
  title: string;
  status: PrintJobStatus;
  attempts: number;
  /** Why the last attempt did not print (printer offline, no printer, ...). */
  lastError: string | null;
  lastAttemptAt: string | null;
  printedAt: string | null;
  createdAt: string;
  createdBy: string;
  /** Where the print system took it ("sent to printer X as job N"); null while AR Desk keeps it. */
  sentTo: PrintSentTo | null;
  /** What the print system last said about it; unknown when the system cannot be asked (Windows, the print dialog). */
  systemState: PrintSystemJobState | null;
  /** The print system's reason in words: why it is held, aborted or cancelled. */
  systemReason: string | null;
  /** One sentence for the clerk: where the job is, and why when it is not printed. */
  statusText: string;
}

export interface OutboxMessageView {
  id: number;
  to: string;
  subject: string;
  body: string;
  /** The attached PDF's file name and what it is; null for a message without attachment. */
  attachmentName: string | null;
  attachmentBytes: number | null;
  document: DocumentRef | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  /** The Message-ID header the message carries (the same on every attempt). */
  messageId: string;
  createdAt: string;
  createdBy: string;
}

export interface PdfFile {
  fileName: string;
  title: string;
  pageCount: number;
  /** The PDF's bytes, base64: the renderer offers them as a download. */
  base64: string;
}

export interface PrintQueueRun {
  /** Jobs the print system took in this run (sent, or already reported printed). */
  printed: number;
  stillQueued: number;
  jobs: PrintJobView[];
}

/** A batch of statements being written as a series of PDF files into a folder of this workstation. */
export interface StatementBatchView {
  id: number;
  asOf: string;
  pastDueOnly: boolean;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  /** The folder the files go into (a new one for each batch). */
  folder: string;
  /** Customers looked at so far, of all the ledger's customers: the progress. */
  customersRead: number;
  customers: number;
  /** Statements drawn so far; when finished, those in the written files. */
  statements: number;
  /** The files completed (a cancelled batch keeps these, and leaves no partial one). */
  files: { name: string; statements: number; pages: number }[];
  balanceDueCents: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const printStatusFilter = z.enum([...PRINT_JOB_STATUSES, 'all']).default('all');
const outboxStatusFilter = z.enum([...OUTBOX_STATUSES, 'all']).default('all');

export const documentsChannels = {
  /**
   * Print jobs, newest first (a payment's only, with paymentId); jobs the print system took are asked
   * about first. 'this' workstation's (the default: those its printer prints, and those from before
   * workstations were recorded), or 'all' of the office.
   */
  'documents.printJobs': channel<{ jobs: PrintJobView[] }>()(
    z.strictObject({
      status: printStatusFilter,
      limit: z.number().int().min(1).max(1000).default(200),
      paymentId: id.optional(),
      workstation: z.enum(['this', 'all']).default('this'),
    }),
  ),
  /** Queues a document for printing and prints it now if the printer answers; else it stays queued with the reason. */
  'documents.print': channel<PrintJobView>()(z.strictObject({ document: documentRefSchema })),
  /** Prints a job again (a queued one, or a reprint of a printed one). */
  'documents.printAgain': channel<PrintJobView>()(z.strictObject({ jobId: id })),
  /** Prints every queued job, oldest first. */
  'documents.printQueued': channel<PrintQueueRun>()(z.strictObject({})),
  'documents.discardPrintJob': channel<PrintJobView>()(z.strictObject({ jobId: id })),
  /** The document as a PDF file (save as PDF). */
  'documents.pdf': channel<PdfFile>()(z.strictObject({ document: documentRefSchema })),

  /** Outbox messages, newest first. */
  'documents.outbox': channel<{ messages: OutboxMessageView[] }>()(
    z.strictObject({ status: outboxStatusFilter, limit: z.number().int().min(1).max(1000).default(200) }),
  ),
  /** Puts a failed or waiting message back in line to go now. */
  'documents.retryEmail': channel<OutboxMessageView>()(z.strictObject({ outboxId: id })),
  'documents.cancelEmail': channel<OutboxMessageView>()(z.strictObject({ outboxId: id })),
  /** Changes the recipient of a message that has not gone out. */
  'documents.setEmailRecipient': channel<OutboxMessageView>()(z.strictObject({ outboxId: id, to: emailAddress })),
  /** Starts writing every statement of a date (or the past-due ones) as a series of PDF files; one batch at a time. */
  'documents.startStatementBatch': channel<StatementBatchView>()(z.strictObject({ asOf: isoDate, pastDueOnly: z.boolean().default(false) })),
  /** A batch's progress, or its result. */
  'documents.statementBatch': channel<StatementBatchView>()(z.strictObject({ batchId: id })),
  /** Stops a running batch: the files already completed stay, the one being drawn is not written. */
  'documents.cancelStatementBatch': channel<StatementBatchView>()(z.strictObject({ batchId: id })),
  /** Queues a customer's statement by email (to the customer's email unless `to` is given). */
  'documents.emailStatement': channel<OutboxMessageView>()(
    z.strictObject({ customerNumber, asOf: isoDate.optional(), to: emailAddress.optional() }),
  ),
  /** Queues an invoice by email (to the customer's email unless `to` is given). */
  'documents.emailInvoice': channel<OutboxMessageView>()(
    z.strictObject({ invoiceNumber: z.string().trim().min(1).max(32), to: emailAddress.optional() }),
  ),
  /** Queues a payment's confirmation by email again (to the customer's email unless `to` is given). */
  'documents.emailConfirmation': channel<OutboxMessageView>()(z.strictObject({ paymentId: id, to: emailAddress.optional() })),
};
