import { describe, expect, it } from 'vitest';
import { formatIsoDate, formatMoney, isoDateInZone, parseDisplayDate } from '../../src/shared/format';
import { centsToDecimalString } from '../../src/shared/money';

describe('shared display formatting', () => {
  it('writes cents as an exact decimal string, negative amounts included', () => {
    expect(centsToDecimalString(123456)).toBe('1234.56');
    expect(centsToDecimalString(5)).toBe('0.05');
    expect(centsToDecimalString(-100)).toBe('-1.00');
    expect(centsToDecimalString(900719925474099)).toBe('9007199254740.99');
  });

  it('writes the same decimal with a decimal comma for comma-decimal spreadsheets', () => {
    expect(centsToDecimalString(123456, ',')).toBe('1234,56');
    expect(centsToDecimalString(-5, ',')).toBe('-0,05');
  });

  it('formats US dollars in the chosen number format', () => {
    expect(formatMoney(123450, 'en-US')).toBe('$1,234.50');
    expect(formatMoney(-5, 'en-US')).toBe('-$0.05');
    expect(formatMoney(123450, 'de-DE').replace(/\s/g, ' ')).toBe('1.234,50 $');
  });

  it('formats a calendar date in each date format and leaves no date empty', () => {
    expect(formatIsoDate('2026-03-08', 'YYYY-MM-DD')).toBe('2026-03-08');
    expect(formatIsoDate('2026-03-08', 'MM/DD/YYYY')).toBe('03/08/2026');
    expect(formatIsoDate('2026-03-08', 'DD/MM/YYYY')).toBe('08/03/2026');
    expect(formatIsoDate('2026-03-08', 'MMM D, YYYY')).toBe('Mar 8, 2026');
    expect(formatIsoDate(null, 'MM/DD/YYYY')).toBe('');
  });

  it('reads back what a clerk types in each date format, month names included', () => {
    expect(parseDisplayDate('2026-3-8', 'MM/DD/YYYY')).toBe('2026-03-08');
    expect(parseDisplayDate('03/08/2026', 'MM/DD/YYYY')).toBe('2026-03-08');
    expect(parseDisplayDate('08/03/2026', 'DD/MM/YYYY')).toBe('2026-03-08');
    expect(parseDisplayDate(formatIsoDate('2026-03-08', 'MMM D, YYYY'), 'MMM D, YYYY')).toBe('2026-03-08');
    expect(parseDisplayDate('march 8 2026', 'MMM D, YYYY')).toBe('2026-03-08');
    expect(parseDisplayDate('02/29/2026', 'MM/DD/YYYY')).toBeNull();
    expect(parseDisplayDate('02/29/2028', 'MM/DD/YYYY')).toBe('2028-02-29');
    expect(parseDisplayDate('Smarch 8, 2026', 'MMM D, YYYY')).toBeNull();
  });

  it('takes the business date in the office time zone, not UTC', () => {
    expect(isoDateInZone('2026-11-21T03:30:00Z', 'America/New_York')).toBe('2026-11-20');
    expect(isoDateInZone('2026-11-21T03:30:00Z', 'Europe/Berlin')).toBe('2026-11-21');
    expect(isoDateInZone('not a date', 'UTC')).toBe('');
  });
});
