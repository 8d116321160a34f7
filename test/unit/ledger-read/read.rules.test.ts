import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agingReportCsv } from '../../../src/main/cli/commands/aging.commands';
import { bucketFor } from '../../../src/main/ledger/aging.rules';
import { bucketStarts } from '../../../src/main/ledger/aging.repo';
import { prefixEnd } from '../../../src/main/ledger/lookup.repo';
import { readQuery } from '../../../src/main/ledger/lookup.service';
import { mulberry32 } from '../../../src/main/demo/seed';
import type { AgingReport } from '../../../src/shared/contract/aging';
import { addDays } from '../../../src/shared/dates';

describe('reading what the clerk typed', () => {
  const cases: [string, Partial<ReturnType<typeof readQuery>>][] = [
    ['cl1042', { customerNumber: 'CL1042', invoiceNumber: 'cl1042', phoneDigits: null, nameWords: ['cl1042'] }],
    ['  CL10 ', { customerNumber: 'CL10' }],
    ['Café Rouge', { customerNumber: null, invoiceNumber: null, phoneDigits: null, emailPrefix: null, nameWords: ['cafe', 'rouge'] }],
    ['(503) 555-0142', { phoneDigits: '5035550142', nameWords: [], emailPrefix: null, invoiceNumber: null }],
    ['555-0142', { phoneDigits: '5550142', nameWords: [], invoiceNumber: '555-0142' }],
    ['+1 503 555 0142', { phoneDigits: '15035550142' }],
    ['014', { phoneDigits: null, nameWords: ['014'] }],
    ['AP@Harbor', { emailPrefix: 'ap@harbor', nameWords: [], customerNumber: null }],
    ['inv-100234', { invoiceNumber: 'inv-100234', customerNumber: null, nameWords: ['inv', '100234'] }],
    ['harbor', { emailPrefix: 'harbor', nameWords: ['harbor'] }],
    ['ab', { emailPrefix: null, nameWords: ['ab'] }],
  ];
  for (const [typed, expected] of cases) {
    it(`reads ${JSON.stringify(typed)} as ${JSON.stringify(expected)}`, () => {
      expect(readQuery(typed)).toMatchObject(expected);
    });
  }
});

describe('prefix ranges', () => {
  it('hold exactly the strings that start with the prefix (1,000 runs)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'z', 'A', '0', '9', '@', '.', '-', 'é', 'ü', '~') });
    fc.assert(
      fc.property(text, text, (prefix, s) => {
        expect(s >= prefix && s < prefixEnd(prefix)).toBe(s.startsWith(prefix));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('bucket start dates', () => {
  it('put every basis date in the bucket the aging rules give it (1,000 runs)', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: -40, max: 400 }), (asOf, age) => {
        const basisDate = addDays(asOf, -age);
        const s = bucketStarts(asOf);
        const bySql =
          basisDate >= s.current ? 'current'
          : basisDate >= s.days_1_30 ? 'days_1_30'
          : basisDate >= s.days_31_60 ? 'days_31_60'
          : basisDate >= s.days_61_90 ? 'days_61_90'
          : 'days_over_90';
        expect(bySql).toBe(bucketFor(asOf, basisDate));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the aging CSV', () => {
  it('writes dollars with two decimals, quotes names that need it and ends with a TOTAL row', () => {
    const row = { current: 123456, days_1_30: 5, days_31_60: 0, days_61_90: 100, days_over_90: 99, total: 123660, unapplied_credits_cents: 7500 };
    const report: AgingReport = {
      asOf: '2026-11-20',
      basis: 'due',
      totals: { ...row, current: 123457, total: 123661 },
      customers: [
        { customer_number: 'CL1042', legal_name: 'Smith, Jones & "Partners"', ...row, disputed_cents: 99 },
        { customer_number: 'TO0007', legal_name: 'Café Rouge', ...row, current: 1, days_1_30: 0, days_61_90: 0, days_over_90: 0, total: 1, unapplied_credits_cents: 0, disputed_cents: 0 },
      ],
    };
    expect(agingReportCsv(report).split('\r\n')).toEqual([
      'customer_number,legal_name,current,days_1_30,days_31_60,days_61_90,days_over_90,total,unapplied_credits,disputed',
      'CL1042,"Smith, Jones & ""Partners""",1234.56,0.05,0.00,1.00,0.99,1236.60,75.00,0.99',
      'TO0007,Café Rouge,0.01,0.00,0.00,0.00,0.00,0.01,0.00,0.00',
      'TOTAL,,1234.57,0.05,0.00,1.00,0.99,1236.61,75.00,0.99',
      '',
    ]);
  });
});

describe('the demo data generator', () => {
  it('draws the same numbers for the same seed, different ones for another, all in [0, 1)', () => {
    const draw = (seed: number) => {
      const next = mulberry32(seed);
      return Array.from({ length: 1000 }, () => next());
    };
    const a = draw(42);
    expect(draw(42)).toEqual(a);
    expect(draw(43)).not.toEqual(a);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
    // Roughly uniform: each tenth of the range gets a fair share.
    const tenths = new Array(10).fill(0);
    for (const x of a) tenths[Math.floor(x * 10)]++;
    for (const n of tenths) expect(n).toBeGreaterThan(60);
  });
});
