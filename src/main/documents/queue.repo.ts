import crypto from 'node:crypto';
import { appendAudit } from '../staff/audit.repo';
import type { DocumentRef, OutboxMessageView, OutboxStatus, PrintJobStatus, PrintJobView } from '../../shared/contract/documents';
import type { Db, Tx } from '../db/types';
import type { ExpressionBuilder } from 'kysely';
import { withDocumentTables, type DocsDB, type OutboxRow, type PrintJobRow } from './documents.tables';
import { refFromStored, refToJson } from './render';
import { printTrackingView } from '../printing/print-status.rules';
import { isEmailAddress } from '../../shared/validation';

/** Queries of the print queue and the outbox. Each write appends its audit row on the same handle. */

// ---------------------------------------------------------------- print jobs

export function printJobView(r: PrintJobRow): PrintJobView {
  return {
    id: r.id,
    document: refFromStored(r.document_kind, r.document_ref),
    title: r.title,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
    printedAt: r.printed_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    ...printTrackingView(r),
  };
}

export interface NewPrintJob {
  ref: DocumentRef;
  title: string;
  customerId: number | null;
  paymentId: number | null;
  /** The workstation that queued it: its printer prints it. */
  workstation: string | null;
  actor: string;
  at: string;
}

export async function insertPrintJob(db: Tx, job: NewPrintJob): Promise<number> {
  const d = withDocumentTables(db);
  const row = await d
    .insertInto('print_jobs')
    .values({
      document_kind: job.ref.kind,
      document_ref: refToJson(job.ref),
      title: job.title,
      customer_id: job.customerId,
      payment_id: job.paymentId,
      status: 'queued',
      workstation: job.workstation,
      created_at: job.at,
      created_by: job.actor,
      updated_at: job.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    at: job.at,
    actor: job.actor,
    action: 'print.queue',
    entity: 'print_job',
    entityId: row.id,
    summary: { document: job.ref, title: job.title },
  });
  return row.id;
}

