/**
 * Calendar dates as ISO "YYYY-MM-DD" strings. Shared with the renderer: no Node imports.
 * Arithmetic is done on day numbers computed with integer math, never through a local-time
 * Date, so there are no time-zone or daylight-saving bugs and years 0–99 are not remapped.
 */
import { validationError } from './errors';

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parse(s: unknown): Ymd | null {
  if (typeof s !== 'string') return null;
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

function parseOrThrow(s: string, field: string): Ymd {
  const ymd = parse(s);
  if (!ymd) throw new RangeError(`${field} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(s)}`);
  return ymd;
}

function format({ year, month, day }: Ymd): IsoDate {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`date out of range: year ${year}`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
function toDayNumber({ year, month, day }: Ymd): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

function assertWholeNumber(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${field} must be a whole number, got ${n}`);
}

/** True only for a real calendar date written exactly as YYYY-MM-DD (2026-02-30 is false). */
export function isIsoDate(s: unknown): s is IsoDate {
  return parse(s) !== null;
}

export function assertIsoDate(s: unknown, field: string): asserts s is IsoDate {
  if (!isIsoDate(s)) {
    throw validationError(field, `must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(s)}`);
  }
}

/** b − a in whole days: daysBetween('2026-01-31', '2026-02-01') === 1. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(parseOrThrow(b, 'b')) - toDayNumber(parseOrThrow(a, 'a'));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  assertWholeNumber(n, 'days');
  return format(fromDayNumber(toDayNumber(parseOrThrow(d, 'date')) + n));
}

/** Adds calendar months, clamping to the month's end: 2026-01-31 + 1 month = 2026-02-28. */
export function addMonths(d: IsoDate, n: number): IsoDate {
  assertWholeNumber(n, 'months');
  const { year, month, day } = parseOrThrow(d, 'date');
  const monthIndex = year * 12 + (month - 1) + n;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  if (newYear < MIN_YEAR || newYear > MAX_YEAR) {
    throw new RangeError(`date out of range: year ${newYear}`);
  }
  return format({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** -1, 0 or 1; usable directly as a sort comparator. */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  parseOrThrow(a, 'a');
  parseOrThrow(b, 'b');
  // Valid ISO dates of four-digit years order the same as their strings.
  return a < b ? -1 : a > b ? 1 : 0;
}
