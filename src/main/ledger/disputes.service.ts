/**
 * Billing disputes. Opening marks the invoices disputed (invoices.disputed, which Pay All, aging
 * and statements already read), so follow-up and automatic charges leave them alone; resolving
 * clears the mark, in the customer's favour with a credit memo applied to the disputed invoices
 * (oldest due first), or against with none. Each step is one transaction under the customer's
 * lock, audited in it.
 */
import { currentAuditScope } from '../staff/audit.scope';
import type { DisputeDto } from '../../shared/contract/disputes';
import { DISPUTE_REASON_MAX } from '../../shared/contract/disputes';
import { AppError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import { fieldsError, MAX_REASON_LENGTH, type FieldProblems } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import { lockCustomer, writeTx } from '../db/dialect';
import type { Db, Tx } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { insertApplications } from './applications.repo';
import { invoiceOpenCentsSql, refreshInvoiceStatus } from './balances.repo';
import { nextDocumentNumber } from './counters.repo';
import { insertCredit } from './credits.repo';
import { requireCustomer } from './customers.repo';
import { assertDayOpen } from './day-close';
import { postingTime } from './posting';

function checkedText(text: string, field: string, what: string, max: number): string {
  const t = text.trim();
  if (t.length === 0) throw fieldsError({ [field]: `is required to ${what}` });
  if (t.length > max) throw fieldsError({ [field]: `is too long (at most ${max} characters)` });
  return t;
}

async function loadDisputes(db: Db | Tx, where: { customerId?: number; disputeId?: number }): Promise<DisputeDto[]> {
  let q = db
    .selectFrom('disputes as d')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('credit_memos as m', 'm.id', 'd.credit_id')
    .select([
      'd.id', 'd.status', 'd.reason', 'd.opened_at', 'd.opened_by', 'd.outcome', 'd.resolution_reason', 'd.resolved_at', 'd.resolved_by',
      'c.customer_number', 'm.credit_number', 'm.amount_cents as credit_cents',
    ]);
  if (where.customerId !== undefined) q = q.where('d.customer_id', '=', where.customerId);
  if (where.disputeId !== undefined) q = q.where('d.id', '=', where.disputeId);
  const rows = await q.orderBy('d.id', 'desc').execute();
  if (rows.length === 0) return [];
  const invoices = await db
    .selectFrom('dispute_invoices as di')
    .innerJoin('invoices as i', 'i.id', 'di.invoice_id')
    .select(['di.dispute_id', 'i.invoice_number', 'i.due_date', 'i.total_cents', 'i.status', invoiceOpenCentsSql.as('open_cents')])
    .where('di.dispute_id', 'in', rows.map((r) => r.id))
    .orderBy('i.due_date')
    .orderBy('i.invoice_number')
    .execute();
  const byDispute = new Map<number, DisputeDto['invoices']>();
  for (const i of invoices) {
    const list = byDispute.get(i.dispute_id) ?? [];
    list.push({ invoiceNumber: i.invoice_number, dueDate: i.due_date, totalCents: i.total_cents, openCents: i.status === 'void' ? 0 : Number(i.open_cents) });
    byDispute.set(i.dispute_id, list);
  }
  const out = rows.map((r) => ({
    disputeId: r.id,
    customerNumber: r.customer_number,
    status: r.status,
    reason: r.reason,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    invoices: byDispute.get(r.id) ?? [],
    outcome: r.outcome,
    resolutionReason: r.resolution_reason,
    creditNumber: r.credit_number ?? null,
    creditCents: r.credit_cents ?? null,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  }));
  return out.sort((a, b) => (a.status === b.status ? b.disputeId - a.disputeId : a.status === 'open' ? -1 : 1));
}

export function createDisputesService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>) {
  const db = deps.ledger.db;
  return {
    async list(customerNumber: string): Promise<{ disputes: DisputeDto[] }> {
      const customer = await requireCustomer(db, customerNumber);
      return { disputes: await loadDisputes(db, { customerId: customer.id }) };
    },

    /** Opens a dispute on open invoices of one account, none of them in another open dispute. */
    async open(input: { customerNumber: string; invoiceNumbers: string[]; reason: string }, actor: string): Promise<DisputeDto> {
      const reason = checkedText(input.reason, 'reason', 'open a dispute (the customer’s words)', DISPUTE_REASON_MAX);
      const numbers = [...new Set(input.invoiceNumbers.map((n) => n.trim().toUpperCase()).filter((n) => n.length > 0))];
      if (numbers.length === 0) throw fieldsError({ invoiceNumbers: 'choose at least one invoice' });
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        await lockCustomer(trx, customer.id);
        const invoices = await trx
          .selectFrom('invoices')
          .select(['id', 'invoice_number', 'customer_id', 'status', 'disputed'])
          .where((eb) => eb(eb.fn('upper', ['invoice_number']), 'in', numbers))
          .execute();
        const problems: FieldProblems = {};
        for (const n of numbers) {
          const inv = invoices.find((i) => i.invoice_number.toUpperCase() === n);
          if (!inv || inv.customer_id !== customer.id) problems.invoiceNumbers = `${n} is not an invoice of ${customer.customer_number}`;
          else if (inv.status !== 'open') problems.invoiceNumbers = `${inv.invoice_number} is ${inv.status}; only an open invoice is disputed`;
        }
        if (Object.keys(problems).length > 0) throw fieldsError(problems);
        const busy = await trx
          .selectFrom('dispute_invoices as di')
          .innerJoin('disputes as d', 'd.id', 'di.dispute_id')
          .innerJoin('invoices as i', 'i.id', 'di.invoice_id')
          .select(['d.id', 'i.invoice_number'])
          .where('d.status', '=', 'open')
          .where('di.invoice_id', 'in', invoices.map((i) => i.id))
          .executeTakeFirst();
        if (busy) throw new AppError('CONFLICT', `${busy.invoice_number} is in dispute ${busy.id} already`, { fields: { invoiceNumbers: `${busy.invoice_number} is in dispute ${busy.id} already` } });
        const row = await trx
          .insertInto('disputes')
          .values({ customer_id: customer.id, reason, opened_at: time.at, opened_by: actor })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('dispute_invoices').values(invoices.map((i) => ({ dispute_id: row.id, invoice_id: i.id }))).execute();
        await trx
          .updateTable('invoices')
          .set({ disputed: 1, dispute_reason: reason.slice(0, MAX_REASON_LENGTH) })
          .where('id', 'in', invoices.map((i) => i.id))
          .execute();
        await appendAudit(trx, {
          actor,
          action: 'dispute.open',
          entity: 'dispute',
          entityId: row.id,
          customerNumber: customer.customer_number,
          summary: { customerNumber: customer.customer_number, invoices: invoices.map((i) => i.invoice_number).sort(), reason },
          at: time.at,
        });
        return (await loadDisputes(trx, { disputeId: row.id }))[0]!;
      });
    },

    /**
     * Resolves an open dispute. For the customer: a credit memo of `creditCents` (1 to what the
     * invoices owe now), applied to them oldest due first. Against: no credit. Either way the
     * invoices are no longer disputed.
     */
    async resolve(input: { disputeId: number; outcome: 'customer' | 'against'; creditCents?: number | undefined; reason: string }, actor: string): Promise<DisputeDto> {
      const reason = checkedText(input.reason, 'reason', 'resolve a dispute', MAX_REASON_LENGTH);
      if (input.outcome === 'against' && input.creditCents !== undefined && input.creditCents !== 0) throw fieldsError({ creditCents: 'a dispute resolved against the customer gives no credit' });
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        const found = await trx.selectFrom('disputes').select(['customer_id']).where('id', '=', input.disputeId).executeTakeFirst();
        if (!found) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
        await lockCustomer(trx, found.customer_id);
        const dispute = await trx.selectFrom('disputes').selectAll().where('id', '=', input.disputeId).executeTakeFirstOrThrow();
        if (dispute.status !== 'open') throw new AppError('CONFLICT', `Dispute ${dispute.id} was resolved already (${dispute.resolved_at} by ${dispute.resolved_by})`);
        const [view] = await loadDisputes(trx, { disputeId: dispute.id });
        const owed = view!.invoices.reduce((s, i) => s + i.openCents, 0);
        let creditId: number | null = null;
        let creditNumber: string | null = null;
        if (input.outcome === 'customer') {
          const cents = input.creditCents;
          if (cents === undefined || !Number.isSafeInteger(cents) || cents <= 0) throw fieldsError({ creditCents: 'enter the credit for the customer, more than $0.00' });
          if (cents > owed) throw fieldsError({ creditCents: `is more than the disputed invoices owe (${formatCents(owed)})` });
          await assertDayOpen(trx, time.businessDate);
          creditNumber = await nextDocumentNumber(trx, 'credit');
          creditId = await insertCredit(
            trx,
            { creditNumber, customerId: dispute.customer_id, issueDate: time.businessDate, amountCents: cents, reason: `Dispute ${dispute.id} resolved for the customer: ${reason}`.slice(0, MAX_REASON_LENGTH) },
            actor,
            time.at,
          );
          const ids = await trx.selectFrom('invoices').select(['id', 'invoice_number']).where('invoice_number', 'in', view!.invoices.map((i) => i.invoiceNumber)).execute();
          const idOf = new Map(ids.map((i) => [i.invoice_number, i.id]));
          let left = cents;
          const rows = [];
          for (const inv of view!.invoices) {
            const part = Math.min(left, inv.openCents);
            if (part <= 0) continue;
            rows.push({ invoiceId: idOf.get(inv.invoiceNumber)!, customerId: dispute.customer_id, source: 'credit' as const, paymentId: null, creditId, amountCents: part, appliedOn: time.businessDate });
            left -= part;
          }
          await insertApplications(trx, rows, actor, time.at);
          for (const r of rows) await refreshInvoiceStatus(trx, r.invoiceId);
        }
        // Resolving is a supervisor's decision: when a clerk's request was approved in place, the
        // supervisor who approved it is the one who resolved it (the audit names both).
        await trx
          .updateTable('disputes')
          .set({ status: 'resolved', outcome: input.outcome, resolution_reason: reason, credit_id: creditId, resolved_at: time.at, resolved_by: currentAuditScope()?.approvedBy?.username ?? actor })
          .where('id', '=', dispute.id)
          .execute();
        const invoiceIds = trx.selectFrom('dispute_invoices').select('invoice_id').where('dispute_id', '=', dispute.id);
        await trx.updateTable('invoices').set({ disputed: 0, dispute_reason: null }).where('id', 'in', invoiceIds).execute();
        await appendAudit(trx, {
          actor,
          action: 'dispute.resolve',
          entity: 'dispute',
          entityId: dispute.id,
          customerNumber: view!.customerNumber,
          summary: { customerNumber: view!.customerNumber, outcome: input.outcome, reason, creditNumber, creditCents: input.outcome === 'customer' ? input.creditCents : 0, invoices: view!.invoices.map((i) => i.invoiceNumber) },
          at: time.at,
        });
        return (await loadDisputes(trx, { disputeId: dispute.id }))[0]!;
      });
    },
  };
}

export type DisputesService = ReturnType<typeof createDisputesService>;
