import { AppError } from '../../shared/errors';
import type { AppSettings } from '../../shared/settings';
import { documentRefSchema, type DocumentRef } from '../../shared/contract/documents';
import type { Db } from '../db/types';
import type { FontBytes } from './fonts';
import { formatDate } from './format.rules';
import { paymentById } from '../payments/payments.queries';
import { confirmationData } from './confirmation.repo';
import { customerByNumber, invoiceData } from './documents.repo';
import { statementsAsOf } from './statement.repo';
import { phoneAuthorizationLine, renderConfirmationPdf } from './confirmation.pdf';
import { renderStatementsPdf, type RenderedStatements } from './statement.pdf';
import { renderInvoicePdf } from './invoice.pdf';

/** A document named by its reference, rebuilt from the ledger. */
export interface BuiltDocument {
  ref: DocumentRef;
  title: string;
  fileName: string;
  bytes: Uint8Array;
  pageCount: number;
  customerId: number | null;
  paymentId: number | null;
  /** For statements: each customer's pages and balance. */
  statements?: RenderedStatements['parts'];
  /** For a single statement or a confirmation: figures the email templates use. */
  figures: Record<string, string | number>;
}

/** The reference without its kind, with keys in a fixed order, as stored in print_jobs and outbox. */
export function refToJson(ref: DocumentRef): string {
  const { kind: _kind, ...rest } = ref;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))));
}

export function refFromStored(kind: string, json: string): DocumentRef {
  return documentRefSchema.parse({ ...(JSON.parse(json) as object), kind });
}

function safeFilePart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** The file name an invoice's PDF is attached and saved under. */
export function invoiceFileName(invoiceNumber: string): string {
  return `invoice-${safeFilePart(invoiceNumber)}.pdf`;
}

export async function buildDocument(db: Db, ref: DocumentRef, settings: AppSettings, fonts: FontBytes): Promise<BuiltDocument> {
  switch (ref.kind) {
    case 'confirmation': {
      const data = await confirmationData(db, ref.paymentId);
      if (!data) throw new AppError('NOT_FOUND', `There is no payment ${ref.paymentId}.`, { paymentId: ref.paymentId });
      const pdf = await renderConfirmationPdf(data, settings, fonts);
      const name = data.confirmationNumber ?? `payment-${data.paymentId}`;
      return {
        ref,
        title: data.confirmationNumber ? `Payment confirmation ${data.confirmationNumber}` : `Payment ${data.paymentId} (${data.status})`,
        fileName: `confirmation-${safeFilePart(name)}.pdf`,
        bytes: pdf.bytes,
        pageCount: pdf.pageCount,
        customerId: data.customer.id,
        paymentId: data.paymentId,
        figures: {
          confirmationNumber: data.confirmationNumber ?? '',
          amountCents: data.amountCents,
          at: data.at,
          customerName: data.customer.legalName,
          customerNumber: data.customer.number,
          status: data.status,
          method: data.methodText,
          autopay: data.autopay ? 1 : 0,
          // The written notice of a bank debit the customer authorized on the phone (NACHA), for the email's text too.
          authorizationNotice: data.authorization ? `${data.authorization.wording}\n${phoneAuthorizationLine(data.authorization, settings)}` : '',
        },
      };
    }
    case 'invoice': {
      const data = await invoiceData(db, ref.invoiceNumber);
      if (!data) throw new AppError('NOT_FOUND', `There is no invoice ${ref.invoiceNumber}.`, { invoiceNumber: ref.invoiceNumber });
      const pdf = await renderInvoicePdf(data, settings, fonts);
      return {
        ref,
        title: `Invoice ${data.invoiceNumber}`,
        fileName: invoiceFileName(data.invoiceNumber),
        bytes: pdf.bytes,
        pageCount: pdf.pageCount,
        customerId: data.customer.id,
        paymentId: null,
        figures: { customerName: data.customer.legalName, customerNumber: data.customer.number, totalCents: data.totalCents, dueDate: data.dueDate },
      };
    }
    case 'statement': {
      const customer = await customerByNumber(db, ref.customerNumber);
      if (!customer) throw new AppError('NOT_FOUND', `There is no customer ${ref.customerNumber}.`, { customerNumber: ref.customerNumber });
      const statements = await statementsAsOf(db, { asOf: ref.asOf, customerIds: [customer.id] });
      const pdf = await renderStatementsPdf(statements, { asOf: ref.asOf, pastDueOnly: false }, settings, fonts);
      const s = statements[0]!;
      return {
        ref,
        title: `Statement ${customer.number} as of ${formatDate(ref.asOf, settings.dateFormat)}`,
        fileName: `statement-${safeFilePart(customer.number)}-${ref.asOf}.pdf`,
        bytes: pdf.bytes,
        pageCount: pdf.pageCount,
        customerId: customer.id,
        paymentId: null,
        statements: pdf.parts,
        figures: {
          customerName: customer.legalName,
          customerNumber: customer.number,
          balanceDueCents: s.balanceDueCents,
          pastDueCents: s.pastDueCents,
        },
      };
    }
    case 'statements': {
      const statements = await statementsAsOf(db, { asOf: ref.asOf, pastDueOnly: ref.pastDueOnly });
      const pdf = await renderStatementsPdf(statements, { asOf: ref.asOf, pastDueOnly: ref.pastDueOnly }, settings, fonts);
      return {
        ref,
        title: `Statements as of ${formatDate(ref.asOf, settings.dateFormat)}${ref.pastDueOnly ? ' (past due only)' : ''}`,
        fileName: `statements-${ref.pastDueOnly ? 'past-due-' : ''}${ref.asOf}.pdf`,
        bytes: pdf.bytes,
        pageCount: pdf.pageCount,
        customerId: null,
        paymentId: null,
        statements: pdf.parts,
        figures: { count: statements.length, balanceDueCents: statements.reduce((s, x) => s + x.balanceDueCents, 0) },
      };
    }
  }
}

