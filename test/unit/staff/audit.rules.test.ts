import { describe, expect, it } from 'vitest';
import { customerOfInput, decodeCursor, encodeCursor, nextDay, scrubMessage, startOfDayIn, targetOfInput } from '../../../src/main/staff/audit.rules';

describe('audit rules', () => {
  it('finds the instant a day starts in the office zone, across daylight saving changes', () => {
    expect(startOfDayIn('2026-11-20', 'America/New_York')).toBe('2026-11-20T05:00:00.000Z');
    expect(startOfDayIn('2026-07-04', 'America/New_York')).toBe('2026-07-04T04:00:00.000Z');
    expect(startOfDayIn('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayIn('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDayIn('2026-11-20', 'UTC')).toBe('2026-11-20T00:00:00.000Z');
    expect(startOfDayIn('2026-11-20', 'Asia/Kolkata')).toBe('2026-11-19T18:30:00.000Z');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('hands out cursors it can read back and refuses anything else', () => {
    const c = { at: '2026-11-20T15:00:00.000Z', id: 42 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'abc', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x",-1]').toString('base64url'), Buffer.from('{"__proto__":1}').toString('base64url')]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });

  it('names the target of an input from its own short keys only', () => {
    expect(targetOfInput('payments.refund', { paymentId: 7, reason: 'x' })).toEqual({ type: 'payment', id: '7' });
    expect(targetOfInput('invoices.void', { invoiceNumber: 'INV-1' })).toEqual({ type: 'invoice', id: 'INV-1' });
    expect(targetOfInput('documents.print', { document: { kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' } })).toEqual({ type: 'customer', id: 'CL1042' });
    expect(targetOfInput('staff.unlock', { username: 'mokafor' })).toEqual({ type: 'staff', id: 'mokafor' });
    expect(targetOfInput('settings.updateOffice', { changes: {} })).toEqual({ type: 'settings', id: 'office' });
    expect(targetOfInput('paymentMethods.add', { customerNumber: 'CL1042', method: { cardNumber: '4242424242424242' } })).toEqual({ type: 'customer', id: 'CL1042' });
    expect(targetOfInput('payments.refund', JSON.parse('{"__proto__":{"paymentId":9}}'))).toEqual({ type: 'payments', id: '' });
    expect(targetOfInput('x.y', 'text')).toEqual({ type: 'x', id: '' });
    expect(customerOfInput({ customerNumber: 'cl1042' })).toBe('CL1042');
    expect(customerOfInput({ customerNumber: "CL1'; DROP" })).toBeNull();
  });

  it('masks digit runs (card or account numbers) in a failure message', () => {
    expect(scrubMessage('card 4242 4242 4242 4242 was refused')).toBe('card [digits] was refused');
    expect(scrubMessage('x'.repeat(1000))).toHaveLength(300);
  });
});
