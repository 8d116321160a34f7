import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeInvoiceTotals, type TaxableLine } from '../../../src/main/ledger/tax.rules';
import { MAX_CENTS } from '../../../src/shared/money';

const line = (quantity: number, unitPriceCents: number, taxable = true): TaxableLine => ({ quantity, unitPriceCents, taxable });

describe('computeInvoiceTotals', () => {
  it.each([
    // [lines, rate in basis points, exempt, subtotal, taxable, tax, total]
    [[line(1, 10_000)], 825, false, 10_000, 10_000, 825, 10_825],
    [[line(3, 1_999)], 825, false, 5_997, 5_997, 495, 6_492], // 494.75 rounds up
    [[line(1, 100)], 650, false, 100, 100, 7, 107], // 6.5 rounds half up
    [[line(1, 100)], 649, false, 100, 100, 6, 106], // 6.49 rounds down
    [[line(1, 250)], 100, false, 250, 250, 3, 253], // 2.5 rounds up (not to even)
    [[line(1, 50)], 100, false, 50, 50, 1, 51], // 0.5 rounds up
    [[line(1, 49)], 100, false, 49, 49, 0, 49], // 0.49 rounds down
    [[line(7, 1_429)], 1_000, false, 10_003, 10_003, 1_000, 11_003], // 1000.3 rounds down
    [[line(1, 10_000), line(2, 2_500, false)], 700, false, 15_000, 10_000, 700, 15_700],
    [[line(1, 10_000)], 825, true, 10_000, 10_000, 0, 10_000],
    [[line(1, 10_000)], 0, false, 10_000, 10_000, 0, 10_000],
    [[line(1, 10_000)], 10_000, false, 10_000, 10_000, 10_000, 20_000],
    [[line(5, 0)], 825, false, 0, 0, 0, 0],
    [[], 825, false, 0, 0, 0, 0],
  ] as [TaxableLine[], number, boolean, number, number, number, number][])(
    'totals %j at %i bp (exempt: %s)',
    (lines, rate, exempt, subtotalCents, taxableCents, taxCents, totalCents) => {
      const t = computeInvoiceTotals(lines, rate, exempt);
      expect(t).toMatchObject({ subtotalCents, taxableCents, taxCents, totalCents });
      expect(t.lines.map((l) => l.amountCents)).toEqual(lines.map((l) => l.quantity * l.unitPriceCents));
    },
  );

  it('taxes the invoice once on the taxable sum, not line by line', () => {
    // Three lines of $0.10 at 5 %: half a cent each would round to 1 cent per line (3),
    // but 5 % of $0.30 is 1.5 cents, which rounds to 2.
    const t = computeInvoiceTotals([line(1, 10), line(1, 10), line(1, 10)], 500, false);
    expect(t.taxCents).toBe(2);
  });

  it('stays exact where taxable × rate passes 2^53', () => {
    // 50,000,000,000,722 × 7777 / 10000 = 38,885,000,000,561.4994 → …561; float arithmetic gives …562.
    const t = computeInvoiceTotals([line(1, 50_000_000_000_722)], 7_777, false);
    expect(t.taxCents).toBe(38_885_000_000_561);
    expect(t.totalCents).toBe(88_885_000_001_283);
  });

  it.each([
    [[line(0, 100)], 825, 'quantity'],
    [[line(1.5, 100)], 825, 'quantity'],
    [[line(-1, 100)], 825, 'quantity'],
    [[line(1, 10.5)], 825, 'unitPriceCents'],
    [[line(1, -100)], 825, 'unitPriceCents'],
    [[line(1_000_000, MAX_CENTS)], 825, 'too large'],
    [[line(1, 100)], -1, 'taxRateBasisPoints'],
    [[line(1, 100)], 10_001, 'taxRateBasisPoints'],
    [[line(1, 100)], 8.25, 'taxRateBasisPoints'],
  ] as [TaxableLine[], number, string][])('refuses %j at %d bp', (lines, rate, why) => {
    expect(() => computeInvoiceTotals(lines, rate, false)).toThrow(why);
  });

  const lineArb = fc.record({
    quantity: fc.integer({ min: 1, max: 1_000 }),
    unitPriceCents: fc.integer({ min: 0, max: 10_000_000 }),
    taxable: fc.boolean(),
  });

  it('rounds an exact half cent up, and just below or above it to the nearest cent', () => {
    // At 1 % the tax on 100·q + 50 cents is exactly q + ½ cents: half up makes it q + 1. Ties are
    // rare among random amounts, so they are generated on purpose here.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (q) => {
        expect(computeInvoiceTotals([line(1, 100 * q + 50)], 100, false).taxCents).toBe(q + 1);
        expect(computeInvoiceTotals([line(1, 100 * q + 49)], 100, false).taxCents).toBe(q);
        expect(computeInvoiceTotals([line(1, 100 * q + 51)], 100, false).taxCents).toBe(q + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('rounds the tax half up exactly, and the total is the subtotal plus tax', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), fc.integer({ min: 0, max: 10_000 }), fc.boolean(), (lines, rate, exempt) => {
        const t = computeInvoiceTotals(lines, rate, exempt);
        const amounts = lines.map((l) => l.quantity * l.unitPriceCents);
        const taxable = lines.reduce((acc, l, i) => acc + (l.taxable ? amounts[i]! : 0), 0);
        expect(t.subtotalCents).toBe(amounts.reduce((a, b) => a + b, 0));
        expect(t.taxableCents).toBe(taxable);
        // What half-up rounding means, not how the code computes it: the tax, in hundredths of a
        // basis point, is within half a cent of taxable × rate, with a tie going up. Exactly one
        // whole number of cents meets that, so it pins the tax down.
        const exact = BigInt(taxable) * BigInt(rate);
        if (exempt) expect(t.taxCents).toBe(0);
        else {
          expect(Number.isInteger(t.taxCents)).toBe(true);
          const err = BigInt(t.taxCents) * 10000n - exact;
          expect(err > -5000n && err <= 5000n).toBe(true);
        }
        expect(t.totalCents).toBe(t.subtotalCents + t.taxCents);
      }),
      { numRuns: 1000 },
    );
  });
});
