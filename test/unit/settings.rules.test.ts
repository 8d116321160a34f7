import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basisPointsFromPercentText,
  hostProblem,
  isSenderAddress,
  percentTextFromBasisPoints,
  placeholdersIn,
  unknownPlaceholders,
} from '../../src/main/settings/settings.rules';

describe('office settings rules', () => {
  it('reads every basis-point rate back from the percent text it is shown as', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(basisPointsFromPercentText(percentTextFromBasisPoints(bp))).toBe(bp);
      }),
    );
  });

  it('parses typed percentages to exact basis points, where float math would drift', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(basisPointsFromPercentText('0.29')).toBe(29);
    expect(basisPointsFromPercentText('8,25')).toBe(825);
    expect(basisPointsFromPercentText(' 8.25 % ')).toBe(825);
    expect(basisPointsFromPercentText('8.5')).toBe(850);
    expect(basisPointsFromPercentText('.05')).toBe(5);
    for (const bad of ['', '%', '.', '8.', '8.255', '100.01', '1000', '-1', '1e2', '8 25', '0x10']) {
      expect(basisPointsFromPercentText(bad), bad).toBeNull();
    }
  });

  it('writes basis points as short percent text', () => {
    expect([0, 5, 50, 800, 825, 850, 1035, 10_000].map(percentTextFromBasisPoints)).toEqual(['0', '0.05', '0.5', '8', '8.25', '8.5', '10.35', '100']);
  });

  it('accepts a sender as a bare address or a name with the address in angle brackets', () => {
    expect(isSenderAddress('billing@northwind.example')).toBe(true);
    expect(isSenderAddress('Northwind Billing <billing@northwind.example>')).toBe(true);
    expect(isSenderAddress('"Northwind, Billing" <billing@northwind.example>')).toBe(true);
    expect(isSenderAddress('Northwind Billing')).toBe(false);
    expect(isSenderAddress('Billing <billing@northwind>')).toBe(false);
    expect(isSenderAddress('Billing\nBcc: x@evil.example <billing@northwind.example>')).toBe(false);
  });

  it('accepts host names and IP addresses and explains URLs and ports written into the host', () => {
    for (const ok of ['smtp.office365.com', 'mail', '127.0.0.1', '[::1]', 'fe80::1']) expect(hostProblem(ok), ok).toBeNull();
    expect(hostProblem('smtps://mail.example.com')).toMatch(/without smtp:\/\//);
    expect(hostProblem('mail.example.com:465')).toMatch(/Port field/);
    expect(hostProblem('mail example.com')).toMatch(/is not a server name/);
  });

  it('finds placeholders the way the documents fill them, and names the unknown ones once', () => {
    expect(placeholdersIn('{a} {b1} {a} { c } {1x} {{d}}')).toEqual(['a', 'b1', 'd']);
    expect(unknownPlaceholders('Hi {customerName}, {amout} {amout} {amount}', ['customerName', 'amount'])).toEqual(['amout']);
  });
});
