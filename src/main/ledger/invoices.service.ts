import type { InvoiceCreateInput, InvoiceDetailDto, InvoiceDto, InvoicePreviewDto } from '../../shared/contract/invoices';
import { AppError, validationError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import { MAX_REASON_LENGTH, fieldsError } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { InvoiceRow } from '../db/schema';
import type { Db } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { nextDocumentNumber } from './counters.repo';
import { findCustomerById, requireCustomer } from './customers.repo';
import {
  appliedCentsOn,
  findInvoiceByNumber,
  insertInvoice,
  insertInvoiceLines,
  invoiceApplications,
  invoiceAuditRows,
  invoiceLines,
  pendingPaymentsFor,
  requireInvoice,
} from './invoices.repo';
import { draftInvoice, toInvoiceDto } from './invoices.rules';
import { invoiceHistory } from './invoice-history.rules';
import { previewInvoice } from './invoice-preview.rules';
import { postingTime } from './posting';
import { writeTx } from '../db/dialect';
import { lockCustomer } from '../db/dialect';

export async function loadInvoiceDto(db: Db, row: InvoiceRow): Promise<InvoiceDto> {
  const customer = await findCustomerById(db, row.customer_id);
  if (!customer) throw new Error(`invoice ${row.invoice_number} has no customer ${row.customer_id}`);
  return toInvoiceDto(
    row,
    { customerNumber: customer.customer_number, legalName: customer.legal_name },
    await invoiceLines(db, row.id),
    await invoiceApplications(db, row.id),
  );
}

function requiredReason(reason: string | undefined, what: string): string {
  const why = reason?.trim() ?? '';
  if (why.length === 0) throw validationError('reason', `is required to ${what}`);
  if (why.length > MAX_REASON_LENGTH) throw validationError('reason', `is too long (at most ${MAX_REASON_LENGTH} characters)`);
  return why;
}

export function createInvoicesService(deps: CoreDeps) {
  const db = deps.ledger.db;

  return {
    /** The invoice as its screen shows it: lines, applications, the customer's email and the history. */
    async get(invoiceNumber: string): Promise<InvoiceDetailDto> {
      const row = await requireInvoice(db, invoiceNumber);
      const invoice = await loadInvoiceDto(db, row);
      const customer = await findCustomerById(db, row.customer_id);
      const audit = await invoiceAuditRows(db, row.invoice_number);
      return { ...invoice, customerEmail: customer?.email ?? null, history: invoiceHistory(audit, invoice.applications) };
    },

    /** What invoices.create would make of this input (totals, due date, tax), without writing anything. */
    async preview(input: InvoiceCreateInput): Promise<InvoicePreviewDto> {
      const customer = await requireCustomer(db, input.customerNumber);
      return previewInvoice(input, {
        businessDate: postingTime(deps).businessDate,
        termsDays: customer.terms_days,
        taxRateBp: deps.settings.get().defaultTaxRateBp,
        taxExempt: customer.tax_exempt === 1,
      });
    },

    async create(input: InvoiceCreateInput, actor: string): Promise<InvoiceDto> {
      const time = postingTime(deps);
      const settings = deps.settings.get();
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        const result = draftInvoice(input, {
          businessDate: time.businessDate,
          termsDays: customer.terms_days,
          taxRateBp: settings.defaultTaxRateBp,
          taxExempt: customer.tax_exempt === 1,
        });
        if (!result.ok) throw fieldsError(result.problems);
        const d = result.draft;
        let invoiceNumber = d.invoiceNumber;
        if (invoiceNumber === null) invoiceNumber = await nextDocumentNumber(trx, 'invoice');
        else if (await findInvoiceByNumber(trx, invoiceNumber)) {
          throw new AppError('CONFLICT', `Invoice number ${invoiceNumber} is already in use`, {
            fields: { invoiceNumber: `${invoiceNumber} is already in use` },
          });
        }
        const id = await insertInvoice(trx, {
          invoice_number: invoiceNumber,
          customer_id: customer.id,
          issue_date: d.issueDate,
          due_date: d.dueDate,
          period_start: d.periodStart,
          period_end: d.periodEnd,
          billing_frequency: d.billingFrequency,
          tax_rate_bp: d.taxRateBp,
          subtotal_cents: d.totals.subtotalCents,
          tax_cents: d.totals.taxCents,
          total_cents: d.totals.totalCents,
          // Nothing to collect on a zero invoice: it is settled the moment it exists.
          status: d.totals.totalCents === 0 ? 'paid' : 'open',
          created_at: time.at,
          created_by: actor,
        });
        await insertInvoiceLines(trx, id, d.lines);
        await appendAudit(trx, {
          actor,
          action: 'invoice.create',
          entity: 'invoice',
          entityId: invoiceNumber,
          summary: {
            customerNumber: customer.customer_number,
            issueDate: d.issueDate,
            dueDate: d.dueDate,
            lines: d.lines.length,
            subtotalCents: d.totals.subtotalCents,
            taxRateBp: d.taxRateBp,
            taxCents: d.totals.taxCents,
            totalCents: d.totals.totalCents,
          },
          at: time.at,
        });
        return loadInvoiceDto(trx, await requireInvoice(trx, invoiceNumber));
      });
    },

    /** Refused while money stands applied to the invoice or a payment for it is in flight. */
    async void(invoiceNumber: string, reason: string, actor: string): Promise<InvoiceDto> {
      const why = requiredReason(reason, 'void an invoice');
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        // The customer's lock first, then the invoice as it is now (another workstation may have just changed it).
        await lockCustomer(trx, (await requireInvoice(trx, invoiceNumber)).customer_id);
        const row = await requireInvoice(trx, invoiceNumber);
        if (row.status === 'void') {
          throw new AppError('CONFLICT', `Invoice ${row.invoice_number} is already void`, { invoiceNumber: row.invoice_number });
        }
        const applied = await appliedCentsOn(trx, row.id);
        if (applied > 0) {
          throw new AppError(
            'CONFLICT',
            `Invoice ${row.invoice_number} has ${formatCents(applied)} applied to it; reverse the payment or credit first, then void the invoice`,
            { invoiceNumber: row.invoice_number, appliedCents: applied },
          );
        }
        if ((await pendingPaymentsFor(trx, row.id)) > 0) {
          throw new AppError(
            'CONFLICT',
            `A payment for invoice ${row.invoice_number} is still being processed; wait for it to finish, then void the invoice`,
            { invoiceNumber: row.invoice_number },
          );
        }
        await trx
          .updateTable('invoices')
          .set({ status: 'void', void_reason: why, voided_at: time.at, voided_by: actor })
          .where('id', '=', row.id)
          .execute();
        await appendAudit(trx, {
          actor,
          action: 'invoice.void',
          entity: 'invoice',
          entityId: row.invoice_number,
          summary: { reason: why, totalCents: row.total_cents, previousStatus: row.status },
          at: time.at,
        });
        return loadInvoiceDto(trx, await requireInvoice(trx, row.invoice_number));
      });
    },

    /** Marks or clears a dispute. A reason is required to mark one; clearing keeps the old reason in the audit log. */
    async setDisputed(invoiceNumber: string, disputed: boolean, reason: string | undefined, actor: string): Promise<InvoiceDto> {
      const why = disputed ? requiredReason(reason, 'mark an invoice disputed') : reason?.trim() || null;
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        // The customer's lock first, then the invoice as it is now (another workstation may have just changed it).
        await lockCustomer(trx, (await requireInvoice(trx, invoiceNumber)).customer_id);
        const row = await requireInvoice(trx, invoiceNumber);
        if (row.status === 'void') {
          throw new AppError('CONFLICT', `Invoice ${row.invoice_number} is void; a void invoice cannot be disputed`, {
            invoiceNumber: row.invoice_number,
          });
        }
        if (!disputed) {
          // A dispute's invoices are cleared by resolving it (with its reason and outcome), not here.
          const open = await trx
            .selectFrom('dispute_invoices as di')
            .innerJoin('disputes as d', 'd.id', 'di.dispute_id')
            .select('d.id')
            .where('di.invoice_id', '=', row.id)
            .where('d.status', '=', 'open')
            .executeTakeFirst();
          if (open) throw new AppError('CONFLICT', `Invoice ${row.invoice_number} is in dispute ${open.id}; resolve the dispute instead`, { invoiceNumber: row.invoice_number });
        }
        const wasDisputed = row.disputed === 1;
        if (wasDisputed === disputed && (!disputed || row.dispute_reason === why)) {
          return loadInvoiceDto(trx, row);
        }
        await trx
          .updateTable('invoices')
          .set({ disputed: disputed ? 1 : 0, dispute_reason: disputed ? why : null })
          .where('id', '=', row.id)
          .execute();
        await appendAudit(trx, {
          actor,
          action: disputed ? 'invoice.dispute' : 'invoice.undispute',
          entity: 'invoice',
          entityId: row.invoice_number,
          summary: { reason: why, previousReason: row.dispute_reason },
          at: time.at,
        });
        return loadInvoiceDto(trx, await requireInvoice(trx, row.invoice_number));
      });
    },
  };
}

export type InvoicesService = ReturnType<typeof createInvoicesService>;
