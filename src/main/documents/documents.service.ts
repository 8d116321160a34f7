import type { CoreDeps } from '../deps';
import { isoDateIn } from '../clock';
import { AppError, validationError } from '../../shared/errors';
import type { AppSettings } from '../../shared/settings';
import { isEmailAddress } from '../../shared/validation';
import type {
  DocumentRef,
  OutboxMessageView,
  OutboxStatus,
  PdfFile,
  PrintJobStatus,
  PrintJobView,
  PrintQueueRun,
} from '../../shared/contract/documents';
import { loadFonts, type FontBytes } from './fonts';
import { fillTemplate, formatInstant, formatDate, formatMoney } from './format.rules';
import { buildDocument, describeDocument, refFromStored, type BuiltDocument } from './render';
import {
  discardPrintJob,
  insertOutboxMessage,
  insertPrintJob,
  listOutbox,
  listPrintJobs,
  newMessageId,
  outboxMessageView,
  outboxRowById,
  printJobById,
  printJobView,
  recipientProblem,
  transitionOutbox,
} from './queue.repo';
import { createPrintDelivery } from '../printing/print.delivery';
import { setPrintRequest } from '../printing/print-jobs.repo';
import { invoiceEmailText, invoiceFactsOf } from './invoice.email';
import { createOutboxSender, type OutboxSenderOptions } from './outbox.sender';
import type { Db, Tx } from '../db/types';
import { writeTx } from '../db/dialect';

const toIso = (now: Date | string): string => (typeof now === 'string' ? new Date(now).toISOString() : now.toISOString());

// ---------------------------------------------------------------- queueing inside another transaction

export interface QueueEmailInput {
  /** The recipient; empty or malformed holds the message as failed until the clerk enters one. */
  to: string | null | undefined;
  subject: string;
  body: string;
  attachment: { ref: DocumentRef; fileName: string; pdf: Uint8Array } | null;
  customerId?: number | null;
  paymentId?: number | null;
  /** Sender address of the settings; its domain goes into the Message-ID. */
  from: string;
  actor: string;
  now: Date | string;
}

/**
 * Puts a message in the outbox inside the caller's transaction, so it exists exactly when the
 * record it belongs to does. Never throws for a missing address: the message waits as failed
 * with the reason, because a payment already charged must still commit.
 */
export async function queueEmail(trx: Tx, input: QueueEmailInput): Promise<number> {
  const to = (input.to ?? '').trim();
  const problem = recipientProblem(to);
  return insertOutboxMessage(trx, {
    to,
    subject: input.subject,
    body: input.body,
    attachment: input.attachment,
    customerId: input.customerId ?? null,
    paymentId: input.paymentId ?? null,
    messageId: newMessageId(input.from),
    status: problem ? 'failed' : 'queued',
    lastError: problem,
    actor: input.actor,
    at: toIso(input.now),
  });
}

export function confirmationEmailText(doc: BuiltDocument, settings: AppSettings): { subject: string; body: string } {
  const f = doc.figures;
  const when = formatInstant(String(f.at), settings);
  const values = {
    confirmationNumber: String(f.confirmationNumber ?? ''),
    customerName: String(f.customerName ?? ''),
    customerNumber: String(f.customerNumber ?? ''),
    amount: formatMoney(Number(f.amountCents ?? 0), settings.numberFormat),
    date: when.date,
    time: when.time,
    method: String(f.method ?? ''),
    companyName: settings.company.name,
    companyPhone: settings.company.phone,
    companyEmail: settings.company.email,
  };
  const t = settings.email.templates;
  const body = fillTemplate(Number(f.autopay ?? 0) === 1 ? t.autopayReceiptBody : t.confirmationBody, values); // autopay's receipt, or the confirmation
  // Whatever the office's template says, a phone debit's email carries the customer's written notice of the authorization.
  const notice = String(f.authorizationNotice ?? '');
  return { subject: fillTemplate(Number(f.autopay ?? 0) === 1 ? t.autopayReceiptSubject : t.confirmationSubject, values), body: notice ? `${body}\n\nYour authorization of this debit, as read to you on the phone:\n${notice}` : body };
}

