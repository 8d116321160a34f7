import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  assertIsoDate,
  compareIsoDates,
  daysBetween,
  daysInMonth,
  isIsoDate,
} from '../../../src/shared/dates';

const DAY_MS = 86_400_000;

// Reference built on the UTC Date, valid for the years drawn below (100 and later).
function refIso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}
function refDayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

const dayNumbers = fc.integer({ min: refDayNumber('1900-01-01'), max: refDayNumber('2199-12-31') });
const isoDates = dayNumbers.map(refIso);

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-04-30'])(
    'accepts the real date %s',
    (s) => {
      expect(isIsoDate(s)).toBe(true);
    },
  );

  it.each([
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-01-01',
    '2026-1-05',
    '26-01-05',
    '2026/01/05',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '',
  ])('refuses %j', (s) => {
    expect(isIsoDate(s)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isIsoDate(20260105)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isIsoDate(new Date())).toBe(false);
  });

  it('agrees with the UTC calendar on every day-month-year combination', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        expect(isIsoDate(s)).toBe(real);
      }),
      { numRuns: 2000 },
    );
  });

  it('is what assertIsoDate enforces, naming the field', () => {
    expect(() => assertIsoDate('2026-02-30', 'dueDate')).toThrow('dueDate');
    expect(() => assertIsoDate('2026-02-28', 'dueDate')).not.toThrow();
  });
});

describe('daysInMonth', () => {
  it.each([
    [2026, 2, 28],
    [2024, 2, 29],
    [1900, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
  ])('%i-%i has %i days', (y, m, n) => {
    expect(daysInMonth(y, m)).toBe(n);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-31', '2026-02-01', 1],
    ['2026-02-01', '2026-01-31', -1],
    ['2026-01-01', '2027-01-01', 365],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-03-08', '2026-03-09', 1], // US daylight-saving change: still one day
    ['2026-10-25', '2026-10-26', 1], // EU daylight-saving change
    ['1970-01-01', '2000-01-01', 10_957],
    ['0001-01-01', '9999-12-31', 3_652_058],
  ])('from %s to %s is %i days', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });

  it('refuses a date that does not exist', () => {
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow('YYYY-MM-DD');
  });

  it('matches UTC arithmetic and is antisymmetric', () => {
    fc.assert(
      fc.property(dayNumbers, dayNumbers, (x, y) => {
        expect(daysBetween(refIso(x), refIso(y))).toBe(y - x);
        expect(daysBetween(refIso(y), refIso(x))).toBe(x - y);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-01-15', 30, '2026-02-14'],
    ['2026-01-15', -365, '2025-01-15'],
  ])('%s plus %i days is %s', (d, n, out) => {
    expect(addDays(d, n)).toBe(out);
  });

  it('refuses a fraction of a day and dates beyond year 9999', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow('whole number');
    expect(() => addDays('9999-12-31', 1)).toThrow('out of range');
    expect(() => addDays('0001-01-01', -1)).toThrow('out of range');
  });

  it('is undone by daysBetween and matches UTC arithmetic', () => {
    fc.assert(
      fc.property(dayNumbers, fc.integer({ min: -20_000, max: 20_000 }), (x, n) => {
        const d = refIso(x);
        const out = addDays(d, n);
        expect(out).toBe(refIso(x + n));
        expect(daysBetween(d, out)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', 12, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2100-01-31', 1, '2100-02-28'], // 2100 is not a leap year
    ['2026-10-31', 1, '2026-11-30'],
    ['2026-06-10', 0, '2026-06-10'],
  ])('%s plus %i months is %s', (d, n, out) => {
    expect(addMonths(d, n)).toBe(out);
  });

  it('refuses a fraction of a month', () => {
    expect(() => addMonths('2026-01-01', 0.5)).toThrow('whole number');
  });

  it('lands in the target month on the same day, or its last day when that is shorter', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: -600, max: 600 }), (d, n) => {
        // Reference: the UTC Date rolls the month over by itself, and day 0 of the next month is
        // the target month's last day (neither the month arithmetic nor daysInMonth under test).
        const [y, m, day] = d.split('-').map(Number) as [number, number, number];
        const first = new Date(Date.UTC(y, m - 1 + n, 1));
        const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
        const expected = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day, lastDay)));
        const out = addMonths(d, n);
        expect(isIsoDate(out)).toBe(true);
        expect(out).toBe(expected.toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compareIsoDates', () => {
  it.each([
    ['2026-01-01', '2026-01-02', -1],
    ['2026-01-02', '2026-01-01', 1],
    ['2026-01-01', '2026-01-01', 0],
    ['2025-12-31', '2026-01-01', -1],
  ])('compares %s with %s as %i', (a, b, c) => {
    expect(compareIsoDates(a, b)).toBe(c);
  });

  it('refuses a date that does not exist', () => {
    expect(() => compareIsoDates('2026-02-30', '2026-01-01')).toThrow('YYYY-MM-DD');
  });

  it('orders dates like their day numbers', () => {
    fc.assert(
      fc.property(dayNumbers, dayNumbers, (x, y) => {
        expect(compareIsoDates(refIso(x), refIso(y))).toBe(Math.sign(x - y));
      }),
      { numRuns: 1000 },
    );
  });
});
