import anyAscii from 'any-ascii';
import { describe, expect, it } from 'vitest';
import { readQuery } from '../../../src/main/ledger/lookup.service';
import { customerSearchWords, emailWords, nameWords, normalizeForSearch, withoutExtension } from '../../../src/main/ledger/search.rules';

describe('search words', () => {
  it('transliterates letters that have no accent to strip, as well as accented ones', () => {
    expect(normalizeForSearch('Łódź Import Partners')).toBe('lodz import partners');
    expect(normalizeForSearch('Ørsted Wind A/S')).toBe('orsted wind a s');
    expect(normalizeForSearch('Müllerstraße 12')).toBe('mullerstrasse 12');
    expect(normalizeForSearch('Æsir Games')).toBe('aesir games');
    expect(normalizeForSearch('Crème Brûlée Café Co.')).toBe('creme brulee cafe co');
    // Decomposed accents (as some keyboards and files send them) read the same.
    expect(normalizeForSearch('Cafe\u0301 Rouge')).toBe('cafe rouge');
    expect(nameWords('Åkesson & Søn, Søn')).toEqual(['akesson', 'son']);
  });

  it('folds ASCII text, which skips transliteration, exactly as through it', () => {
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('');
    for (const text of ['CL10042', 'Harbor Lane Dental LLC', 'O\'Brien & Sons, Inc.', '  A/S\t12-34 ', ascii, '', 'Cafe\u0301', 'Ørsted 1']) {
      expect(normalizeForSearch(text), JSON.stringify(text)).toBe(
        anyAscii(text.normalize('NFC'))
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim(),
      );
    }
  });

  it('takes the local part and the domain of an email, less its final label', () => {
    expect(emailWords('Maria.Okafor@harborlanedental.example')).toEqual(['maria', 'okafor', 'harborlanedental']);
    expect(emailWords('m.okafor@mail.harbor-lane.co.uk')).toEqual(['m', 'okafor', 'mail', 'harbor', 'lane', 'co']);
    expect(emailWords('jo@localhost')).toEqual(['jo', 'localhost']);
  });

  it('leaves out role mailboxes, which thousands of customers share and which name nobody', () => {
    expect(emailWords('ap@harborlanedental.example')).toEqual(['harborlanedental']);
    expect(emailWords('Billing@ZetaPlumbing.example')).toEqual(['zetaplumbing']);
    expect(emailWords('accounts.payable@zeta.example')).toEqual(['payable', 'zeta']);
  });

  it("indexes the legal name's, the contact's and the email's words once each", () => {
    expect(customerSearchWords({ legalName: 'Harbor Lane Dental LLC', billingContact: 'Maria Okafor', email: 'maria@harborlane.example' })).toEqual([
      'harbor',
      'lane',
      'dental',
      'llc',
      'maria',
      'okafor',
      'harborlane',
    ]);
    expect(customerSearchWords({ legalName: 'Zeta', billingContact: null, email: 'billing@zeta.example' })).toEqual(['zeta']);
    expect(customerSearchWords({ legalName: 'Zeta', billingContact: null, email: null })).toEqual(['zeta']);
  });

  it('drops a phone extension, and nothing else', () => {
    expect(withoutExtension('503 555 0142 ext 2')).toBe('503 555 0142');
    expect(withoutExtension('(503) 555-0142 Ext. 204')).toBe('(503) 555-0142');
    expect(withoutExtension('503-555-0142x2')).toBe('503-555-0142');
    expect(withoutExtension('503.555.0142, extension 12')).toBe('503.555.0142');
    expect(withoutExtension('503 555 0142 #7')).toBe('503 555 0142');
    expect(withoutExtension('Box 12')).toBe('Box 12');
    expect(withoutExtension('503 555 0142')).toBe('503 555 0142');
  });

  it('reads a phone typed with an extension as a phone number, not as name words', () => {
    expect(readQuery('503 555 0142 ext 2')).toMatchObject({ phoneDigits: '5035550142', nameWords: [] });
    expect(readQuery('Box 12')).toMatchObject({ phoneDigits: null, nameWords: ['box', '12'] });
  });
});
