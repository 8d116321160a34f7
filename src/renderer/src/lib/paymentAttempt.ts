/**
 * The payment this window has sent and not yet shown the outcome of, per customer: its idempotency
 * key and when it was sent. It is kept in the tab's sessionStorage, so a Reload, or Back to the
 * account, can still find the payment in the ledger (payments.get by key) and show what became of
 * it. Nothing about the card or account is kept: the key is a random id made for the attempt.
 */
export interface PaymentAttempt {
  idempotencyKey: string;
  /** Date.now() when the submit was sent. */
  sentAt: number;
}

const PREFIX = 'ardesk:payment-attempt:';

/** How long a sent submit may take to appear in the ledger before the window concludes it never arrived. */
export const ATTEMPT_ARRIVAL_MS = 15_000;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function rememberAttempt(customerNumber: string, attempt: PaymentAttempt): void {
  try {
    storage()?.setItem(PREFIX + customerNumber, JSON.stringify(attempt));
  } catch {
    // A full or refused storage only loses the Reload safety net; the payment itself is unaffected.
  }
}

export function attemptOf(customerNumber: string): PaymentAttempt | null {
  try {
    const raw = storage()?.getItem(PREFIX + customerNumber);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<PaymentAttempt>;
    if (typeof parsed.idempotencyKey !== 'string' || typeof parsed.sentAt !== 'number') return null;
    return { idempotencyKey: parsed.idempotencyKey, sentAt: parsed.sentAt };
  } catch {
    return null;
  }
}

/** Forgets the customer's attempt (only this one, when a key is given: a newer attempt stays). */
export function forgetAttempt(customerNumber: string, idempotencyKey?: string): void {
  const current = attemptOf(customerNumber);
  if (!current || (idempotencyKey && current.idempotencyKey !== idempotencyKey)) return;
  try {
    storage()?.removeItem(PREFIX + customerNumber);
  } catch {
    // nothing to do
  }
}
