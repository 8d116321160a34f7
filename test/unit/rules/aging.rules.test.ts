import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToBuckets,
  ageInvoices,
  AGING_BUCKETS,
  bucketFor,
  bucketsTotal,
  emptyBuckets,
  type AgingBucket,
} from '../../../src/main/ledger/aging.rules';
import { addDays } from '../../../src/shared/dates';

const AS_OF = '2026-06-30';

describe('AGING_BUCKETS', () => {
  it('lists the buckets youngest first, for display', () => {
    expect(AGING_BUCKETS).toEqual(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90']);
  });
});

describe('bucketFor', () => {
  // The dates are counted by hand back from 2026-06-30, not computed with the date code.
  it.each([
    ['2026-07-30', -30, 'current'],
    ['2026-07-01', -1, 'current'],
    ['2026-06-30', 0, 'current'],
    ['2026-06-29', 1, 'days_1_30'],
    ['2026-05-31', 30, 'days_1_30'],
    ['2026-05-30', 31, 'days_31_60'],
    ['2026-05-01', 60, 'days_31_60'],
    ['2026-04-30', 61, 'days_61_90'],
    ['2026-04-01', 90, 'days_61_90'],
    ['2026-03-31', 91, 'days_over_90'],
    ['2025-05-26', 400, 'days_over_90'],
  ] as [string, number, AgingBucket][])('puts a basis date of %s (%i days old) in %s', (date, _age, bucket) => {
    expect(bucketFor(AS_OF, date)).toBe(bucket);
  });

  it('counts calendar days across month ends and leap days', () => {
    expect(bucketFor('2024-03-31', '2024-02-29')).toBe('days_31_60'); // 31 days
    expect(bucketFor('2024-03-30', '2024-02-29')).toBe('days_1_30'); // 30 days
  });

  it('refuses a date that does not exist', () => {
    expect(() => bucketFor('2026-02-30', '2026-01-01')).toThrow('YYYY-MM-DD');
  });
});

describe('buckets', () => {
  it('start empty', () => {
    expect(emptyBuckets()).toEqual({ current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0 });
    expect(bucketsTotal(emptyBuckets())).toBe(0);
  });

  it('add into one bucket without changing the buckets given', () => {
    const before = emptyBuckets();
    const after = addToBuckets(addToBuckets(before, 'days_31_60', 1_250), 'days_31_60', 50);
    expect(after).toEqual({ ...emptyBuckets(), days_31_60: 1_300 });
    expect(before).toEqual(emptyBuckets());
    expect(bucketsTotal(addToBuckets(after, 'current', 7))).toBe(1_307);
  });

  it('refuse a fraction of a cent or a negative amount', () => {
    expect(() => addToBuckets(emptyBuckets(), 'current', 0.5)).toThrow('whole number of cents');
    expect(() => addToBuckets(emptyBuckets(), 'current', -1)).toThrow('negative');
  });
});

describe('ageInvoices', () => {
  const invoices = [
    { issueDate: '2026-06-20', dueDate: '2026-07-20', openCents: 100 }, // due in future
    { issueDate: '2026-05-01', dueDate: '2026-05-31', openCents: 2_000 }, // 30 days past due, 60 since issue
    { issueDate: '2026-04-01', dueDate: '2026-05-01', openCents: 30_000 }, // 60 past due, 90 since issue
    { issueDate: '2026-03-01', dueDate: '2026-03-31', openCents: 400_000 }, // 91 past due, 121 since issue
    { issueDate: '2026-07-01', dueDate: '2026-07-31', openCents: 5_000_000 }, // issued after asOf
  ];

  it('ages open amounts by days past the due date', () => {
    expect(ageInvoices(AS_OF, 'due', invoices)).toEqual({
      current: 100,
      days_1_30: 2_000,
      days_31_60: 30_000,
      days_61_90: 0,
      days_over_90: 400_000,
    });
  });

  it('ages open amounts by days since the issue date', () => {
    expect(ageInvoices(AS_OF, 'invoice', invoices)).toEqual({
      current: 0,
      days_1_30: 100,
      days_31_60: 2_000,
      days_61_90: 30_000,
      days_over_90: 400_000,
    });
  });

  it('leaves out invoices issued after the as-of date but keeps one issued that day', () => {
    const sameDay = [{ issueDate: AS_OF, dueDate: AS_OF, openCents: 9 }];
    expect(bucketsTotal(ageInvoices(AS_OF, 'due', [...invoices, ...sameDay]))).toBe(432_109);
  });

  it('returns empty buckets for no invoices', () => {
    expect(ageInvoices(AS_OF, 'due', [])).toEqual(emptyBuckets());
  });

  it('refuses bad input rather than misfile it', () => {
    expect(() => ageInvoices('2026-13-01', 'due', [])).toThrow('asOf');
    expect(() => ageInvoices(AS_OF, 'due', [{ issueDate: '2026-01-01', dueDate: '2026-01-01', openCents: 1.5 }])).toThrow(
      'whole number of cents',
    );
    expect(() => ageInvoices(AS_OF, 'posted' as 'due', [])).toThrow('aging basis');
  });

  const invoiceArb = fc.record({
    issueOffset: fc.integer({ min: -400, max: 60 }),
    terms: fc.integer({ min: 0, max: 90 }),
    openCents: fc.integer({ min: 0, max: 10_000_000 }),
  });

  it('totals the open amounts of invoices issued on or before the as-of date, whatever the basis', () => {
    fc.assert(
      fc.property(fc.array(invoiceArb, { maxLength: 30 }), fc.constantFrom<'due' | 'invoice'>('due', 'invoice'), (specs, basis) => {
        const list = specs.map((s) => {
          const issueDate = addDays(AS_OF, s.issueOffset);
          return { issueDate, dueDate: addDays(issueDate, s.terms), openCents: s.openCents };
        });
        const expected = list.filter((i) => i.issueDate <= AS_OF).reduce((acc, i) => acc + i.openCents, 0);
        const buckets = ageInvoices(AS_OF, basis, list);
        expect(bucketsTotal(buckets)).toBe(expected);
        for (const b of AGING_BUCKETS) expect(Number.isInteger(buckets[b]) && buckets[b] >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('never ages an invoice older by due date than by issue date', () => {
    fc.assert(
      fc.property(invoiceArb, (s) => {
        const issueDate = addDays(AS_OF, Math.min(0, s.issueOffset));
        const dueDate = addDays(issueDate, s.terms);
        const byDue = AGING_BUCKETS.indexOf(bucketFor(AS_OF, dueDate));
        const byIssue = AGING_BUCKETS.indexOf(bucketFor(AS_OF, issueDate));
        expect(byDue).toBeLessThanOrEqual(byIssue);
      }),
      { numRuns: 1000 },
    );
  });
});
