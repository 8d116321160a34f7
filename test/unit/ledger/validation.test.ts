import { describe, expect, it } from 'vitest';
import {
  customerNumberProblem,
  emailProblem,
  fieldsError,
  normalizeCustomerNumber,
  phoneProblem,
  postalCodeProblem,
  termsDaysProblem,
} from '../../../src/shared/validation';

describe('shared field checks', () => {
  it.each(['CL1042', 'TO0007', 'AK5521', 'ZZ1', 'AB1234567890'])('accepts the customer number %s', (n) => {
    expect(customerNumberProblem(n)).toBeNull();
  });

  it.each(['cl1042', 'C1042', 'CLX042', 'CL', 'CL-1042', 'AB12345678901', 'CL 1042'])('refuses the customer number %s', (n) => {
    expect(customerNumberProblem(n)).toMatch(/two capital letters then up to 10 digits/);
  });

  it('upper-cases and trims what a clerk types as a customer number', () => {
    expect(normalizeCustomerNumber('  cl1042 ')).toBe('CL1042');
  });

  it('accepts ordinary emails and refuses ones without a domain dot or with spaces', () => {
    expect(emailProblem('ap@clearwater.example')).toBeNull();
    expect(emailProblem('first.last+ar@mail.co.uk')).toBeNull();
    for (const bad of ['ap@clearwater', 'ap clearwater@x.com', '@x.com', 'ap@@x.com', 'ap@x..com']) {
      expect(emailProblem(bad), bad).toMatch(/not an email address/);
    }
  });

  it('accepts any usual phone formatting of 7 to 15 digits', () => {
    for (const ok of ['(503) 555-0142', '503.555.0142', '+1 503 555 0142', '5550142']) expect(phoneProblem(ok), ok).toBeNull();
    expect(phoneProblem('555-014')).toMatch(/7 to 15 digits, it has 6/);
    expect(phoneProblem('503-555-CALL')).toMatch(/use digits/);
  });

  it('checks ZIP codes for the US (also when no country is given), Canadian codes, and others loosely', () => {
    expect(postalCodeProblem('97201', 'US')).toBeNull();
    expect(postalCodeProblem('97201-1234', null)).toBeNull();
    expect(postalCodeProblem('9720', '')).toMatch(/US ZIP code/);
    expect(postalCodeProblem('K1A 0B1', 'Canada')).toBeNull();
    expect(postalCodeProblem('97201', 'CA')).toMatch(/Canadian postal code/);
    expect(postalCodeProblem('SW1A 1AA', 'United Kingdom')).toBeNull();
    expect(postalCodeProblem('!!', 'Germany')).toMatch(/not a postal code/);
  });

  it('keeps payment terms between 0 and 365 whole days', () => {
    expect(termsDaysProblem(0)).toBeNull();
    expect(termsDaysProblem(365)).toBeNull();
    expect(termsDaysProblem(366)).toMatch(/0 to 365/);
    expect(termsDaysProblem(1.5)).toMatch(/whole number/);
  });

  it('gathers several field problems into one VALIDATION error naming each field', () => {
    const e = fieldsError({ email: 'bad', phone: 'worse' });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('email: bad; phone: worse');
    expect(e.details).toEqual({ fields: { email: 'bad', phone: 'worse' } });
  });
});
