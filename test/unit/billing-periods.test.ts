import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, daysInMonth } from '../../src/shared/dates';
import { anchorDate, BILLING_PERIODS, PERIOD_MONTHS, periodsOf, prorate, type BillingPeriod } from '../../src/main/billing/periods.rules';

const take = <T>(it: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const x of it) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
};

const dateArb = fc
  .record({ year: fc.integer({ min: 1999, max: 2101 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`);
const periodArb = fc.constantFrom<BillingPeriod>(...BILLING_PERIODS);

describe('billing periods', () => {
  it('an anchor of the 31st bills Jan 31, Feb 28 (29 in a leap year), Mar 31, Apr 30', () => {
    const starts = (start: string) => take(periodsOf({ startDate: start, anchorDay: 31, period: 'monthly', endDate: null }), 5).map((p) => p.start);
    expect(starts('2026-01-31')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(starts('2028-01-31')).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31']);
    const first = take(periodsOf({ startDate: '2026-01-31', anchorDay: 31, period: 'monthly', endDate: null }), 2);
    expect(first.map((p) => [p.start, p.end])).toEqual([['2026-01-31', '2026-02-27'], ['2026-02-28', '2026-03-30']]);
  });

  it('quarterly, semi-annual and annual periods step 3, 6 and 12 months from the anchor', () => {
    const starts = (period: BillingPeriod) => take(periodsOf({ startDate: '2025-11-30', anchorDay: 30, period, endDate: null }), 3).map((p) => p.start);
    expect(starts('quarterly')).toEqual(['2025-11-30', '2026-02-28', '2026-05-30']);
    expect(starts('semiannual')).toEqual(['2025-11-30', '2026-05-30', '2026-11-30']);
    expect(starts('annual')).toEqual(['2025-11-30', '2026-11-30', '2027-11-30']);
    // Feb 29 anniversaries: Feb 28 in common years, Feb 29 again in the next leap year.
    expect(take(periodsOf({ startDate: '2024-02-29', anchorDay: 29, period: 'annual', endDate: null }), 5).map((p) => p.start)).toEqual([
      '2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29',
    ]);
  });

  it('calendar billing begun mid-month starts with a stub priced by days, half up', () => {
    const [stub, next] = take(periodsOf({ startDate: '2026-11-15', anchorDay: 1, period: 'monthly', endDate: null }), 2);
    expect(stub).toEqual({ start: '2026-11-15', end: '2026-11-30', days: 16, fullDays: 30 });
    expect(next).toEqual({ start: '2026-12-01', end: '2026-12-31', days: 31, fullDays: 31 });
    // $49.99 for 16 of 30 days = 2666.13… cents → $26.66; $10.00 for 15 of 30 = 500 exactly; 1 cent for 15 of 30 = 0.5 → 1.
    expect(prorate(4999, 16, 30)).toBe(2666);
    expect(prorate(1000, 15, 30)).toBe(500);
    expect(prorate(1, 15, 30)).toBe(1);
    expect(prorate(3, 1, 6)).toBe(1);
    expect(prorate(2, 1, 6)).toBe(0);
    const [q] = take(periodsOf({ startDate: '2026-11-15', anchorDay: 1, period: 'quarterly', endDate: null }), 1);
    expect(q).toEqual({ start: '2026-11-15', end: '2027-01-31', days: 78, fullDays: 92 });
  });

  it('an end date cuts the last period short and stops there', () => {
    const ps = [...periodsOf({ startDate: '2026-01-01', anchorDay: 1, period: 'monthly', endDate: '2026-03-10' })];
    expect(ps.map((p) => [p.start, p.end, p.days, p.fullDays])).toEqual([
      ['2026-01-01', '2026-01-31', 31, 31],
      ['2026-02-01', '2026-02-28', 28, 28],
      ['2026-03-01', '2026-03-10', 10, 31],
    ]);
  });

  it('periods never overlap or leave gaps, and every start after a stub is the anchor clamped to its month (property)', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 31 }), periodArb, fc.integer({ min: 1, max: 40 }), (start, anchorDay, period, n) => {
        const ps = take(periodsOf({ startDate: start, anchorDay, period, endDate: null }), n);
        expect(ps[0]!.start).toBe(start);
        for (let i = 0; i < ps.length; i++) {
          const p = ps[i]!;
          expect(p.end >= p.start).toBe(true);
          expect(p.days).toBe(daysBetween(p.start, p.end) + 1);
          expect(p.days).toBeLessThanOrEqual(p.fullDays);
          if (i > 0) {
            expect(p.start).toBe(addDays(ps[i - 1]!.end, 1));
            const [y, m, d] = p.start.split('-').map(Number) as [number, number, number];
            expect(d).toBe(Math.min(anchorDay, daysInMonth(y, m)));
            expect(p.days).toBe(p.fullDays);
          }
        }
        // Every start is the anchor series of the first month stepped by whole periods: the k-th
        // start is computed from the anchor, never from the previous clamped date.
        // (A start after this month's anchor has a stub up to the next anchor; one before it, up to this month's.)
        const offset = anchorDate(start, anchorDay, period, 0) <= start ? 0 : -1;
        for (let i = 1; i < ps.length; i++) {
          expect(ps[i]!.start).toBe(anchorDate(start, anchorDay, period, i + offset));
          const [y0, m0] = start.split('-').map(Number) as [number, number];
          const [y, m] = ps[i]!.start.split('-').map(Number) as [number, number];
          expect(y * 12 + m - (y0 * 12 + m0)).toBe((i + offset) * PERIOD_MONTHS[period]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('prorating by days rounds half up and never exceeds the whole (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_00 }), fc.integer({ min: 28, max: 366 }), fc.integer({ min: 1, max: 366 }), (cents, full, d) => {
        const days = Math.min(d, full);
        const part = prorate(cents, days, full);
        expect(part).toBeLessThanOrEqual(cents);
        // |part × full − cents × days| ≤ full / 2, ties upward.
        const diff = BigInt(part) * BigInt(full) * 2n - BigInt(cents) * BigInt(days) * 2n;
        expect(diff >= -BigInt(full) && diff <= BigInt(full)).toBe(true);
        if (diff === -BigInt(full)) throw new Error('a half was rounded down');
      }),
      { numRuns: 5000 },
    );
  });
});
