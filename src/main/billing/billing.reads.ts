/** What the billing run reads: the subscriptions to plan from, and which periods are billed already. */
import type { Db, Tx } from '../db/types';
import type { PlanSubscription } from './billing.plan';
import type { BillingPeriod } from './periods.rules';

/**
 * The subscriptions the run bills, with their lines and what they last billed, in three reads:
 * the active ones of accounts not cancelled, and the cancelled ones whose service ran past the
 * last period billed (cancelled on a day whose started period was not billed yet: its used days
 * are billed up to the end date). Held ones are left out.
 */
export async function loadPlanSubscriptions(db: Db | Tx, customerIds?: readonly number[]): Promise<PlanSubscription[]> {
  let q = db
    .selectFrom('subscriptions as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select([
      's.id', 's.customer_id', 's.period', 's.start_date', 's.end_date', 's.anchor_day',
      'c.customer_number', 'c.terms_days', 'c.tax_exempt',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('s.status', '=', 'active'), eb('c.status', '<>', 'cancelled')]),
        eb.and([
          eb('s.status', '=', 'cancelled'),
          eb('s.end_date', 'is not', null),
          eb.not(eb.exists(eb.selectFrom('subscription_periods as bp').select('bp.id').whereRef('bp.subscription_id', '=', 's.id').whereRef('bp.period_end', '>=', 's.end_date'))),
        ]),
      ]),
    )
    .where('s.held_reason', 'is', null);
  if (customerIds) q = q.where('s.customer_id', 'in', customerIds.length > 0 ? [...customerIds] : [-1]);
  const subs = await q.orderBy('s.id').execute();
  if (subs.length === 0) return [];
  const ids = subs.map((s) => s.id);
  const lines = new Map<number, PlanSubscription['lines'][number][]>();
  const last = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const rows = await db
      .selectFrom('subscription_lines')
      .select(['subscription_id', 'effective_from', 'line_no', 'description', 'unit_price_cents', 'quantity', 'taxable'])
      .where('subscription_id', 'in', chunk)
      .orderBy('subscription_id')
      .orderBy('effective_from')
      .orderBy('line_no')
      .execute();
    for (const r of rows) {
      const list = lines.get(r.subscription_id) ?? [];
      list.push({ effectiveFrom: r.effective_from, description: r.description, unitPriceCents: r.unit_price_cents, quantity: r.quantity, taxable: r.taxable === 1 });
      lines.set(r.subscription_id, list);
    }
    const billed = await db
      .selectFrom('subscription_periods')
      .select(['subscription_id', (eb) => eb.fn.max('period_start').as('last')])
      .where('subscription_id', 'in', chunk)
      .groupBy('subscription_id')
      .execute();
    for (const b of billed) if (b.last) last.set(b.subscription_id, b.last);
  }
  return subs.map((s) => ({
    id: s.id,
    customerId: s.customer_id,
    customerNumber: s.customer_number,
    termsDays: s.terms_days,
    taxExempt: s.tax_exempt === 1,
    period: s.period as BillingPeriod,
    startDate: s.start_date,
    endDate: s.end_date,
    anchorDay: s.anchor_day,
    lines: lines.get(s.id) ?? [],
    lastBilledStart: last.get(s.id) ?? null,
  }));
}

/** The pairs (subscription, period start) among `wanted` that are billed already. */
export async function billedAmong(trx: Tx, subscriptionIds: readonly number[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < subscriptionIds.length; i += 5000) {
    const rows = await trx
      .selectFrom('subscription_periods')
      .select(['subscription_id', 'period_start'])
      .where('subscription_id', 'in', subscriptionIds.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.add(`${r.subscription_id}|${r.period_start}`);
  }
  return out;
}