/** Title and owners of a document without drawing it (for a print job queued inside another transaction). */
export async function describeDocument(
  db: Db,
  ref: DocumentRef,
  settings: AppSettings,
): Promise<{ title: string; customerId: number | null; paymentId: number | null }> {
  switch (ref.kind) {
    case 'confirmation': {
      const p = await paymentById(db, ref.paymentId);
      if (!p) throw new AppError('NOT_FOUND', `There is no payment ${ref.paymentId}.`, { paymentId: ref.paymentId });
      return {
        title: p.confirmation_number ? `Payment confirmation ${p.confirmation_number}` : `Payment ${p.id} (${p.status})`,
        customerId: p.customer_id,
        paymentId: p.id,
      };
    }
    case 'invoice': {
      const i = await db.selectFrom('invoices').select(['customer_id']).where('invoice_number', '=', ref.invoiceNumber).executeTakeFirst();
      if (!i) throw new AppError('NOT_FOUND', `There is no invoice ${ref.invoiceNumber}.`, { invoiceNumber: ref.invoiceNumber });
      return { title: `Invoice ${ref.invoiceNumber}`, customerId: i.customer_id, paymentId: null };
    }
    case 'statement': {
      const c = await customerByNumber(db, ref.customerNumber);
      if (!c) throw new AppError('NOT_FOUND', `There is no customer ${ref.customerNumber}.`, { customerNumber: ref.customerNumber });
      return { title: `Statement ${c.number} as of ${formatDate(ref.asOf, settings.dateFormat)}`, customerId: c.id, paymentId: null };
    }
    case 'statements':
      return {
        title: `Statements as of ${formatDate(ref.asOf, settings.dateFormat)}${ref.pastDueOnly ? ' (past due only)' : ''}`,
        customerId: null,
        paymentId: null,
      };
  }
}
