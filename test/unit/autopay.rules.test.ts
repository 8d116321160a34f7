import { describe, expect, it } from 'vitest';
import { autopayKey, decideAttempt, expiryNoticeDue, invoicesToCharge, nextRetryDate, type LastAttempt } from '../../src/main/billing/autopay.rules';

const last = (over: Partial<LastAttempt>): LastAttempt => ({
  attemptNumber: 1,
  attemptDate: '2026-12-10',
  outcome: 'declined',
  declineCode: 'card_declined',
  firstDeclinedOn: '2026-12-10',
  nextRetryDate: '2026-12-11',
  createdAt: '2026-12-10T15:00:00.000Z',
  ...over,
});

describe('autopay rules', () => {
  it('schedules the retries 1, 9, 13 and 20 days after the first decline, then none', () => {
    const days = [1, 9, 13, 20];
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDate('2026-12-10', n, days, n === 1 ? '2026-12-10' : (nextRetryDate('2026-12-10', n - 1, days) ?? '')))).toEqual([
      '2026-12-11',
      '2026-12-19',
      '2026-12-23',
      '2026-12-30',
      null,
    ]);
    // A retry tried late (its answer came through recovery) goes on to the next day of the schedule still ahead.
    expect(nextRetryDate('2026-12-10', 2, days, '2026-12-20')).toBe('2026-12-23');
  });

  it('charges a first attempt, waits between retries, retries on the day, and waits after a hard decline until autopay is saved again', () => {
    expect(decideAttempt(null, '2026-12-10', '2026-12-01T00:00:00Z')).toEqual({ kind: 'charge', attemptNumber: 1, firstDeclinedOn: null });
    expect(decideAttempt(last({}), '2026-12-10', '2026-12-01T00:00:00Z').kind).toBe('wait');
    expect(decideAttempt(last({ nextRetryDate: '2026-12-19', attemptNumber: 2, attemptDate: '2026-12-11' }), '2026-12-18', '2026-12-01T00:00:00Z')).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/next retry on 2026-12-19/) });
    expect(decideAttempt(last({ nextRetryDate: '2026-12-19', attemptNumber: 2, attemptDate: '2026-12-11' }), '2026-12-19', '2026-12-01T00:00:00Z')).toEqual({ kind: 'charge', attemptNumber: 3, firstDeclinedOn: '2026-12-10' });
    const hard = last({ outcome: 'hard_declined', declineCode: 'lost_card', nextRetryDate: null });
    expect(decideAttempt(hard, '2027-01-10', '2026-12-01T00:00:00Z')).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/lost_card/) });
    expect(decideAttempt(hard, '2027-01-10', '2027-01-05T09:00:00.000Z')).toEqual({ kind: 'charge', attemptNumber: 1, firstDeclinedOn: null });
    expect(decideAttempt(last({ outcome: 'unknown', nextRetryDate: null }), '2026-12-20', '2026-12-01T00:00:00Z')).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/recovery/) });
  });

  it('picks the due, undisputed invoices oldest first, by due date or invoice date', () => {
    const open = [
      { invoiceId: 2, invoiceNumber: 'INV-2', issueDate: '2026-11-20', dueDate: '2026-12-20', openCents: 100, disputed: false },
      { invoiceId: 1, invoiceNumber: 'INV-1', issueDate: '2026-11-10', dueDate: '2026-12-10', openCents: 100, disputed: false },
      { invoiceId: 3, invoiceNumber: 'INV-3', issueDate: '2026-11-01', dueDate: '2026-12-01', openCents: 100, disputed: true },
    ];
    expect(invoicesToCharge(open, '2026-12-10', 'due_date').map((i) => i.invoiceNumber)).toEqual(['INV-1']);
    expect(invoicesToCharge(open, '2026-12-01', 'invoice_date').map((i) => i.invoiceNumber)).toEqual(['INV-1', 'INV-2']);
  });

  it('derives the same key from the same customer, invoices, date and attempt, and another from any other', () => {
    const k = autopayKey('CL1042', [2, 1], '2026-12-10', 1);
    expect(autopayKey('CL1042', [1, 2], '2026-12-10', 1)).toBe(k);
    expect(new Set([k, autopayKey('CL1042', [1], '2026-12-10', 1), autopayKey('CL1042', [1, 2], '2026-12-11', 1), autopayKey('CL1042', [1, 2], '2026-12-10', 2)]).size).toBe(4);
    expect(k.length).toBeLessThanOrEqual(100);
  });

  it('says "expires next month" within 30 days of the end of the expiry month', () => {
    expect(expiryNoticeDue(1, 2027, '2027-01-01')).toBe(true);
    expect(expiryNoticeDue(1, 2027, '2026-12-31')).toBe(false);
    expect(expiryNoticeDue(1, 2027, '2027-02-01')).toBe(false);
  });
});
