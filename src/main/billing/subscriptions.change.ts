/** Changing a subscription's lines: from the next period, or now with the current period settled again by days. */
import { AppError } from '../../shared/errors';
import { addDays, assertIsoDate, daysBetween, type IsoDate } from '../../shared/dates';
import { fieldsError } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { Tx } from '../db/types';
import { lockCustomer, writeTx } from '../db/dialect';
import { assertDayOpen } from '../ledger/day-close';
import { nextDocumentNumber } from '../ledger/counters.repo';
import { insertCredit } from '../ledger/credits.repo';
import { requireCustomer } from '../ledger/customers.repo';
import { insertInvoice, insertInvoiceLines } from '../ledger/invoices.repo';
import { postingTime } from '../ledger/posting';
import { computeInvoiceTotals } from '../ledger/tax.rules';
import { takeWriteLock } from '../payments/payments.repo';
import { appendAudit } from '../staff/audit.repo';
import { periodsOf, prorate } from './periods.rules';
import { unusedCents } from './subscriptions.credit';
import { draftSubscription, type SubscriptionInput } from './subscriptions.rules';

export interface ChangeOptions {
  customerNumber: string;
  subscriptionId: number;
  lines: SubscriptionInput['lines'];
  effective: 'next_period' | 'now';
  asOf: IsoDate;
}

export interface ChangeResult {
  subscriptionId: number;
  /** The first period start the new lines bill. */
  effectiveFrom: IsoDate;
  creditNumber: string | null;
  creditCents: number;
  invoiceNumber: string | null;
  invoiceCents: number;
}

/** CONFLICT when the subscription has a version of its lines from `from` on already. */
async function refuseChangeAfter(trx: Tx, subscriptionId: number, from: IsoDate): Promise<void> {
  const version = await trx.selectFrom('subscription_lines').select('effective_from').where('subscription_id', '=', subscriptionId).where('effective_from', '>=', from).executeTakeFirst();
  if (version) throw new AppError('CONFLICT', `Subscription ${subscriptionId} already has a change from ${version.effective_from}; cancel and add it again to change it once more`);
}

/**
 * New lines (a price or a quantity) for a subscription. From the next period by default: a new
 * version of its lines applies from the first period after the as-of date that is not billed
 * yet. Now: the period the as-of date falls in is settled again by days, half up: a credit memo
 * for its unused days at the old price (with their share of the tax) and an invoice for the same
 * days at the new price; the new lines apply from the next period on.
 */
