import { describe, expect, it } from 'vitest';
import { emailProblem, isEmailAddress } from '../../src/shared/validation';

// The customer record (shared/validation) and the outbox (documents.service) used to check addresses
// with two different patterns. These are the addresses on which they disagreed, and the one answer now.
describe('the one email address rule', () => {
  it('accepts the ordinary addresses both rules accepted', () => {
    for (const ok of ['ap@clearwater.example', 'first.last+ar@mail.co.uk', "o'brien@harbor-lane.example", 'x@a.b']) {
      expect(isEmailAddress(ok), ok).toBe(true);
      expect(emailProblem(ok), ok).toBeNull();
    }
  });

  it('refuses header syntax in an address, which the customer rule used to let through to the outbox', () => {
    // A comma or semicolon makes two recipients of one; angle brackets, parentheses, a colon or quotes
    // make a display name, a comment or a group of part of it.
    for (const bad of [
      'ap,billing@clearwater.example',
      'ap;billing@clearwater.example',
      'Billing<ap@clearwater.example>',
      'ap@clearwater.example>',
      '(ap)billing@clearwater.example',
      'ap@clear(water).example',
      'group:ap@clearwater.example',
      '"ap"@clearwater.example',
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
      expect(emailProblem(bad), bad).toMatch(/is not an email address/);
    }
  });

  it('refuses an empty domain label, which the outbox rule used to queue', () => {
    for (const bad of ['ap@clearwater..example', 'ap@.clearwater.example', 'ap@clearwater.example.', 'ap@clearwater']) {
      expect(isEmailAddress(bad), bad).toBe(false);
      expect(emailProblem(bad), bad).toMatch(/is not an email address/);
    }
  });

  it('refuses spaces, a missing or second @, and addresses over 254 characters', () => {
    for (const bad of ['ap @clearwater.example', 'ap@clear water.example', 'clearwater.example', 'ap@b@clearwater.example', '']) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
    const long = `${'a'.repeat(243)}@example.com`;
    expect(long).toHaveLength(255);
    expect(isEmailAddress(long)).toBe(false);
    expect(emailProblem(long)).toMatch(/too long/);
    expect(isEmailAddress(long.slice(1))).toBe(true);
  });
});
