/**
 * Autopay's rules, without I/O: which invoices a run charges, the idempotency key of an attempt,
 * when a declined charge is tried again, and what the run does for a customer given its last attempt.
 */
import crypto from 'node:crypto';
import { addDays, daysInMonth, type IsoDate } from '../../shared/dates';

export type ChargeOn = 'due_date' | 'invoice_date';

export interface AutopayInvoice {
  invoiceId: number;
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  openCents: number;
  disputed: boolean;
}

/** The open invoices an autopay run charges on `asOf`: due by then (per the office's setting), not disputed, oldest first. */
export function invoicesToCharge<T extends AutopayInvoice>(open: readonly T[], asOf: IsoDate, chargeOn: ChargeOn): T[] {
  return open
    .filter((i) => i.openCents > 0 && !i.disputed && (chargeOn === 'due_date' ? i.dueDate : i.issueDate) <= asOf)
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.invoiceNumber < b.invoiceNumber ? -1 : 1));
}

/**
 * The idempotency key of an attempt, the same for the same customer, invoices, date and attempt
 * number: a run repeated (or run again after a crash) sends the gateway the same key, which it
 * answers once. The invoices are hashed so the key stays short whatever their number.
 */
export function autopayKey(customerNumber: string, invoiceIds: readonly number[], date: IsoDate, attemptNumber: number): string {
  const ids = [...invoiceIds].sort((a, b) => a - b).join(',');
  const digest = crypto.createHash('sha256').update(ids).digest('hex').slice(0, 16);
  return `autopay:${customerNumber}:${date}:${attemptNumber}:${digest}`;
}

/**
 * The date of the retry after attempt `attemptNumber` (tried on `triedOn`) was declined: the
 * schedule's days counted from the first decline of the series, skipping any already past (a charge
 * whose answer came late through recovery); null when the schedule has no retry left.
 */
export function nextRetryDate(firstDeclinedOn: IsoDate, attemptNumber: number, retryDays: readonly number[], triedOn: IsoDate = firstDeclinedOn): IsoDate | null {
  const days = [...retryDays].sort((a, b) => a - b).slice(attemptNumber - 1);
  return days.map((d) => addDays(firstDeclinedOn, d)).find((d) => d > triedOn) ?? null;
}

/** What is known of a customer's latest attempt. */
export interface LastAttempt {
  attemptNumber: number;
  attemptDate: IsoDate;
  outcome: 'pending' | 'approved' | 'declined' | 'hard_declined' | 'unknown' | 'not_charged';
  declineCode: string | null;
  firstDeclinedOn: IsoDate | null;
  nextRetryDate: IsoDate | null;
  createdAt: string;
}

export type AttemptDecision =
  | { kind: 'charge'; attemptNumber: number; firstDeclinedOn: IsoDate | null }
  /** retry: only waiting for the next scheduled retry of a decline series, nothing for the office to do. */
  | { kind: 'wait'; reason: string; retry: boolean };

/**
 * What the run does today for a customer with charges due, given its latest attempt (settled from
 * its payment first) and when its autopay setting was last saved: a decline series goes on at its
 * scheduled retries; a hard decline or the end of the schedule waits for the setting to be saved
 * again (a new method, or the customer's word to try again).
 */
export function decideAttempt(last: LastAttempt | null, asOf: IsoDate, settingSavedAt: string): AttemptDecision {
  if (last && last.attemptDate === asOf) {
    return { kind: 'wait', reason: `already tried on ${asOf} (attempt ${last.attemptNumber}, ${last.outcome})`, retry: last.outcome === 'declined' && last.nextRetryDate !== null };
  }
  if (!last || last.outcome === 'approved' || last.outcome === 'not_charged') return { kind: 'charge', attemptNumber: 1, firstDeclinedOn: null };
  if (last.outcome === 'pending' || last.outcome === 'unknown') {
    return { kind: 'wait', reason: `the charge of ${last.attemptDate} has no answer yet; it is tried again only after payment recovery settles it`, retry: false };
  }
  const resetSince = settingSavedAt > last.createdAt;
  if (last.outcome === 'hard_declined') {
    return resetSince
      ? { kind: 'charge', attemptNumber: 1, firstDeclinedOn: null }
      : { kind: 'wait', reason: `hard decline (${last.declineCode ?? 'declined'}) on ${last.attemptDate}: not retried; update the payment method`, retry: false };
  }
  // declined
  if (last.nextRetryDate === null) {
    return resetSince
      ? { kind: 'charge', attemptNumber: 1, firstDeclinedOn: null }
      : { kind: 'wait', reason: `declined ${last.attemptNumber} times since ${last.firstDeclinedOn ?? last.attemptDate}: no retry left; update the payment method`, retry: false };
  }
  if (asOf < last.nextRetryDate) return { kind: 'wait', reason: `declined on ${last.attemptDate}; next retry on ${last.nextRetryDate}`, retry: true };
  return { kind: 'charge', attemptNumber: last.attemptNumber + 1, firstDeclinedOn: last.firstDeclinedOn ?? last.attemptDate };
}

/** The last day a card is good: the end of its expiry month. */
export function cardGoodThrough(expMonth: number, expYear: number): IsoDate {
  return `${expYear}-${String(expMonth).padStart(2, '0')}-${String(daysInMonth(expYear, expMonth)).padStart(2, '0')}` as IsoDate;
}

/** Whether "your card expires next month" is due on `asOf`: within 30 days of the card's last good day. */
export function expiryNoticeDue(expMonth: number, expYear: number, asOf: IsoDate): boolean {
  const through = cardGoodThrough(expMonth, expYear);
  return asOf <= through && addDays(asOf, 30) >= through;
}