export async function changeSubscription(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>, options: ChangeOptions, actor: string): Promise<ChangeResult> {
  const db = deps.ledger.db;
  assertIsoDate(options.asOf, 'asOf');
  const checked = draftSubscription({ customerNumber: options.customerNumber, period: 'monthly', startDate: options.asOf, lines: options.lines });
  if (!checked.ok) throw fieldsError(Object.fromEntries(Object.entries(checked.problems).filter(([k]) => k.startsWith('lines'))));
  if (options.effective !== 'next_period' && options.effective !== 'now') throw fieldsError({ effective: 'must be next_period or now' });
  const time = postingTime(deps);
  const taxRateBp = deps.settings.get().defaultTaxRateBp;
  return writeTx(db, async (trx) => {
    await takeWriteLock(trx);
    const customer = await requireCustomer(trx, options.customerNumber);
    await lockCustomer(trx, customer.id);
    const s = await trx.selectFrom('subscriptions').selectAll().where('id', '=', options.subscriptionId).where('customer_id', '=', customer.id).executeTakeFirst();
    if (!s) throw new AppError('NOT_FOUND', `${customer.customer_number} has no subscription ${options.subscriptionId}`);
    if (s.status !== 'active') throw new AppError('CONFLICT', `Subscription ${s.id} is ${s.status}; a ${s.status} subscription is not changed`);
    const terms = { startDate: s.start_date, anchorDay: s.anchor_day, period: s.period, endDate: s.end_date };
    let current: { start: IsoDate; end: IsoDate; days: number; fullDays: number } | null = null;
    let next: IsoDate | null = null;
    for (const p of periodsOf(terms)) {
      if (p.start <= options.asOf && p.end >= options.asOf) current = p;
      else if (p.start > options.asOf) {
        next = p.start;
        break;
      }
    }
    const billedRows = await trx.selectFrom('subscription_periods').select(['period_start']).where('subscription_id', '=', s.id).execute();
    const billed = new Set(billedRows.map((r) => r.period_start));
    const lastBilled = billedRows.reduce<string | null>((m, r) => (m === null || r.period_start > m ? r.period_start : m), null);
    let creditNumber: string | null = null;
    let creditCents = 0;
    let invoiceNumber: string | null = null;
    let invoiceCents = 0;
    let effectiveFrom: IsoDate;
    if (options.effective === 'now' && current && billed.has(current.start)) {
      // Refused before any document is written: a period is billed again at most once.
      await refuseChangeAfter(trx, s.id, next ?? addDays(current.end, 1));
      const unused = daysBetween(options.asOf, current.end) + 1;
      creditCents = await unusedCents(trx, s.id, options.asOf, current.start);
      const newLines = checked.draft.lines.map((l) => {
        const part = prorate(l.unitPriceCents * l.quantity, unused, current!.fullDays);
        return { description: `${l.description} (new price from ${options.asOf} to ${current!.end}, ${unused} of ${current!.fullDays} days)`, quantity: 1, unitPriceCents: part, amountCents: part, taxable: l.taxable };
      });
      const totals = computeInvoiceTotals(newLines, taxRateBp, customer.tax_exempt === 1);
      if (creditCents > 0) {
        await assertDayOpen(trx, time.businessDate);
        creditNumber = await nextDocumentNumber(trx, 'credit');
        await insertCredit(
          trx,
          { creditNumber, customerId: customer.id, issueDate: time.businessDate, amountCents: creditCents, reason: `Old price for ${options.asOf} to ${current.end} (subscription ${s.id} changed)` },
          actor,
          time.at,
        );
      }
      invoiceNumber = await nextDocumentNumber(trx, 'invoice');
      const invoiceId = await insertInvoice(trx, {
        invoice_number: invoiceNumber,
        customer_id: customer.id,
        issue_date: time.businessDate,
        due_date: addDays(time.businessDate, customer.terms_days),
        period_start: options.asOf,
        period_end: current.end,
        billing_frequency: s.period,
        tax_rate_bp: customer.tax_exempt === 1 ? 0 : taxRateBp,
        subtotal_cents: totals.subtotalCents,
        tax_cents: totals.taxCents,
        total_cents: totals.totalCents,
        status: totals.totalCents === 0 ? 'paid' : 'open',
        created_at: time.at,
        created_by: actor,
      });
      await insertInvoiceLines(trx, invoiceId, newLines);
      // The days billed again, so a later cancellation credits them at the new price.
      await trx
        .insertInto('subscription_rebills')
        .values({ subscription_id: s.id, period_start: current.start, from_date: options.asOf, to_date: current.end, invoice_id: invoiceId, amount_cents: totals.subtotalCents, created_at: time.at })
        .execute();
      invoiceCents = totals.totalCents;
      effectiveFrom = next ?? addDays(current.end, 1);
    } else if (options.effective === 'now' && current) {
      // The current period is not billed yet: it bills at the new price.
      effectiveFrom = current.start;
    } else {
      effectiveFrom = next ?? addDays(options.asOf, 1);
      // A period billed ahead (lead days) keeps its price; the change applies after it.
      if (lastBilled !== null && lastBilled >= effectiveFrom) {
        for (const p of periodsOf(terms)) {
          if (p.start > lastBilled) {
            effectiveFrom = p.start;
            break;
          }
        }
      }
    }
    await refuseChangeAfter(trx, s.id, effectiveFrom);
    await trx
      .insertInto('subscription_lines')
      .values(checked.draft.lines.map((l, i) => ({
        subscription_id: s.id,
        effective_from: effectiveFrom,
        line_no: i + 1,
        description: l.description,
        unit_price_cents: l.unitPriceCents,
        quantity: l.quantity,
        taxable: l.taxable ? 1 : 0,
        created_at: time.at,
        created_by: actor,
      })))
      .execute();
    await trx.updateTable('subscriptions').set({ updated_at: time.at, updated_by: actor }).where('id', '=', s.id).execute();
    await appendAudit(trx, {
      actor,
      action: 'subscription.change',
      entity: 'subscription',
      entityId: s.id,
      customerNumber: customer.customer_number,
      summary: { customerNumber: customer.customer_number, effective: options.effective, asOf: options.asOf, effectiveFrom, lines: checked.draft.lines, creditNumber, creditCents, invoiceNumber, invoiceCents },
      at: time.at,
    });
    return { subscriptionId: s.id, effectiveFrom, creditNumber, creditCents, invoiceNumber, invoiceCents };
  });

}
