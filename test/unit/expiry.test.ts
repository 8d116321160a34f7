import { describe, expect, it } from 'vitest';
import { formatExpiryAsTyped, parseExpiry } from '../../src/renderer/src/lib/expiry';

/** Key by key, as the field receives them: each keystroke adds to what the field shows. */
function typed(keys: string): string {
  let shown = '';
  for (const key of keys) shown = formatExpiryAsTyped(shown + key);
  return shown;
}

describe('the expiry as typed', () => {
  it.each(['1/29', '01/29', '0129', '1 / 2029', '01/2029', '1/2029', '012029'])('typed "%s" reads 01/29', (keys) => {
    expect(typed(keys)).toBe('01/29');
    expect(parseExpiry(typed(keys))).toEqual({ month: 1, year: 2029 });
  });

  it.each(['1/29', '01/29', '0129', '1 / 2029', ' 01 / 29 '])('pasted "%s" reads 01/29', (text) => {
    expect(formatExpiryAsTyped(text)).toBe('01/29');
  });

  it('adds the slash after the month and a zero to a month that cannot take a second digit', () => {
    expect(typed('1')).toBe('1');
    expect(typed('12')).toBe('12/');
    expect(typed('1228')).toBe('12/28');
    expect(typed('4')).toBe('04/');
    expect(typed('428')).toBe('04/28');
    expect(typed('1/')).toBe('01/');
    expect(typed('01//')).toBe('01/');
  });

  it('keeps a year being typed in full until it is complete', () => {
    expect(typed('01/20')).toBe('01/20');
    expect(typed('01/202')).toBe('01/202');
    expect(typed('01/2029')).toBe('01/29');
  });

  it('leaves what the clerk deletes alone', () => {
    expect(formatExpiryAsTyped('01', true)).toBe('01');
    expect(formatExpiryAsTyped('1/29', true)).toBe('1/29');
    expect(formatExpiryAsTyped('', false)).toBe('');
  });
});
