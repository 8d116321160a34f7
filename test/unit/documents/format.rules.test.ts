import { describe, expect, it } from 'vitest';
import {
  addressLines,
  describeMethod,
  fillTemplate,
  formatDate,
  formatInstant,
  formatMoney,
} from '../../../src/main/documents/format.rules';
import { retryDelayMs } from '../../../src/main/documents/outbox.sender';
import { confirmationWording } from '../../../src/main/documents/confirmation.pdf';

describe('document formatting', () => {
  it('formats cents as dollars per the number format, exactly', () => {
    expect(formatMoney(123450, 'en-US')).toBe('$1,234.50');
    expect(formatMoney(-7500, 'en-US')).toBe('-$75.00');
    expect(formatMoney(1, 'en-US')).toBe('$0.01');
    expect(formatMoney(90071992547409, 'en-US')).toBe('$900,719,925,474.09');
    // de-DE groups with dots and puts the symbol after the amount
    expect(formatMoney(123450, 'de-DE')).toMatch(/^1\.234,50\s\$$/);
  });

  it('writes calendar dates in each of the date formats', () => {
    expect(formatDate('2026-03-07', 'MM/DD/YYYY')).toBe('03/07/2026');
    expect(formatDate('2026-03-07', 'DD/MM/YYYY')).toBe('07/03/2026');
    expect(formatDate('2026-03-07', 'YYYY-MM-DD')).toBe('2026-03-07');
    expect(formatDate('2026-03-07', 'MMM D, YYYY')).toBe('Mar 7, 2026');
  });

  it('shows an instant as date and time in the office time zone, across daylight saving', () => {
    const ny = { timeZone: 'America/New_York', numberFormat: 'en-US', dateFormat: 'MM/DD/YYYY' } as const;
    expect(formatInstant('2026-11-20T15:00:00.000Z', ny)).toEqual({ date: '11/20/2026', time: '10:00 AM EST' });
    expect(formatInstant('2026-07-01T16:05:00.000Z', ny)).toEqual({ date: '07/01/2026', time: '12:05 PM EDT' });
    // 03:30 UTC on the 21st is still the evening of the 20th in New York
    expect(formatInstant('2026-11-21T03:30:00.000Z', ny)).toEqual({ date: '11/20/2026', time: '10:30 PM EST' });
    const berlin = { timeZone: 'Europe/Berlin', numberFormat: 'de-DE', dateFormat: 'DD/MM/YYYY' } as const;
    expect(formatInstant('2026-11-20T15:00:00.000Z', berlin).time).toMatch(/^16:00 /);
  });

  it('fills template placeholders and leaves unknown ones visible', () => {
    expect(fillTemplate('Hi {customerName}, {amount} paid. {typo}', { customerName: 'Café Rouge', amount: '$89.00' })).toBe(
      'Hi Café Rouge, $89.00 paid. {typo}',
    );
  });

  it('builds US address lines without empty parts or the home country', () => {
    expect(
      addressLines({ line1: '1200 SE Morrison St', line2: ' ', city: 'Portland', region: 'OR', postalCode: '97214', country: 'US' }),
    ).toEqual(['1200 SE Morrison St', 'Portland, OR 97214']);
    expect(addressLines({ line1: '1 Rue de Rivoli', line2: null, city: 'Paris', region: null, postalCode: '75001', country: 'France' })).toEqual([
      '1 Rue de Rivoli',
      'Paris 75001',
      'France',
    ]);
  });

  it('describes the payment method by brand and last four only', () => {
    expect(describeMethod({ kind: 'card', method_brand: 'Visa', method_last4: '4242' })).toBe('Visa ending 4242');
    expect(describeMethod({ kind: 'card', method_brand: 'visa', method_last4: '4242' })).toBe('Visa ending 4242');
    expect(describeMethod({ kind: 'card', method_brand: 'amex', method_last4: '0005' })).toBe('American Express ending 0005');
    expect(describeMethod({ kind: 'bank', method_brand: 'Checking', method_last4: '6789' })).toBe('Checking account ending 6789');
    expect(describeMethod({ kind: 'bank', method_brand: null, method_last4: '6789' })).toBe('Bank account ending 6789');
    expect(describeMethod({ kind: 'credit_only', method_brand: null, method_last4: null })).toBe('Credits on account');
  });

  it('never calls a declined, voided, failed or pending payment paid', () => {
    for (const status of ['declined', 'voided', 'failed', 'pending'] as const) {
      const words = confirmationWording({ status, kind: 'card' });
      expect(Object.values(words).filter((v) => typeof v === 'string' && /paid/i.test(v))).toEqual([]);
      expect(words.alert).toBe(true);
    }
    expect(confirmationWording({ status: 'captured', kind: 'card' }).tableTitle).toBe('Invoices paid');
  });

  it('says a check, cash or a wire was received, not charged', () => {
    expect(confirmationWording({ status: 'captured', kind: 'card', receivedVia: null }).amountLabel).toBe('Amount charged');
    expect(confirmationWording({ status: 'captured', kind: 'bank', receivedVia: null }).methodColumn).toBe('From bank account');
    for (const [receivedVia, kind, column] of [['check', 'check', 'By check'], ['cash', 'cash', 'In cash'], ['wire', 'bank', 'By wire'], ['transfer', 'bank', 'By transfer']] as const) {
      const words = confirmationWording({ status: 'captured', kind, receivedVia });
      expect([words.amountLabel, words.methodColumn]).toEqual(['Amount received', column]);
    }
  });
});

describe('outbox retry delays', () => {
  it('double from the base delay after each failed attempt, up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 30_000, 3_600_000));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
  });
});