export function statementEmailText(doc: BuiltDocument, asOf: string, settings: AppSettings): { subject: string; body: string } {
  const f = doc.figures;
  const values = {
    customerName: String(f.customerName ?? ''),
    customerNumber: String(f.customerNumber ?? ''),
    asOf: formatDate(asOf, settings.dateFormat),
    balanceDue: formatMoney(Number(f.balanceDueCents ?? 0), settings.numberFormat),
    pastDue: formatMoney(Number(f.pastDueCents ?? 0), settings.numberFormat),
    companyName: settings.company.name,
    companyPhone: settings.company.phone,
    companyEmail: settings.company.email,
  };
  const t = settings.email.templates;
  return { subject: fillTemplate(t.statementSubject, values), body: fillTemplate(t.statementBody, values) };
}

export interface EnqueueConfirmationInput {
  paymentId: number;
  delivery: 'print' | 'email';
  /** The address the clerk confirmed; the customer's email on file when absent. */
  emailTo?: string | null;
  /** The workstation whose printer prints it (the one queueing it); null for any. */
  workstation?: string | null;
  actor: string;
  now: Date | string;
}

export type EnqueueConfirmationResult = { delivery: 'print'; printJobId: number } | { delivery: 'email'; outboxId: number };

/**
 * Queues a payment's confirmation for printing or email inside the caller's transaction (the
 * payment's approval). Call it after the applications are posted and the confirmation number is
 * set: for email the PDF is drawn from what `trx` sees and stored with the message.
 */
export async function enqueuePaymentConfirmationWith(
  trx: Tx,
  input: EnqueueConfirmationInput,
  settings: AppSettings,
  fonts: FontBytes = loadFonts(),
): Promise<EnqueueConfirmationResult> {
  const ref: DocumentRef = { kind: 'confirmation', paymentId: input.paymentId };
  const at = toIso(input.now);
  if (input.delivery === 'print') {
    const about = await describeDocument(trx, ref, settings);
    const printJobId = await insertPrintJob(trx, { ref, ...about, workstation: input.workstation ?? null, actor: input.actor, at });
    return { delivery: 'print', printJobId };
  }
  const doc = await buildDocument(trx, ref, settings, fonts);
  let to = input.emailTo?.trim();
  if (!to) {
    const c = await trx.selectFrom('customers').select('email').where('id', '=', doc.customerId!).executeTakeFirst();
    to = c?.email?.trim() ?? '';
  }
  const text = confirmationEmailText(doc, settings);
  const outboxId = await queueEmail(trx, {
    to,
    ...text,
    attachment: { ref, fileName: doc.fileName, pdf: doc.bytes },
    customerId: doc.customerId,
    paymentId: doc.paymentId,
    from: settings.email.from,
    actor: input.actor,
    now: at,
  });
  return { delivery: 'email', outboxId };
}

// ---------------------------------------------------------------- the service

export interface DocumentsOptions {
  fontsDir?: string;
  sender?: OutboxSenderOptions;
}

