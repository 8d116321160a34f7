import { describe, expect, it } from 'vitest';
import { passwordProblem, PASSWORD_RULE } from '../../../src/shared/passwords';

describe('the password rule (PCI DSS 8.3.6)', () => {
  it('takes 12 or more characters with letters and digits', () => {
    expect(passwordProblem('abcdefghijk1')).toBeNull();
    expect(passwordProblem('correct horse battery 9')).toBeNull();
    expect(passwordProblem('Ünïcödé pass 7')).toBeNull();
  });

  it('says which part a password breaks', () => {
    expect(passwordProblem('abcdefghij1')).toBe(`The password must be ${PASSWORD_RULE}; it has 11.`);
    expect(passwordProblem('abcdefghijklm')).toMatch(/no digit/);
    expect(passwordProblem('123456789012')).toMatch(/no letter/);
    expect(passwordProblem('x1'.repeat(200))).toMatch(/at most 256/);
    expect(passwordProblem('mokafor password 1', 'mokafor')).toMatch(/username/);
  });
});
