import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { submitFailureMessage } from '../../../src/renderer/src/features/payments/submitFailure';

const AGAIN = /Press Submit again/;

describe('the message of a failed payment submit', () => {
  it("shows main's UNAVAILABLE message alone, since it says what became of the money", () => {
    const words = 'The card was charged but the ledger could not record it: the disk is full. Do not charge again; the payment will be recorded when space is freed.';
    expect(submitFailureMessage(new AppError('UNAVAILABLE', words, { paymentId: 4, status: 'pending', reason: 'ledger-full', charged: true }))).toBe(words);
  });

  it("shows main's BUSY message alone", () => {
    const words = 'The ledger is busy importing; nothing was done. Try again in a minute.';
    expect(submitFailureMessage(new AppError('BUSY', words))).toBe(words);
  });

  it('tells the clerk to submit again when main could not be reached or failed unexpectedly', () => {
    expect(submitFailureMessage(new AppError('UNAVAILABLE', 'AR Desk could not be reached: Failed to fetch', { reason: 'unreachable' }))).toMatch(AGAIN);
    expect(submitFailureMessage(new AppError('INTERNAL', 'Something went wrong.'))).toMatch(AGAIN);
  });
});
