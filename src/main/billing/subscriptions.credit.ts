/** What a subscription's billed periods are worth from a day on: the credit of a cancellation or a change made now. */
import { daysBetween, type IsoDate } from '../../shared/dates';
import type { Tx } from '../db/types';
import { prorate } from './periods.rules';

export /**
 * What was billed for days from `firstUnused` on, with its share of the invoice's tax: periods
 * starting on or after it in full, the one it falls in by days, half up.
 */
async function unusedCents(trx: Tx, subscriptionId: number, firstUnused: IsoDate, onlyPeriod?: IsoDate): Promise<number> {
  let q = trx
    .selectFrom('subscription_periods as p')
    .innerJoin('invoices as i', 'i.id', 'p.invoice_id')
    .select(['p.period_start', 'p.period_end', 'p.amount_cents', 'i.subtotal_cents', 'i.tax_cents', 'i.status'])
    .where('p.subscription_id', '=', subscriptionId)
    .where('p.period_end', '>=', firstUnused);
  if (onlyPeriod !== undefined) q = q.where('p.period_start', '=', onlyPeriod);
  const periods = await q.execute();
  let total = 0;
  for (const p of periods) {
    if (p.status === 'void') continue;
    const taxShare = p.subtotal_cents > 0 ? Number((BigInt(p.tax_cents) * BigInt(p.amount_cents) * 2n + BigInt(p.subtotal_cents)) / (BigInt(p.subtotal_cents) * 2n)) : 0;
    const billed = p.amount_cents + taxShare;
    const days = daysBetween(p.period_start, p.period_end) + 1;
    const unused = p.period_start >= firstUnused ? days : daysBetween(firstUnused, p.period_end) + 1;
    total += prorate(billed, unused, days);
  }
  return total;
}
