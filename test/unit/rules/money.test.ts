import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { allocate, assertCents, formatCents, isCents, MAX_CENTS, parseDollarsToCents } from '../../../src/shared/money';

describe('assertCents', () => {
  it.each([0, 1, 123_456, MAX_CENTS])('accepts the whole number of cents %s', (n) => {
    expect(() => assertCents(n, 'amount')).not.toThrow();
  });

  it.each([
    [1.5, 'whole number of cents'],
    [0.1 + 0.2, 'whole number of cents'],
    [Number.NaN, 'whole number of cents'],
    [Number.POSITIVE_INFINITY, 'whole number of cents'],
    ['100', 'whole number of cents'],
    [null, 'whole number of cents'],
    [-1, 'must not be negative'],
    [MAX_CENTS + 1, 'too large'],
  ])('refuses %s with a message saying why', (n, why) => {
    expect(() => assertCents(n, 'amount')).toThrow(why);
  });

  it('accepts negatives only when asked to, still within the size guard', () => {
    expect(() => assertCents(-250, 'adjustment', { allowNegative: true })).not.toThrow();
    expect(() => assertCents(-MAX_CENTS - 1, 'adjustment', { allowNegative: true })).toThrow('too large');
  });

  it('agrees with isCents on what it accepts', () => {
    const values = fc.oneof(
      fc.integer({ min: -2 * MAX_CENTS, max: 2 * MAX_CENTS }),
      fc.double(),
      fc.constantFrom<unknown>('1', null, undefined, Number.NaN, -0, MAX_CENTS, -MAX_CENTS, MAX_CENTS + 1),
    );
    fc.assert(
      fc.property(values, fc.boolean(), (n, allowNegative) => {
        const accepted = (() => {
          try {
            assertCents(n, 'amount', { allowNegative });
            return true;
          } catch {
            return false;
          }
        })();
        expect(isCents(n, { allowNegative })).toBe(accepted);
      }),
      { numRuns: 2000 },
    );
  });

  it('throws a VALIDATION AppError that names the field', () => {
    try {
      assertCents(1.5, 'unitPrice');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('VALIDATION');
      expect((e as AppError).message).toContain('unitPrice');
    }
  });
});

