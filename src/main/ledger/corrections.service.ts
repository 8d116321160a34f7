import type {
  CorrectionRowDto,
  OnAccountApplyDto,
  OnAccountApplyInput,
  ReapplyDto,
  ReapplyInput,
  WriteOffDto,
  WriteOffInput,
} from '../../shared/contract/corrections';
import { AppError, validationError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import { MAX_REASON_LENGTH, fieldsError, type FieldProblems } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import { lockCustomer, writeTx } from '../db/dialect';
import type { InvoiceRow } from '../db/schema';
import type { Tx } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { currentAuditScope } from '../staff/audit.scope';
import { insertApplications, reverseApplications } from './applications.repo';
import { invoiceOpenCents, refreshInvoiceStatus } from './balances.repo';
import {
  correctionHistory,
  hasPendingReversal,
  insertWriteOff,
  paymentRow,
  setOnAccountCents,
  standingOn,
} from './corrections.repo';
import { amountProblem, planReapply, reasonProblem, writeOffProblems } from './corrections.rules';
import { requireCredit } from './credits.repo';
import { findCustomerById, requireCustomer } from './customers.repo';
import { assertDayOpen } from './day-close';
import { findInvoiceByNumber } from './invoices.repo';
import { postingTime } from './posting';

export interface CorrectionsService {
  reapply(input: ReapplyInput, actor: string): Promise<ReapplyDto>;
  applyOnAccount(input: OnAccountApplyInput, actor: string): Promise<OnAccountApplyDto>;
  writeOff(input: WriteOffInput, actor: string): Promise<WriteOffDto>;
  history(customerNumber: string): Promise<{ rows: CorrectionRowDto[] }>;
}

function checkReason(reason: string, problems: FieldProblems): void {
  const p = reasonProblem(reason);
  if (p) problems.reason = p;
  else if (reason.trim().length > MAX_REASON_LENGTH) problems.reason = `is too long (at most ${MAX_REASON_LENGTH} characters)`;
}

/** The invoice, which must be the customer's; refused at `field` otherwise. */
async function invoiceOfCustomer(trx: Tx, invoiceNumber: string, customerId: number, field: string): Promise<InvoiceRow> {
  const number = invoiceNumber.trim();
  const row = (await findInvoiceByNumber(trx, number)) ?? (await findInvoiceByNumber(trx, number.toUpperCase()));
  if (!row) throw validationError(field, `there is no invoice ${number || '(blank)'}`);
  if (row.customer_id !== customerId) throw validationError(field, `${row.invoice_number} belongs to another customer`);
  return row;
}

/**
 * Money money can be moved onto: an open invoice the customer does not dispute. A void invoice owes
 * nothing; money put on a disputed one would read as the customer accepting what they contest, so
 * the dispute is settled first (as credits.apply leaves disputed invoices out of 'all').
 */
function targetProblem(row: InvoiceRow, openCents: number, amountCents: number): string | null {
  if (row.status === 'void') return `${row.invoice_number} is void`;
  if (row.disputed === 1) return `${row.invoice_number} is disputed; settle the dispute first`;
  if (amountCents > openCents) {
    return `${formatCents(amountCents)} would overpay ${row.invoice_number}, which has ${formatCents(openCents)} open`;
  }
  return null;
}

export function createCorrectionsService(deps: CoreDeps): CorrectionsService {
  const db = deps.ledger.db;

  return {
    /**
     * Moves a payment's or credit's money from one invoice to another open invoice of the same
     * customer, or back on account: reversal rows on the first invoice (the last row cut is re-posted
     * for what stays) and a new application on the target, in one transaction, with the reason.
     */
    async reapply(input, actor) {
      const time = postingTime(deps);
      const problems: FieldProblems = {};
      const amount = amountProblem(input.amountCents);
      if (amount) problems.amountCents = amount;
      checkReason(input.reason, problems);
      if (Object.keys(problems).length > 0) throw fieldsError(problems);
      const reason = input.reason.trim();

      return writeTx(db, async (trx) => {
        // The owner first, then its lock, then everything decided on is read after the lock.
        let customerId: number;
        let source: { paymentId: number } | { creditId: number };
        let sourceLabel: string;
        if ('paymentId' in input.source) {
          const p = await paymentRow(trx, input.source.paymentId);
          if (!p) throw new AppError('NOT_FOUND', `No payment ${input.source.paymentId}`, { paymentId: input.source.paymentId });
          customerId = p.customer_id;
          source = { paymentId: p.id };
          sourceLabel = `payment ${p.confirmation_number ?? p.id}`;
        } else {
          const c = await requireCredit(trx, input.source.creditNumber);
          customerId = c.customer_id;
          source = { creditId: c.id };
          sourceLabel = `credit ${c.credit_number}`;
        }
        await lockCustomer(trx, customerId);
        await assertDayOpen(trx, time.businessDate);
        const payment = 'paymentId' in source ? (await paymentRow(trx, source.paymentId))! : null;
        if (payment && payment.status !== 'captured') {
          throw new AppError('CONFLICT', `Payment ${payment.confirmation_number ?? payment.id} is ${payment.status}; only a captured payment's money can be moved`);
        }
        if (payment && (await hasPendingReversal(trx, payment.id))) {
          throw new AppError('CONFLICT', 'A void or refund of this payment is still waiting for the payment gateway; try again in a minute');
        }
        const from = await invoiceOfCustomer(trx, input.fromInvoiceNumber, customerId, 'fromInvoiceNumber');
        const standing = await standingOn(trx, from.id, source);
        const applied = standing.reduce((s, a) => s + a.amount_cents, 0);
        if (applied === 0) throw validationError('fromInvoiceNumber', `${from.invoice_number} has nothing of ${sourceLabel} on it`);
        if (input.amountCents > applied) {
          throw validationError('amountCents', `${formatCents(input.amountCents)} is more than the ${formatCents(applied)} of ${sourceLabel} on ${from.invoice_number}`);
        }
        let to: InvoiceRow | null = null;
        if (input.toInvoiceNumber !== null) {
          to = await invoiceOfCustomer(trx, input.toInvoiceNumber, customerId, 'toInvoiceNumber');
          if (to.id === from.id) throw validationError('toInvoiceNumber', 'is the invoice the money is on already');
          const problem = targetProblem(to, await invoiceOpenCents(trx, to.id), input.amountCents);
          if (problem) throw validationError('toInvoiceNumber', problem);
        }

        const plan = planReapply(standing.map((a) => ({ id: a.id, amountCents: a.amount_cents })), input.amountCents);
        await reverseApplications(trx, plan.reverseIds, reason, actor, time);
        const base = {
          customerId,
          source: payment ? ('payment' as const) : ('credit' as const),
          paymentId: payment ? payment.id : (standing[0]!.payment_id ?? null),
          creditId: 'creditId' in source ? source.creditId : null,
          appliedOn: time.businessDate,
          reason,
        };
        const rows = [];
        if (plan.keepCents > 0) rows.push({ ...base, invoiceId: from.id, amountCents: plan.keepCents });
        // A credit moved to another invoice is the credit's own now, not a part of the payment that first used it.
        if (to) rows.push({ ...base, paymentId: payment ? payment.id : null, invoiceId: to.id, amountCents: input.amountCents });
        await insertApplications(trx, rows, actor, time.at);
        await refreshInvoiceStatus(trx, from.id);
        if (to) await refreshInvoiceStatus(trx, to.id);
        if (!to && payment) await setOnAccountCents(trx, payment.id, payment.unapplied_cents + input.amountCents);

        const customer = (await findCustomerById(trx, customerId))!;
        await appendAudit(trx, {
          actor,
          action: 'application.reapply',
          entity: 'customer',
          entityId: customer.customer_number,
          summary: {
            source: sourceLabel,
            from: from.invoice_number,
            to: to ? to.invoice_number : 'on account',
            amountCents: input.amountCents,
            reason,
            reversed: plan.reverseIds,
          },
          at: time.at,
        });
        return {
          customerNumber: customer.customer_number,
          fromInvoiceNumber: from.invoice_number,
          toInvoiceNumber: to ? to.invoice_number : null,
          amountCents: input.amountCents,
          fromOpenCents: await invoiceOpenCents(trx, from.id),
          toOpenCents: to ? await invoiceOpenCents(trx, to.id) : null,
        };
      });
    },

    /** Applies money a payment left on account to an open invoice of the same customer, as a credit is applied. */
    async applyOnAccount(input, actor) {
      const time = postingTime(deps);
      const amount = amountProblem(input.amountCents);
      if (amount) throw validationError('amountCents', amount);
      const policy = deps.settings.get().policy;
      return writeTx(db, async (trx) => {
        const first = await paymentRow(trx, input.paymentId);
        if (!first) throw new AppError('NOT_FOUND', `No payment ${input.paymentId}`, { paymentId: input.paymentId });
        await lockCustomer(trx, first.customer_id);
        await assertDayOpen(trx, time.businessDate);
        const p = (await paymentRow(trx, input.paymentId))!;
        if (p.status !== 'captured') throw new AppError('CONFLICT', `Payment ${p.confirmation_number ?? p.id} is ${p.status}`);
        if (await hasPendingReversal(trx, p.id)) {
          throw new AppError('CONFLICT', 'A void or refund of this payment is still waiting for the payment gateway; try again in a minute');
        }
        if (input.amountCents > p.unapplied_cents) {
          throw validationError('amountCents', `${formatCents(input.amountCents)} is more than the ${formatCents(p.unapplied_cents)} this payment holds on account`);
        }
        const invoice = await invoiceOfCustomer(trx, input.invoiceNumber, p.customer_id, 'invoiceNumber');
        const open = await invoiceOpenCents(trx, invoice.id);
        const problem = targetProblem(invoice, open, input.amountCents);
        if (problem) throw validationError('invoiceNumber', problem);
        // The house rule for exact payments holds here as for credits: money on account that would pay part of an invoice is refused.
        if (policy.exactInvoicePayments && input.amountCents !== open) {
          throw validationError(
            'amountCents',
            open <= p.unapplied_cents
              ? `the house rules settle invoices in full: apply ${formatCents(open)} to ${invoice.invoice_number}`
              : `the house rules settle invoices in full, and ${formatCents(p.unapplied_cents)} on account does not pay the ${formatCents(open)} open on ${invoice.invoice_number}`,
          );
        }
        await insertApplications(
          trx,
          [{
            invoiceId: invoice.id,
            customerId: p.customer_id,
            source: 'payment',
            paymentId: p.id,
            creditId: null,
            amountCents: input.amountCents,
            appliedOn: time.businessDate,
            reason: 'Applied from money on account',
          }],
          actor,
          time.at,
        );
        await refreshInvoiceStatus(trx, invoice.id);
        const left = p.unapplied_cents - input.amountCents;
        await setOnAccountCents(trx, p.id, left);
        await appendAudit(trx, {
          actor,
          action: 'payment.apply_on_account',
          entity: 'payment',
          entityId: p.id,
          summary: { invoice: invoice.invoice_number, amountCents: input.amountCents, leftOnAccountCents: left },
          at: time.at,
        });
        return {
          paymentId: p.id,
          invoiceNumber: invoice.invoice_number,
          amountCents: input.amountCents,
          onAccountCents: left,
          invoiceOpenCents: await invoiceOpenCents(trx, invoice.id),
        };
      });
    },

    /** Writes off a small remaining balance (up to the office's limit) as its own rows, not a payment or credit. */
    async writeOff(input, actor) {
      const time = postingTime(deps);
      const limit = deps.settings.get().policy.writeOffLimitCents;
      const early: FieldProblems = {};
      const amount = amountProblem(input.amountCents);
      if (amount) early.amountCents = amount;
      checkReason(input.reason, early);
      if (Object.keys(early).length > 0) throw fieldsError(early);
      const reason = input.reason.trim();
      return writeTx(db, async (trx) => {
        const first = (await findInvoiceByNumber(trx, input.invoiceNumber.trim())) ?? (await findInvoiceByNumber(trx, input.invoiceNumber.trim().toUpperCase()));
        if (!first) throw new AppError('NOT_FOUND', `No invoice ${input.invoiceNumber.trim() || '(blank)'}`, { invoiceNumber: input.invoiceNumber });
        await lockCustomer(trx, first.customer_id);
        await assertDayOpen(trx, time.businessDate);
        const invoice = (await findInvoiceByNumber(trx, first.invoice_number))!;
        if (invoice.status === 'void') throw validationError('invoiceNumber', `${invoice.invoice_number} is void; there is nothing to write off`);
        if (invoice.disputed === 1) throw validationError('invoiceNumber', `${invoice.invoice_number} is disputed; settle the dispute before writing anything off`);
        const open = await invoiceOpenCents(trx, invoice.id);
        const problems = writeOffProblems({ amountCents: input.amountCents, reason }, open, limit);
        if (Object.keys(problems).length > 0) throw fieldsError(problems);
        const approvedBy = currentAuditScope()?.approvedBy?.username ?? null;
        const id = await insertWriteOff(
          trx,
          { invoiceId: invoice.id, customerId: invoice.customer_id, amountCents: input.amountCents, reason, writtenOn: time.businessDate, approvedBy },
          actor,
          time.at,
        );
        await refreshInvoiceStatus(trx, invoice.id);
        await appendAudit(trx, {
          actor,
          action: 'invoice.write_off',
          entity: 'invoice',
          entityId: invoice.invoice_number,
          summary: { writeOffId: id, amountCents: input.amountCents, openBeforeCents: open, limitCents: limit, reason },
          at: time.at,
        });
        return { writeOffId: id, invoiceNumber: invoice.invoice_number, amountCents: input.amountCents, invoiceOpenCents: await invoiceOpenCents(trx, invoice.id) };
      });
    },

    async history(customerNumber) {
      const customer = await requireCustomer(db, customerNumber);
      const rows = await correctionHistory(db, customer.id);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          kind: r.source === 'write_off' ? 'write_off' : r.reversesId !== null ? 'reversal' : 'application',
          invoiceNumber: r.invoiceNumber,
          sourceLabel:
            r.source === 'write_off'
              ? 'Write-off'
              : r.source === 'credit'
                ? `Credit ${r.creditNumber ?? ''}`.trim()
                : `Payment ${r.confirmationNumber ?? r.paymentId ?? ''}`.trim(),
          amountCents: r.amountCents,
          appliedOn: r.appliedOn,
          reason: r.reason,
          createdBy: r.createdBy,
          createdAt: r.createdAt,
        })),
      };
    },
  };
}