export async function printJobById(db: Db, id: number): Promise<PrintJobRow | undefined> {
  return withDocumentTables(db).selectFrom('print_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Jobs of this workstation's printer: those it queued, and those queued before workstations were recorded (null). */
export function printedBy(workstation: string) {
  return (eb: ExpressionBuilder<DocsDB, 'print_jobs'>) => eb.or([eb('workstation', '=', workstation), eb('workstation', 'is', null)]);
}

export async function listPrintJobs(
  db: Db,
  filter: { status: PrintJobStatus | 'all'; limit: number; paymentId?: number | undefined; workstation?: string | undefined },
): Promise<PrintJobRow[]> {
  let q = withDocumentTables(db).selectFrom('print_jobs').selectAll();
  if (filter.status !== 'all') q = q.where('status', '=', filter.status);
  if (filter.paymentId !== undefined) q = q.where('payment_id', '=', filter.paymentId);
  if (filter.workstation !== undefined) q = q.where(printedBy(filter.workstation));
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** This workstation's queued jobs, oldest first (or only those never tried). */
export async function queuedPrintJobIds(db: Db, workstation: string, options: { neverTried?: boolean } = {}): Promise<number[]> {
  let q = withDocumentTables(db).selectFrom('print_jobs').select('id').where('status', '=', 'queued').where(printedBy(workstation));
  if (options.neverTried) q = q.where('attempts', '=', 0);
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

export async function recordPrintOutcome(
  db: Tx,
  id: number,
  outcome: { status: 'printed' | 'queued' | 'failed'; error: string | null; actor: string; at: string },
): Promise<void> {
  const d = withDocumentTables(db);
  await d
    .updateTable('print_jobs')
    .set((eb) => ({
      status: outcome.status,
      attempts: eb('attempts', '+', 1),
      last_error: outcome.error,
      last_attempt_at: outcome.at,
      updated_at: outcome.at,
      ...(outcome.status === 'printed' ? { printed_at: outcome.at } : {}),
    }))
    .where('id', '=', id)
    .execute();
  await appendAudit(db, {
    at: outcome.at,
    actor: outcome.actor,
    action: outcome.status === 'printed' ? 'print.printed' : outcome.status === 'failed' ? 'print.failed' : 'print.held',
    entity: 'print_job',
    entityId: id,
    summary: outcome.error ? { reason: outcome.error } : {},
  });
}

export async function discardPrintJob(db: Tx, id: number, actor: string, at: string): Promise<void> {
  await withDocumentTables(db)
    .updateTable('print_jobs')
    .set({ status: 'discarded', discarded_at: at, discarded_by: actor, updated_at: at })
    .where('id', '=', id)
    .execute();
  await appendAudit(db, { at, actor, action: 'print.discard', entity: 'print_job', entityId: id, summary: {} });
}

// ---------------------------------------------------------------- outbox

export function outboxView(r: Omit<OutboxRow, 'attachment_pdf' | 'claimed_by'> & { attachment_bytes: number | null }): OutboxMessageView {
  return {
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    body: r.body,
    attachmentName: r.attachment_name,
    attachmentBytes: r.attachment_bytes,
    document: r.attachment_kind && r.attachment_ref ? refFromStored(r.attachment_kind, r.attachment_ref) : null,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'queued' ? r.next_attempt_at : null,
    lastError: r.last_error,
    sentAt: r.sent_at,
    messageId: r.message_id,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** Why a message cannot go to `to` as it is (it waits as failed for the clerk to correct it), or null when it can. */
export function recipientProblem(to: string): string | null {
  if (isEmailAddress(to)) return null;
  return to ? `"${to}" is not an email address: correct the recipient, then retry.` : 'No email address on file: enter the recipient, then retry.';
}

/** A Message-ID made once, when the message is queued; the domain is the sender's. */
export function newMessageId(from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'ar-desk.invalid';
  return `<${crypto.randomUUID()}@${domain}>`;
}

export interface NewEmail {
  to: string;
  subject: string;
  body: string;
  attachment: { ref: DocumentRef; fileName: string; pdf: Uint8Array } | null;
  customerId: number | null;
  paymentId: number | null;
  messageId: string;
  /** 'failed' with a reason when the message cannot go as it is (no address): the clerk fixes it and retries. */
  status: 'queued' | 'failed';
  lastError: string | null;
  actor: string;
  at: string;
}

export async function insertOutboxMessage(db: Tx, m: NewEmail): Promise<number> {
  const row = await withDocumentTables(db)
    .insertInto('outbox')
    .values({
      message_id: m.messageId,
      to_address: m.to,
      subject: m.subject,
      body: m.body,
      attachment_kind: m.attachment?.ref.kind ?? null,
      attachment_ref: m.attachment ? refToJson(m.attachment.ref) : null,
      attachment_name: m.attachment?.fileName ?? null,
      attachment_pdf: m.attachment ? Buffer.from(m.attachment.pdf) : null,
      customer_id: m.customerId,
      payment_id: m.paymentId,
      status: m.status,
      last_error: m.lastError,
      next_attempt_at: m.at,
      created_at: m.at,
      created_by: m.actor,
      updated_at: m.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    at: m.at,
    actor: m.actor,
    action: 'email.queue',
    entity: 'outbox',
    entityId: row.id,
    summary: {
      to: m.to,
      subject: m.subject,
      document: m.attachment?.ref ?? null,
      ...(m.status === 'failed' ? { held: m.lastError } : {}),
    },
  });
  return row.id;
}

const VIEW_COLUMNS = [
  'id',
  'message_id',
  'to_address',
  'subject',
  'body',
  'attachment_kind',
  'attachment_ref',
  'attachment_name',
  'customer_id',
  'payment_id',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'smtp_response',
  'sent_at',
  'cancelled_at',
  'cancelled_by',
  'created_at',
  'created_by',
  'updated_at',
] as const;

export async function outboxMessageView(db: Db, id: number): Promise<OutboxMessageView | undefined> {
  const row = await withDocumentTables(db)
    .selectFrom('outbox')
    .select(VIEW_COLUMNS)
    .select((eb) => eb.fn<number | null>('length', ['attachment_pdf']).as('attachment_bytes'))
    .where('id', '=', id)
    .executeTakeFirst();
  return row && outboxView(row);
}

export async function listOutbox(db: Db, filter: { status: OutboxStatus | 'all'; limit: number }): Promise<OutboxMessageView[]> {
  let q = withDocumentTables(db)
    .selectFrom('outbox')
    .select(VIEW_COLUMNS)
    .select((eb) => eb.fn<number | null>('length', ['attachment_pdf']).as('attachment_bytes'));
  if (filter.status !== 'all') q = q.where('status', '=', filter.status);
  return (await q.orderBy('id', 'desc').limit(filter.limit).execute()).map(outboxView);
}

export async function outboxRowById(db: Db, id: number): Promise<OutboxRow | undefined> {
  return withDocumentTables(db).selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function earliestQueuedAttempt(db: Db): Promise<string | undefined> {
  const row = await withDocumentTables(db)
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return row?.next ?? undefined;
}

/** Moves a message from one status to another only if it is still in the expected one; true when it moved. */
export async function transitionOutbox(
  trx: Tx,
  id: number,
  from: OutboxStatus[],
  change: {
    status: OutboxStatus;
    at: string;
    actor: string;
    action: string;
    summary?: Record<string, unknown>;
    countAttempt?: boolean;
    resetAttempts?: boolean;
    nextAttemptAt?: string;
    lastError?: string | null;
    smtpResponse?: string | null;
    to?: string;
  },
): Promise<boolean> {
  const d = withDocumentTables(trx);
  const result = await d
    .updateTable('outbox')
    .set((eb) => ({
      status: change.status,
      updated_at: change.at,
      ...(change.countAttempt ? { attempts: eb('attempts', '+', 1) } : {}),
      ...(change.resetAttempts ? { attempts: 0 } : {}),
      ...(change.nextAttemptAt !== undefined ? { next_attempt_at: change.nextAttemptAt } : {}),
      ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
      ...(change.smtpResponse !== undefined ? { smtp_response: change.smtpResponse } : {}),
      ...(change.status === 'sent' ? { sent_at: change.at } : {}),
      ...(change.status === 'cancelled' ? { cancelled_at: change.at, cancelled_by: change.actor } : {}),
      ...(change.to !== undefined ? { to_address: change.to } : {}),
    }))
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await appendAudit(trx, {
    at: change.at,
    actor: change.actor,
    action: change.action,
    entity: 'outbox',
    entityId: id,
    summary: change.summary ?? {},
  });
  return true;
}