export function createDocumentsService(deps: CoreDeps, options: DocumentsOptions = {}) {
  const db = deps.ledger.db;
  const fonts = () => loadFonts(options.fontsDir);
  const nowIso = () => deps.clock.now().toISOString();
  // An attachment queued by reference only (the billing run's invoices) is drawn when the message is sent.
  const drawAttachment = async (ref: DocumentRef) => (await buildDocument(db, ref, deps.settings.get(), fonts())).bytes;
  const sender = createOutboxSender(
    { db, clock: deps.clock, mailer: deps.mailer, settings: deps.settings, log: deps.log, workstation: deps.workstation, drawAttachment },
    options.sender,
  );

  // The print queue's delivery to the print system and the following of what it took: printing/print.delivery.ts.
  const printing = createPrintDelivery({
    db,
    printer: deps.printer,
    settings: deps.settings,
    clock: deps.clock,
    log: deps.log,
    workstation: deps.workstation,
    build: (job, settings) => buildDocument(db, refFromStored(job.document_kind, job.document_ref), settings, fonts()),
  });

  async function build(ref: DocumentRef, on: Db = db): Promise<BuiltDocument> {
    return buildDocument(on, ref, deps.settings.get(), fonts());
  }

  const attemptPrint = (jobId: number, actor: string): Promise<PrintJobView> => printing.attempt(jobId, actor, 'again');
  const printQueued = (actor: string, options: { neverTried?: boolean } = {}): Promise<PrintQueueRun> => printing.retryQueued(actor, options);

  async function outboxMessage(id: number): Promise<OutboxMessageView> {
    const view = await outboxMessageView(db, id);
    if (!view) throw new AppError('NOT_FOUND', `There is no outbox message ${id}.`, { outboxId: id });
    return view;
  }

  async function changeOutbox(
    id: number,
    from: OutboxStatus[],
    change: Parameters<typeof transitionOutbox>[3],
    refusal: (status: OutboxStatus) => string,
  ): Promise<OutboxMessageView> {
    const moved = await writeTx(db, async (trx) => {
      const row = await outboxRowById(trx, id);
      if (!row) throw new AppError('NOT_FOUND', `There is no outbox message ${id}.`, { outboxId: id });
      if (!from.includes(row.status)) throw new AppError('CONFLICT', refusal(row.status), { outboxId: id, status: row.status });
      return transitionOutbox(trx, id, from, change);
    });
    if (moved && change.status === 'queued') sender.kick();
    return outboxMessage(id);
  }

  return {
    /** A document rebuilt from the ledger. */
    build,

    async pdf(ref: DocumentRef): Promise<PdfFile> {
      const doc = await build(ref);
      return { fileName: doc.fileName, title: doc.title, pageCount: doc.pageCount, base64: Buffer.from(doc.bytes).toString('base64') };
    },

    // ---- print queue
    /**
     * Print jobs, newest first: this workstation's (and those from before workstations were
     * recorded) unless `workstation` is 'all'; what the print system took here is asked about first.
     */
    async listPrintJobs(filter: {
      status: PrintJobStatus | 'all';
      limit: number;
      paymentId?: number | undefined;
      workstation?: 'this' | 'all' | undefined;
    }): Promise<PrintJobView[]> {
      await printing.follow();
      const { workstation, ...rest } = filter;
      return (await listPrintJobs(db, { ...rest, ...(workstation === 'all' ? {} : { workstation: deps.workstation }) })).map(printJobView);
    },

    /** Queues a document and prints it now; when the print system refuses it the job stays queued with the reason. */
    async printDocument(ref: DocumentRef, actor: string, request: { printer?: string | null; copies?: number | null } = {}): Promise<PrintJobView> {
      const settings = deps.settings.get();
      const jobId = await writeTx(db, async (trx) => {
        const about = await describeDocument(trx, ref, settings);
        const id = await insertPrintJob(trx, { ref, ...about, workstation: deps.workstation, actor, at: nowIso() });
        await setPrintRequest(trx, id, request);
        return id;
      });
      return attemptPrint(jobId, actor);
    },

    printAgain: attemptPrint,

    /** Prints what is queued, oldest first (after the printer is back). */
    retryPrintQueue: (actor: string) => printQueued(actor),

    async discardPrintJob(jobId: number, actor: string): Promise<PrintJobView> {
      await writeTx(db, async (trx) => {
        const job = await printJobById(trx, jobId);
        if (!job) throw new AppError('NOT_FOUND', `There is no print job ${jobId}.`, { jobId });
        if (job.status === 'discarded') return;
        if (job.status === 'printed') throw new AppError('CONFLICT', `Print job ${jobId} was already printed.`, { jobId });
        if (job.status === 'sent') throw new AppError('CONFLICT', `Print job ${jobId} is at the printer ${job.system_printer ?? ''}; cancel it there.`, { jobId });
        await discardPrintJob(trx, jobId, actor, nowIso());
      });
      return printJobView((await printJobById(db, jobId))!);
    },

    // ---- outbox
    listOutbox: (filter: { status: OutboxStatus | 'all'; limit: number }) => listOutbox(db, filter),

    retryEmail(outboxId: number, actor: string): Promise<OutboxMessageView> {
      const at = nowIso();
      return changeOutbox(
        outboxId,
        ['failed', 'queued'],
        { status: 'queued', at, actor, action: 'email.retry', nextAttemptAt: at, resetAttempts: true },
        (s) => `This message is ${s}; only a failed or waiting message can be retried.`,
      );
    },

    cancelEmail(outboxId: number, actor: string): Promise<OutboxMessageView> {
      return changeOutbox(
        outboxId,
        ['failed', 'queued'],
        { status: 'cancelled', at: nowIso(), actor, action: 'email.cancel' },
        (s) => (s === 'sending' ? 'This message is being sent right now.' : `This message is already ${s}.`),
      );
    },

    /** Changes the recipient of a message not yet sent; a failed one is queued again with it. */
    async setEmailRecipient(outboxId: number, to: string, actor: string): Promise<OutboxMessageView> {
      const address = to.trim();
      if (!isEmailAddress(address)) throw validationError('to', `"${to}" is not an email address`);
      const before = await outboxMessage(outboxId);
      const at = nowIso();
      return changeOutbox(
        outboxId,
        ['failed', 'queued'],
        {
          status: 'queued',
          at,
          actor,
          action: 'email.set_recipient',
          to: address,
          nextAttemptAt: at,
          ...(before.status === 'failed' ? { resetAttempts: true, lastError: null } : {}),
          summary: { from: before.to, to: address },
        },
        (s) => (s === 'sending' ? 'This message is being sent right now.' : `This message is already ${s}.`),
      );
    },

    /** Queues a customer's statement by email; the message and its PDF are written in one transaction. */
    async emailStatement(input: { customerNumber: string; asOf?: string | undefined; to?: string | undefined }, actor: string): Promise<OutboxMessageView> {
      const settings = deps.settings.get();
      const asOf = input.asOf ?? isoDateIn(deps.clock.now(), settings.timeZone);
      const ref: DocumentRef = { kind: 'statement', customerNumber: input.customerNumber, asOf };
      const id = await writeTx(db, async (trx) => {
        const doc = await buildDocument(trx, ref, settings, fonts());
        const customer = await trx.selectFrom('customers').select('email').where('id', '=', doc.customerId!).executeTakeFirstOrThrow();
        return queueEmail(trx, {
          to: input.to ?? customer.email,
          ...statementEmailText(doc, asOf, settings),
          attachment: { ref, fileName: doc.fileName, pdf: doc.bytes },
          customerId: doc.customerId,
          from: settings.email.from,
          actor,
          now: deps.clock.now(),
        });
      });
      sender.kick();
      return outboxMessage(id);
    },

    /** Queues an invoice by email with its PDF, in one transaction. */
    async emailInvoice(input: { invoiceNumber: string; to?: string | undefined }, actor: string): Promise<OutboxMessageView> {
      const settings = deps.settings.get();
      const ref: DocumentRef = { kind: 'invoice', invoiceNumber: input.invoiceNumber };
      const id = await writeTx(db, async (trx) => {
        const doc = await buildDocument(trx, ref, settings, fonts());
        const customer = await trx.selectFrom('customers').select('email').where('id', '=', doc.customerId!).executeTakeFirstOrThrow();
        return queueEmail(trx, {
          to: input.to ?? customer.email,
          ...invoiceEmailText(invoiceFactsOf(doc, input.invoiceNumber), settings),
          attachment: { ref, fileName: doc.fileName, pdf: doc.bytes },
          customerId: doc.customerId,
          from: settings.email.from,
          actor,
          now: deps.clock.now(),
        });
      });
      sender.kick();
      return outboxMessage(id);
    },

    /** Queues a payment's confirmation by email (again). */
    async emailConfirmation(input: { paymentId: number; to?: string | undefined }, actor: string): Promise<OutboxMessageView> {
      const settings = deps.settings.get();
      const result = await writeTx(db, (trx) =>
        enqueuePaymentConfirmationWith(trx, { paymentId: input.paymentId, delivery: 'email', emailTo: input.to ?? null, actor, now: deps.clock.now() }, settings, fonts()),
      );
      sender.kick();
      return outboxMessage((result as { outboxId: number }).outboxId);
    },

    /**
     * For the payment approval: queue the confirmation in the approval's transaction.
     * After that transaction commits, call deliverQueued() to print or send it right away.
     */
    enqueuePaymentConfirmation(trx: Tx, input: EnqueueConfirmationInput): Promise<EnqueueConfirmationResult> {
      return enqueuePaymentConfirmationWith(trx, { ...input, workstation: deps.workstation }, deps.settings.get(), fonts());
    },

    /** Prints jobs never tried yet and asks the sender for a pass: what just got queued goes out now. */
    async deliverQueued(actor: string): Promise<PrintQueueRun> {
      sender.kick();
      return printQueued(actor, { neverTried: true });
    },

    sender,
    /** Follows what the print system took and retries what it refused: start() in the app. */
    printing,
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
