/**
 * Subscriptions: what a customer is billed for every period, made on the account or by import,
 * and cancelled at the end of the term or at once with a credit for the unused days.
 */
import { AppError } from '../../shared/errors';
import { fieldsError } from '../../shared/validation';
import type { SubscriptionDto } from '../../shared/contract/billing';
import type { CoreDeps } from '../deps';
import type { Db, Tx } from '../db/types';
import { lockCustomer, lockCustomers, writeTx } from '../db/dialect';
import { customersByNumbers, requireCustomer } from '../ledger/customers.repo';
import { parseCsv } from '../ledger/csv.rules';
import { cellsOf, readHeaderOf, type ImportError } from '../ledger/import.rules';
import { postingTime, type PostingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { takeWriteLock } from '../payments/payments.repo';
import { cancelAccount, cancelSubscriptions, type AccountCancelOptions, type AccountCancelResult, type CancelOptions, type CancelResult } from './subscriptions.cancel';
import { changeSubscription, type ChangeOptions, type ChangeResult } from './subscriptions.change';
import { draftSubscription, subscriptionFromCells, SUBSCRIPTION_IMPORT_COLUMNS, type SubscriptionDraft, type SubscriptionInput } from './subscriptions.rules';

export type SubscriptionView = SubscriptionDto;
export type { ChangeOptions, ChangeResult };

export type { AccountCancelOptions, AccountCancelResult, CancelOptions, CancelResult };

async function insertSubscription(trx: Tx, customerId: number, d: SubscriptionDraft, actor: string, time: PostingTime): Promise<number> {
  const row = await trx
    .insertInto('subscriptions')
    .values({
      customer_id: customerId,
      period: d.period,
      start_date: d.startDate,
      end_date: d.endDate,
      anchor_day: d.anchorDay,
      created_at: time.at,
      created_by: actor,
      updated_at: time.at,
      updated_by: actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('subscription_lines')
    .values(d.lines.map((l, i) => ({
      subscription_id: row.id,
      effective_from: d.startDate,
      line_no: i + 1,
      description: l.description,
      unit_price_cents: l.unitPriceCents,
      quantity: l.quantity,
      taxable: l.taxable ? 1 : 0,
      created_at: time.at,
      created_by: actor,
    })))
    .execute();
  return row.id;
}

export async function listSubscriptions(db: Db, customerId: number, customerNumber: string): Promise<SubscriptionView[]> {
  const subs = await db.selectFrom('subscriptions').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();
  if (subs.length === 0) return [];
  const ids = subs.map((s) => s.id);
  const lines = await db.selectFrom('subscription_lines').selectAll().where('subscription_id', 'in', ids).orderBy('effective_from').orderBy('line_no').execute();
  const billed = await db
    .selectFrom('subscription_periods as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.subscription_id', 'p.period_start', 'p.period_end', 'p.amount_cents', 'i.invoice_number'])
    .where('p.subscription_id', 'in', ids)
    .orderBy('p.period_start', 'desc')
    .execute();
  return subs.map((s) => {
    const own = lines.filter((l) => l.subscription_id === s.id);
    const latest = own.reduce<string | null>((m, l) => (m === null || l.effective_from > m ? l.effective_from : m), null);
    const current = own.filter((l) => l.effective_from === latest);
    return {
      id: s.id,
      customerNumber,
      period: s.period,
      startDate: s.start_date,
      endDate: s.end_date,
      anchorDay: s.anchor_day,
      status: s.status,
      heldReason: s.held_reason,
      lines: own.map((l) => ({ effectiveFrom: l.effective_from, description: l.description, unitPriceCents: l.unit_price_cents, quantity: l.quantity, taxable: l.taxable === 1 })),
      periodCents: current.reduce((sum, l) => sum + l.unit_price_cents * l.quantity, 0),
      billed: billed.filter((b) => b.subscription_id === s.id).map((b) => ({ periodStart: b.period_start, periodEnd: b.period_end, invoiceNumber: b.invoice_number, amountCents: b.amount_cents })),
      createdAt: s.created_at,
      createdBy: s.created_by,
      cancelledAt: s.cancelled_at,
      cancelledBy: s.cancelled_by,
      cancelReason: s.cancel_reason,
      cancelMode: s.cancel_mode,
    };
  });
}

export function createSubscriptionsService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>) {
  const db = deps.ledger.db;

  return {
    async create(input: SubscriptionInput, actor: string): Promise<SubscriptionView> {
      const checked = draftSubscription(input);
      if (!checked.ok) throw fieldsError(checked.problems);
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        const customer = await requireCustomer(trx, input.customerNumber);
        await lockCustomer(trx, customer.id);
        if (customer.status === 'cancelled') {
          throw new AppError('CONFLICT', `${customer.customer_number} is cancelled; a cancelled account is not billed`, { fields: { customerNumber: 'the account is cancelled' } });
        }
        const id = await insertSubscription(trx, customer.id, checked.draft, actor, time);
        await appendAudit(trx, {
          actor,
          action: 'subscription.create',
          entity: 'subscription',
          entityId: id,
          customerNumber: customer.customer_number,
          summary: { customerNumber: customer.customer_number, ...checked.draft },
          at: time.at,
        });
        return (await listSubscriptions(trx, customer.id, customer.customer_number)).find((s) => s.id === id)!;
      });
    },

    async list(customerNumber: string): Promise<SubscriptionView[]> {
      const customer = await requireCustomer(db, customerNumber);
      return listSubscriptions(db, customer.id, customer.customer_number);
    },

    /** All rows or none: every bad row is reported as `line N: reason`. */
    async importCsv(text: string, actor: string): Promise<{ ok: true; subscriptions: number } | { ok: false; errors: ImportError[] }> {
      const parsed = parseCsv(text);
      if (!parsed.ok) return { ok: false, errors: [{ line: parsed.line, message: parsed.message }] };
      const [header, ...rows] = parsed.records;
      const read = readHeaderOf('subscriptions', SUBSCRIPTION_IMPORT_COLUMNS, header);
      if (!read.ok) return { ok: false, errors: read.errors };
      const index = read.index;
      if (rows.length === 0) return { ok: false, errors: [{ line: header!.line, message: 'the file has no subscriptions under its header' }] };
      const errors: ImportError[] = [];
      const inputs: { line: number; input: SubscriptionInput; draft: SubscriptionDraft }[] = [];
      for (const r of rows) {
        if (r.fields.length !== index.size) {
          errors.push({ line: r.line, message: `has ${r.fields.length} fields; the header has ${index.size}` });
          continue;
        }
        const row = subscriptionFromCells(cellsOf(r, index));
        if (!row.ok) errors.push({ line: r.line, message: row.problems.join('; ') });
        else {
          const d = draftSubscription(row.input);
          if (d.ok) inputs.push({ line: r.line, input: row.input, draft: d.draft });
        }
      }
      const customers = await customersByNumbers(db, [...new Set(inputs.map((i) => i.input.customerNumber))]);
      for (const i of inputs) {
        const c = customers.get(i.input.customerNumber);
        if (!c) errors.push({ line: i.line, message: `customer_number ${i.input.customerNumber} is not in the ledger` });
      }
      if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
      const time = postingTime(deps);
      const refused = await writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        const ids = [...customers.values()].map((c) => c.id);
        // The file's customers locked (PostgreSQL), so none is cancelled between this check and the inserts; read in chunks (SQLite's variable limit).
        await lockCustomers(trx, ids);
        const cancelled = new Set<string>();
        for (let k = 0; k < ids.length; k += 5000) {
          const rows = await trx.selectFrom('customers').select('customer_number').where('id', 'in', ids.slice(k, k + 5000)).where('status', '=', 'cancelled').execute();
          for (const r of rows) cancelled.add(r.customer_number);
        }
        if (cancelled.size > 0) {
          const lines = inputs.filter((i) => cancelled.has(i.input.customerNumber)).map((i) => ({ line: i.line, message: `customer_number ${i.input.customerNumber} is cancelled` }));
          throw new ImportRefused(lines);
        }
        for (const i of inputs) await insertSubscription(trx, customers.get(i.input.customerNumber)!.id, i.draft, actor, time);
        await appendAudit(trx, {
          actor,
          action: 'subscription.import',
          entity: 'ledger',
          entityId: 'subscriptions',
          customerNumber: null,
          summary: { rows: inputs.length, customers: customers.size },
          at: time.at,
        });
        return null;
      }).catch((e: unknown) => {
        if (e instanceof ImportRefused) return e;
        throw e;
      });
      if (refused) return { ok: false, errors: refused.errors };
      return { ok: true, subscriptions: inputs.length };
    },

    /** New lines (a price or a quantity), from the next period or now: see subscriptions.change.ts. */
    async change(options: ChangeOptions, actor: string): Promise<ChangeResult> {
      return changeSubscription(deps, options, actor);
    },

    /** One subscription, or all of a customer's active ones: see subscriptions.cancel.ts. */
    async cancel(options: CancelOptions, actor: string): Promise<CancelResult> {
      return cancelSubscriptions(deps, options, actor);
    },

    /** The whole account: every active subscription the same way, and the account marked cancelled. */
    async cancelAccount(options: AccountCancelOptions, actor: string): Promise<AccountCancelResult> {
      return cancelAccount(deps, options, actor);
    },
  };
}

class ImportRefused extends Error {
  constructor(readonly errors: ImportError[]) {
    super('import refused');
  }
}