describe('parseDollarsToCents', () => {
  it.each([
    ['1,234.50', 123_450],
    ['1234.5', 123_450],
    ['12', 1_200],
    ['0', 0],
    ['0.01', 1],
    ['.5', 50],
    ['.05', 5],
    ['$1,234.56', 123_456],
    ['  42.10 ', 4_210],
    ['1,000,000', 100_000_000],
    ['007.50', 750],
    ['900719925474.09', MAX_CENTS],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseDollarsToCents(text)).toBe(cents);
  });

  it.each([
    ['1.234', 'more than 2 decimal places'],
    ['1.500', 'more than 2 decimal places'],
    ['abc', 'not an amount'],
    ['', 'not an amount'],
    ['.', 'not an amount'],
    ['12.', 'not an amount'],
    ['1,23', 'not an amount'],
    ['12,34.00', 'not an amount'],
    ['1 234', 'not an amount'],
    ['1e3', 'not an amount'],
    ['0x10', 'not an amount'],
    ['+5', 'not an amount'],
    ['--5', 'not an amount'],
    ['-5', 'negative'],
    ['-$0.01', 'negative'],
    ['900719925474.10', 'too large'],
    ['99999999999999999999', 'too large'],
  ])('refuses %j (%s)', (text, why) => {
    expect(() => parseDollarsToCents(text)).toThrow(why);
  });

  it('reads negative amounts when they are allowed, and never returns negative zero', () => {
    expect(parseDollarsToCents('-1,234.50', { allowNegative: true })).toBe(-123_450);
    expect(parseDollarsToCents('-$0.07', { allowNegative: true })).toBe(-7);
    expect(Object.is(parseDollarsToCents('-0.00', { allowNegative: true }), 0)).toBe(true);
  });

  it('names the field in its error', () => {
    expect(() => parseDollarsToCents('x', { field: 'paymentAmount' })).toThrow('paymentAmount');
  });

  it('reads back exactly what formatCents wrote, for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_CENTS, max: MAX_CENTS }), (cents) => {
        expect(parseDollarsToCents(formatCents(cents), { allowNegative: true })).toBe(cents);
        expect(parseDollarsToCents(formatCents(cents, { symbol: '', grouping: false }), { allowNegative: true })).toBe(
          cents,
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatCents', () => {
  it.each([
    [0, '$0.00'],
    [1, '$0.01'],
    [99, '$0.99'],
    [100, '$1.00'],
    [123_450, '$1,234.50'],
    [100_000_000, '$1,000,000.00'],
    [-123_450, '-$1,234.50'],
    [-5, '-$0.05'],
    [MAX_CENTS, '$900,719,925,474.09'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('can leave out the symbol and the grouping, for input fields', () => {
    expect(formatCents(123_450, { symbol: '', grouping: false })).toBe('1234.50');
    expect(formatCents(-123_450, { symbol: 'CA$' })).toBe('-CA$1,234.50');
  });

  it('refuses to format a fraction of a cent rather than hide it', () => {
    expect(() => formatCents(10.5)).toThrow('whole number of cents');
  });
});

describe('allocate', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [100, [1, 1], [50, 50]],
    [5, [1, 1], [3, 2]],
    [1, [1, 1, 1], [1, 0, 0]],
    [0, [1, 2], [0, 0]],
    [1000, [70, 30], [700, 300]],
    [1001, [70, 30], [701, 300]],
    [10, [0, 1, 1], [0, 5, 5]],
    [11, [0, 1, 1], [0, 6, 5]],
    [2, [1, 0, 1], [1, 0, 1]],
    [7, [3], [7]],
    [-5, [1, 1], [-3, -2]],
    [-100, [1, 1, 1], [-34, -33, -33]],
  ])('splits %i by %j into %j', (total, ratios, parts) => {
    expect(allocate(total, ratios)).toEqual(parts);
  });

  it('gives nothing to a zero ratio even when cents are left over', () => {
    expect(allocate(1, [0, 0, 1])).toEqual([0, 0, 1]);
  });

  it('never returns negative zero for a negative total', () => {
    const parts = allocate(-1, [1, 1]);
    expect(parts).toEqual([-1, 0]);
    expect(Object.is(parts[1], 0)).toBe(true);
  });

  it('stays exact when total × ratio passes 2^53', () => {
    const parts = allocate(MAX_CENTS, [1_000_000_007, 1_000_000_009]);
    expect(parts[0]! + parts[1]!).toBe(MAX_CENTS);
    expect(parts).toEqual([45_035_996_228_669, 45_035_996_318_740]);
  });

  it.each([
    [[] as number[], 'at least one ratio'],
    [[0, 0], 'must not all be zero'],
    [[1, -1], 'non-negative integers'],
    [[1.5, 1], 'non-negative integers'],
    [[Number.NaN], 'non-negative integers'],
  ])('refuses the ratios %j', (ratios, why) => {
    expect(() => allocate(100, ratios)).toThrow(why);
  });

  it('refuses a total that is not whole cents', () => {
    expect(() => allocate(10.5, [1, 1])).toThrow('whole number of cents');
  });

  it('makes parts that sum to the whole and sit within one cent of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_CENTS, max: MAX_CENTS }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((r) => r.some((x) => x > 0)),
        (total, ratios) => {
          const parts = allocate(total, ratios);
          expect(parts).toHaveLength(ratios.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = BigInt(ratios.reduce((a, b) => a + b, 0));
          parts.forEach((part, i) => {
            expect(Number.isInteger(part)).toBe(true);
            // |part − total × r / sum| < 1, checked exactly as |part × sum − total × r| < sum.
            const diff = BigInt(part) * sum - BigInt(total) * BigInt(ratios[i]!);
            expect(diff < sum && diff > -sum).toBe(true);
            if (ratios[i] === 0) expect(Object.is(part, 0)).toBe(true);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
