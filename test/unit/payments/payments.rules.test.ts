import { describe, expect, it } from 'vitest';
import {
  CONFIRMATION_ALPHABET,
  confirmationNumberFrom,
  normalizeConfirmationNumber,
  paymentMethodLabel,
  planRefund,
  withoutHolds,
  type StandingApplication,
} from '../../../src/main/payments/payments.rules';

describe('confirmation numbers', () => {
  it('are 9 characters read in two groups, from an alphabet without look-alikes', () => {
    for (const c of '01OIL') expect(CONFIRMATION_ALPHABET).not.toContain(c);
    const bytes = new Uint8Array(16).map((_, i) => i * 7);
    const n = confirmationNumberFrom(bytes);
    expect(n).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
    expect(n!.length).toBeLessThanOrEqual(10);
  });

  it('skips bytes that would favour some letters and asks for more when too few are left', () => {
    expect(confirmationNumberFrom(new Uint8Array([255, 254, 253, 252, 251, 250, 249, 248, 0, 1, 2, 3, 4, 5, 6, 7]))).toBe('2345-6789');
    expect(confirmationNumberFrom(new Uint8Array([0, 1, 2, 255, 255, 255, 255, 255]))).toBeNull();
  });

  it('reads a number as a clerk types it, in any case, with or without the hyphen', () => {
    expect(normalizeConfirmationNumber('k7m2 q9xr')).toBe('K7M2-Q9XR');
    expect(normalizeConfirmationNumber('K7M2Q9XR')).toBe('K7M2-Q9XR');
    expect(normalizeConfirmationNumber('K7M2-Q9X0')).toBeNull();
    expect(normalizeConfirmationNumber('K7M2')).toBeNull();
  });
});

describe('payment method labels', () => {
  it.each([
    ['card', 'visa', '4242', 'Visa ending 4242'],
    ['bank', 'checking', '6789', 'Checking ending 6789'],
    ['credit_only', null, null, 'Credit only'],
    ['import', null, null, 'Prior payment'],
  ])('labels a %s payment', (kind, brand, last4, label) => {
    expect(paymentMethodLabel(kind, brand, last4)).toBe(label);
  });
});

describe('quotes while other payments are pending', () => {
  it('takes what pending payments claimed off the invoices and credits', () => {
    const { invoices, credits } = withoutHolds(
      [
        { invoiceNumber: 'A', issueDate: '2026-01-01', dueDate: '2026-01-01', openCents: 10_000, disputed: false },
        { invoiceNumber: 'B', issueDate: '2026-01-01', dueDate: '2026-02-01', openCents: 5_000, disputed: false },
      ],
      [{ creditNumber: 'C', issueDate: '2026-01-01', remainingCents: 3_000 }],
      [
        { invoiceNumber: 'A', creditNumber: null, amountCents: 7_000 },
        { invoiceNumber: 'A', creditNumber: 'C', amountCents: 3_000 },
        { invoiceNumber: 'B', creditNumber: null, amountCents: 1_000 },
      ],
    );
    expect(invoices.map((i) => i.openCents)).toEqual([0, 4_000]);
    expect(credits.map((c) => c.remainingCents)).toEqual([0]);
  });
});

describe('refund plans', () => {
  const standing: StandingApplication[] = [
    { id: 1, invoiceId: 10, invoiceNumber: 'INV-1', dueDate: '2026-09-01', issueDate: '2026-08-01', source: 'credit', creditId: 5, amountCents: 2_000 },
    { id: 2, invoiceId: 10, invoiceNumber: 'INV-1', dueDate: '2026-09-01', issueDate: '2026-08-01', source: 'payment', creditId: null, amountCents: 8_000 },
    { id: 3, invoiceId: 11, invoiceNumber: 'INV-2', dueDate: '2026-10-01', issueDate: '2026-09-01', source: 'payment', creditId: null, amountCents: 4_000 },
  ];

  it('reverses everything, credits included, for the whole payment', () => {
    expect(planRefund({ standing, unappliedCents: 500, invoiceId: null, amountCents: null })).toEqual({
      ok: true,
      plan: { refundCents: 12_500, reverseIds: [1, 2, 3], reapply: [], fromUnappliedCents: 500 },
    });
  });

  it("reverses one invoice's share, its credit included, and refunds only the card part", () => {
    expect(planRefund({ standing, unappliedCents: 500, invoiceId: 10, amountCents: null })).toEqual({
      ok: true,
      plan: { refundCents: 8_000, reverseIds: [1, 2], reapply: [], fromUnappliedCents: 0 },
    });
  });

  it('takes a smaller amount from money on account first, then the newest invoice, keeping the rest applied', () => {
    expect(planRefund({ standing, unappliedCents: 500, invoiceId: null, amountCents: 5_500 })).toEqual({
      ok: true,
      plan: { refundCents: 5_500, reverseIds: [3, 2], reapply: [{ invoiceId: 10, amountCents: 7_000 }], fromUnappliedCents: 500 },
    });
  });

  it('refuses more than what is left, and an invoice share paid only by credits', () => {
    const more = planRefund({ standing, unappliedCents: 0, invoiceId: null, amountCents: 12_001 });
    expect(more).toEqual({ ok: false, message: 'A refund of $120.01 is more than the $120.00 captured and not yet refunded' });
    const creditsOnly = planRefund({ standing: [standing[0]!], unappliedCents: 0, invoiceId: 10, amountCents: null });
    expect(creditsOnly.ok).toBe(false);
    expect(planRefund({ standing: [], unappliedCents: 0, invoiceId: null, amountCents: null })).toEqual({
      ok: false,
      message: 'Nothing is left to refund on this payment',
    });
  });
});
