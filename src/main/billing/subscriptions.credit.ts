/** What a subscription's billed periods are worth from a day on: the credit of a cancellation or a change made now. */
import { sql } from 'kysely';
import { addDays, daysBetween, type IsoDate } from '../../shared/dates';
import type { Tx } from '../db/types';
import { prorate } from './periods.rules';

/** `a` × `b` / `c`, rounded half up (integers; c > 0). */
function mulDivHalfUp(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (BigInt(c) * 2n));
}

/**
 * The taxable part of what a subscription was billed for a period: its amount in the proportion
 * of the taxable lines of the version of its lines that billed that period, half up. All taxable:
 * the amount; none: 0.
 */
async function taxablePartOf(trx: Tx, subscriptionId: number, periodStart: IsoDate, amountCents: number): Promise<number> {
  const version = await trx
    .selectFrom('subscription_lines')
    .select('effective_from')
    .where('subscription_id', '=', subscriptionId)
    .where('effective_from', '<=', periodStart)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!version) return 0;
  const lines = await trx
    .selectFrom('subscription_lines')
    .select(['unit_price_cents', 'quantity', 'taxable'])
    .where('subscription_id', '=', subscriptionId)
    .where('effective_from', '=', version.effective_from)
    .execute();
  const whole = lines.reduce((s, l) => s + l.unit_price_cents * l.quantity, 0);
  const taxable = lines.filter((l) => l.taxable === 1).reduce((s, l) => s + l.unit_price_cents * l.quantity, 0);
  if (whole === 0 || taxable === 0) return 0;
  return taxable === whole ? amountCents : mulDivHalfUp(amountCents, taxable, whole);
}

/**
 * What was billed for days from `firstUnused` on, with its share of the invoice's tax: periods
 * starting on or after it in full, the one it falls in by days, half up. The share of the tax is
 * the invoice's tax in the proportion of this subscription's taxable part to the invoice's taxable
 * lines, so a subscription without taxable lines takes none of the tax of an invoice it shares
 * with a taxable one. Days a change made now billed again (subscription_rebills) count at that
 * billing, the latest for the day, never at the period's first one as well: the change credited
 * those. A void invoice counts nothing.
 */
export async function unusedCents(trx: Tx, subscriptionId: number, firstUnused: IsoDate, onlyPeriod?: IsoDate): Promise<number> {
  let q = trx
    .selectFrom('subscription_periods as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select([
      'p.period_start',
      'p.period_end',
      'p.amount_cents',
      'i.tax_cents',
      'i.status',
      (eb) =>
        eb
          .selectFrom('invoice_lines as l')
          .select(sql<number>`COALESCE(SUM(l.amount_cents), 0)`.as('t'))
          .whereRef('l.invoice_id', '=', 'i.id')
          .where('l.taxable', '=', 1)
          .as('taxable_cents'),
    ])
    .where('p.subscription_id', '=', subscriptionId)
    .where('p.period_end', '>=', firstUnused);
  let r = trx
    .selectFrom('subscription_rebills as r')
    .innerJoin('invoices as i', 'i.id', 'r.invoice_id')
    .select(['r.period_start', 'r.from_date', 'r.to_date', 'r.amount_cents', 'i.tax_cents', 'i.status'])
    .where('r.subscription_id', '=', subscriptionId)
    .where('r.to_date', '>=', firstUnused);
  if (onlyPeriod !== undefined) {
    q = q.where('p.period_start', '=', onlyPeriod);
    r = r.where('r.period_start', '=', onlyPeriod);
  }
  const [periods, rebills] = [await q.execute(), await r.execute()];
  const rebillOf = new Map(rebills.map((x) => [x.period_start, x]));
  let total = 0;
  for (const p of periods) {
    if (p.status === 'void') continue;
    const from = p.period_start >= firstUnused ? p.period_start : firstUnused;
    // The days up to a change made now; the rest are counted by its rebill below.
    const rebill = rebillOf.get(p.period_start);
    const to = rebill ? addDays(rebill.from_date, -1) : p.period_end;
    if (from > to) continue;
    const invoiceTaxable = Number(p.taxable_cents ?? 0);
    const mine = p.tax_cents > 0 && invoiceTaxable > 0 ? await taxablePartOf(trx, subscriptionId, p.period_start, p.amount_cents) : 0;
    const taxShare = mine > 0 ? mulDivHalfUp(p.tax_cents, mine, invoiceTaxable) : 0;
    total += prorate(p.amount_cents + taxShare, daysBetween(from, to) + 1, daysBetween(p.period_start, p.period_end) + 1);
  }
  for (const x of rebills) {
    if (x.status === 'void') continue;
    // A rebill's invoice bills this subscription alone: its whole tax is this subscription's.
    const from = x.from_date >= firstUnused ? x.from_date : firstUnused;
    total += prorate(x.amount_cents + x.tax_cents, daysBetween(from, x.to_date) + 1, daysBetween(x.from_date, x.to_date) + 1);
  }
  return total;
}
