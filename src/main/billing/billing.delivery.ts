/**
 * Delivery of the billing run's invoices, written in the run's own transaction with the invoices:
 * by email (an outbox message to the billing email with the invoice PDF attached) and/or on paper
 * (a print job of the invoice, whose address sits in a #10 envelope's window, in the run's mailing
 * batch), as the customer chose or else as the office's house rules say.
 *
 * Both name the invoice by reference; its PDF is drawn when the message is sent or the job printed,
 * so a run of 50,000 invoices draws none inside its transactions. invoice_deliveries keeps one row
 * per (invoice, channel), UNIQUE: with the invoice made once (subscription_periods), nothing is
 * delivered twice by a repeated, interrupted or concurrent run.
 */
import type { DocumentRef } from '../../shared/contract/documents';
import type { AppSettings, InvoiceDelivery } from '../../shared/settings';
import type { Tx } from '../db/types';
import { invoiceEmailText } from '../documents/invoice.email';
import { withDocumentTables } from '../documents/documents.tables';
import { newMessageId, recipientProblem } from '../documents/queue.repo';
import { invoiceFileName, refToJson } from '../documents/render';
import { appendAuditRows, type AuditEntry } from '../staff/audit.repo';

export interface InvoiceToDeliver {
  invoiceId: number;
  invoiceNumber: string;
  customerId: number;
  totalCents: number;
  dueDate: string;
}

export interface DeliveryContext {
  settings: AppSettings;
  actor: string;
  at: string;
  runId: number;
  /** The workstation whose printer prints the mailing batch (the one running the billing). */
  workstation: string;
}

interface Recipient {
  number: string;
  name: string;
  email: string;
  delivery: InvoiceDelivery;
}

const CHUNK = 500;

/** The channels a delivery choice uses. */
export function deliveryChannels(choice: InvoiceDelivery): ('email' | 'paper')[] {
  return choice === 'both' ? ['email', 'paper'] : [choice];
}

async function recipientsOf(trx: Tx, customerIds: readonly number[], officeDefault: InvoiceDelivery): Promise<Map<number, Recipient>> {
  const out = new Map<number, Recipient>();
  const ids = [...new Set(customerIds)];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await trx
      .selectFrom('customers')
      .select(['id', 'customer_number', 'legal_name', 'email', 'invoice_delivery'])
      .where('id', 'in', ids.slice(i, i + 5000))
      .execute();
    for (const r of rows) {
      out.set(r.id, { number: r.customer_number, name: r.legal_name, email: (r.email ?? '').trim(), delivery: r.invoice_delivery ?? officeDefault });
    }
  }
  return out;
}

/** Queues every invoice's delivery inside the billing run's transaction; returns how many messages and print jobs it queued. */
export async function queueInvoiceDeliveries(trx: Tx, invoices: readonly InvoiceToDeliver[], ctx: DeliveryContext): Promise<{ emailed: number; printed: number }> {
  if (invoices.length === 0) return { emailed: 0, printed: 0 };
  const d = withDocumentTables(trx);
  const who = await recipientsOf(trx, invoices.map((i) => i.customerId), ctx.settings.policy.invoiceDelivery);
  const refOf = (i: InvoiceToDeliver): DocumentRef => ({ kind: 'invoice', invoiceNumber: i.invoiceNumber });
  const emailed = invoices.filter((i) => deliveryChannels(who.get(i.customerId)!.delivery).includes('email'));
  const printed = invoices.filter((i) => deliveryChannels(who.get(i.customerId)!.delivery).includes('paper'));
  const deliveries: { invoice_id: number; channel: 'email' | 'paper'; billing_run_id: number; outbox_id: number | null; print_job_id: number | null; created_at: string; created_by: string }[] = [];
  const audit: AuditEntry[] = [];

  for (let i = 0; i < emailed.length; i += CHUNK) {
    const chunk = emailed.slice(i, i + CHUNK);
    const values = chunk.map((inv) => {
      const c = who.get(inv.customerId)!;
      const problem = recipientProblem(c.email);
      const text = invoiceEmailText({ invoiceNumber: inv.invoiceNumber, customerName: c.name, customerNumber: c.number, totalCents: inv.totalCents, dueDate: inv.dueDate }, ctx.settings);
      return {
        message_id: newMessageId(ctx.settings.email.from),
        to_address: c.email,
        ...text,
        attachment_kind: 'invoice' as const,
        attachment_ref: refToJson(refOf(inv)),
        attachment_name: invoiceFileName(inv.invoiceNumber),
        attachment_pdf: null,
        customer_id: inv.customerId,
        payment_id: null,
        status: problem ? ('failed' as const) : ('queued' as const),
        last_error: problem,
        next_attempt_at: ctx.at,
        created_at: ctx.at,
        created_by: ctx.actor,
        updated_at: ctx.at,
      };
    });
    const rows = await d.insertInto('outbox').values(values).returning(['id', 'message_id']).execute();
    const idOf = new Map(rows.map((r) => [r.message_id, r.id]));
    chunk.forEach((inv, k) => {
      const v = values[k]!;
      const id = idOf.get(v.message_id)!;
      deliveries.push({ invoice_id: inv.invoiceId, channel: 'email', billing_run_id: ctx.runId, outbox_id: id, print_job_id: null, created_at: ctx.at, created_by: ctx.actor });
      audit.push({
        at: ctx.at,
        actor: ctx.actor,
        action: 'email.queue',
        entity: 'outbox',
        entityId: id,
        customerNumber: who.get(inv.customerId)!.number,
        summary: { to: v.to_address, subject: v.subject, document: refOf(inv), billingRun: ctx.runId, ...(v.status === 'failed' ? { held: v.last_error } : {}) },
      });
    });
  }

  for (let i = 0; i < printed.length; i += CHUNK) {
    const chunk = printed.slice(i, i + CHUNK);
    const values = chunk.map((inv) => ({
      document_kind: 'invoice' as const,
      document_ref: refToJson(refOf(inv)),
      title: `Invoice ${inv.invoiceNumber} (mailing, billing run ${ctx.runId})`,
      customer_id: inv.customerId,
      payment_id: null,
      status: 'queued' as const,
      workstation: ctx.workstation,
      created_at: ctx.at,
      created_by: ctx.actor,
      updated_at: ctx.at,
    }));
    const rows = await d.insertInto('print_jobs').values(values).returning(['id', 'document_ref']).execute();
    const idOf = new Map(rows.map((r) => [r.document_ref, r.id]));
    chunk.forEach((inv, k) => {
      const v = values[k]!;
      const id = idOf.get(v.document_ref)!;
      deliveries.push({ invoice_id: inv.invoiceId, channel: 'paper', billing_run_id: ctx.runId, outbox_id: null, print_job_id: id, created_at: ctx.at, created_by: ctx.actor });
      audit.push({
        at: ctx.at,
        actor: ctx.actor,
        action: 'print.queue',
        entity: 'print_job',
        entityId: id,
        customerNumber: who.get(inv.customerId)!.number,
        summary: { document: refOf(inv), title: v.title, billingRun: ctx.runId },
      });
    });
  }

  for (let i = 0; i < deliveries.length; i += 1000) await trx.insertInto('invoice_deliveries').values(deliveries.slice(i, i + 1000)).execute();
  await appendAuditRows(trx, audit);
  return { emailed: emailed.length, printed: printed.length };
}
