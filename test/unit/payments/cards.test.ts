import { describe, expect, it } from 'vitest';
import {
  bankAccountLabel,
  bankProblems,
  cardBrandOf,
  cardLabel,
  cardProblems,
  formatCardNumberAsTyped,
  isCardExpired,
  passesAbaCheck,
  passesLuhn,
  securityCodeLength,
} from '../../../src/shared/cards';

const TODAY = '2026-11-20';

describe('card checks', () => {
  it.each([
    ['4242424242424242', true],
    ['4242 4242 4242 4242', true],
    ['4242-4242-4242-4242', true],
    ['4242424242424241', false],
    ['378282246310005', true],
    ['378282246310006', false],
    ['5555555555554444', true],
    ['6011111111111117', true],
    ['1234', false],
    ['42424242424242424242', false],
    ['4242x24242424242', false],
  ])('checks the Luhn digit of %s as %s', (number, ok) => {
    expect(passesLuhn(number)).toBe(ok);
  });

  it.each([
    ['4242424242424242', 'visa'],
    ['4', 'visa'],
    ['5105105105105100', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['2721000000000000', null],
    ['340000000000009', 'amex'],
    ['378282246310005', 'amex'],
    ['6011000990139424', 'discover'],
    ['6445644564456445', 'discover'],
    ['6500000000000002', 'discover'],
    ['6221260000000000', 'discover'],
    ['6229260000000000', null],
    ['3530111333300000', null],
    ['', null],
  ])('names the brand of %s as %s', (number, brand) => {
    expect(cardBrandOf(number)).toBe(brand);
  });

  it('asks for a 4-digit security code on American Express and 3 digits on the others', () => {
    expect(securityCodeLength('amex')).toBe(4);
    expect(securityCodeLength('visa')).toBe(3);
    expect(securityCodeLength('mastercard')).toBe(3);
    expect(securityCodeLength('discover')).toBe(3);
  });

  it('labels a card and a bank account by brand and last four digits', () => {
    expect(cardLabel('visa', '4242')).toBe('Visa ending 4242');
    expect(cardLabel('amex', '0005')).toBe('American Express ending 0005');
    expect(bankAccountLabel('checking', '6789')).toBe('Checking ending 6789');
    expect(bankAccountLabel('savings', '1113')).toBe('Savings ending 1113');
  });

  it('keeps a card good through the last day of its expiry month', () => {
    expect(isCardExpired(11, 2026, TODAY)).toBe(false);
    expect(isCardExpired(10, 2026, TODAY)).toBe(true);
    expect(isCardExpired(1, 2027, TODAY)).toBe(false);
    expect(isCardExpired(12, 25, TODAY)).toBe(true);
    expect(isCardExpired(12, 26, TODAY)).toBe(false);
  });

  it('groups digits as embossed while the clerk types', () => {
    expect(formatCardNumberAsTyped('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumberAsTyped('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumberAsTyped('42424')).toBe('4242 4');
  });

  it('reports every problem of a card by field without repeating the digits', () => {
    const problems = cardProblems({ cardNumber: '4242424242424241', expMonth: 13, expYear: 2030, cvc: '12' }, TODAY);
    expect(problems.map((p) => p.field)).toEqual(['cardNumber', 'expMonth', 'cvc']);
    for (const p of problems) expect(p.message).not.toMatch(/4242/);
    expect(cardProblems({ cardNumber: '378282246310005', expMonth: 12, expYear: 2030, cvc: '123' }, TODAY)).toEqual([
      { field: 'cvc', message: 'The security code has 4 digits on American Express cards' },
    ]);
    expect(cardProblems({ cardNumber: '4242424242424242', expMonth: 10, expYear: 2026, cvc: '123' }, TODAY)[0]?.field).toBe('expYear');
    expect(cardProblems({ cardNumber: '3530111333300000', expMonth: 10, expYear: 2030, cvc: '123' }, TODAY)[0]?.message).toMatch(/Only Visa/);
    expect(cardProblems({ cardNumber: '4242 4242 4242 4242', expMonth: 12, expYear: 30, cvc: '123' }, TODAY)).toEqual([]);
  });
});

describe('bank account checks', () => {
  it.each([
    ['110000000', true],
    ['011000015', true],
    ['021000021', true],
    ['110000001', false],
    ['11000000', false],
    ['11000000a', false],
  ])('checks the ABA check digit of routing number %s as %s', (routing, ok) => {
    expect(passesAbaCheck(routing)).toBe(ok);
  });

  it('reports a bad routing number and a bad account number by field', () => {
    expect(bankProblems({ routingNumber: '110000001', accountNumber: '000123456789' }).map((p) => p.field)).toEqual(['routingNumber']);
    expect(bankProblems({ routingNumber: '110000000', accountNumber: '12' }).map((p) => p.field)).toEqual(['accountNumber']);
    expect(bankProblems({ routingNumber: '110000000', accountNumber: '000123456789' })).toEqual([]);
  });
});
