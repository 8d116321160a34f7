/**
 * Pure rules of the payment workflow: confirmation numbers, labels, what a quote is computed on
 * while other payments are in flight, and what a refund reverses. No database, no gateway.
 */
import { bankAccountLabel, cardLabel } from '../../shared/cards';
import { formatCents } from '../../shared/money';
import type { AvailableCredit, OpenInvoice } from '../ledger/allocation.types';

/** Read over the phone: no 0/O, 1/I/L look-alikes. */
export const CONFIRMATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CONFIRMATION_LENGTH = 8;
// Largest multiple of the alphabet size below 256: bytes at or above it are skipped so no letter is favoured.
const UNBIASED_LIMIT = 256 - (256 % CONFIRMATION_ALPHABET.length);

/**
 * A confirmation number such as "K7M2-Q9XR" (9 characters) from random bytes; returns null when the
 * bytes did not hold 8 unbiased draws (the caller asks for more).
 */
export function confirmationNumberFrom(bytes: Uint8Array): string | null {
  let out = '';
  for (const b of bytes) {
    if (b >= UNBIASED_LIMIT) continue;
    out += CONFIRMATION_ALPHABET[b % CONFIRMATION_ALPHABET.length];
    if (out.length === CONFIRMATION_LENGTH) return `${out.slice(0, 4)}-${out.slice(4)}`;
  }
  return null;
}

/** What a clerk typed or heard ("k7m2 q9xr", "K7M2Q9XR") in the stored form, or null if it cannot be one. */
export function normalizeConfirmationNumber(text: string): string | null {
  const plain = text.toUpperCase().replace(/[\s-]/g, '');
  if (plain.length !== CONFIRMATION_LENGTH) return null;
  for (const c of plain) if (!CONFIRMATION_ALPHABET.includes(c)) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4)}`;
}

/** "Visa ending 4242", "Checking ending 6789", "Credit only", "Prior payment". */
export function paymentMethodLabel(kind: string, brand: string | null, last4: string | null): string {
  switch (kind) {
    case 'card':
      return last4 ? cardLabel(brand ?? '', last4) : 'Card';
    case 'bank':
      return last4 ? bankAccountLabel(brand ?? 'checking', last4) : 'Bank account';
    case 'credit_only':
      return 'Credit only';
    case 'import':
      return 'Prior payment';
    case 'check':
      return 'Check';
    case 'cash':
      return 'Cash';
    default:
      return kind;
  }
}

export interface Hold {
  invoiceNumber: string | null;
  creditNumber: string | null;
  amountCents: number;
}

/**
 * Balances less what pending payments have already claimed, so a second clerk's quote does not
 * offer money another payment is about to take. Invoices or credits claimed in full drop to 0.
 */
export function withoutHolds(
  invoices: readonly OpenInvoice[],
  credits: readonly AvailableCredit[],
  holds: readonly Hold[],
): { invoices: OpenInvoice[]; credits: AvailableCredit[] } {
  const onInvoice = new Map<string, number>();
  const onCredit = new Map<string, number>();
  for (const h of holds) {
    if (h.invoiceNumber) onInvoice.set(h.invoiceNumber, (onInvoice.get(h.invoiceNumber) ?? 0) + h.amountCents);
    if (h.creditNumber) onCredit.set(h.creditNumber, (onCredit.get(h.creditNumber) ?? 0) + h.amountCents);
  }
  return {
    invoices: invoices.map((i) => ({ ...i, openCents: Math.max(0, i.openCents - (onInvoice.get(i.invoiceNumber) ?? 0)) })),
    credits: credits.map((c) => ({ ...c, remainingCents: Math.max(0, c.remainingCents - (onCredit.get(c.creditNumber) ?? 0)) })),
  };
}

export interface StandingApplication {
  id: number;
  invoiceId: number;
  invoiceNumber: string;
  dueDate: string;
  issueDate: string;
  source: 'payment' | 'credit';
  creditId: number | null;
  amountCents: number;
}

export interface RefundPlan {
  /** Card or bank money returned. */
  refundCents: number;
  /** Applications reversed in full. */
  reverseIds: number[];
  /** Parts of reversed card applications that stay applied (a partial refund), re-posted as new rows. */
  reapply: { invoiceId: number; amountCents: number }[];
  /** Taken from money held on account before any invoice is reopened. */
  fromUnappliedCents: number;
}

export type RefundPlanResult = { ok: true; plan: RefundPlan } | { ok: false; message: string };

/**
 * What a refund reverses. The whole refundable amount (of the payment, or of one invoice's share)
 * reverses every standing application in scope, credits included, so the invoices reopen as they
 * were and the credits come back. A smaller amount returns only card money: first what is held on
 * account, then the newest invoices' card applications, the last one cut by reversing it and
 * re-applying what stays. More than is left is refused.
 */
export function planRefund(input: {
  standing: readonly StandingApplication[];
  unappliedCents: number;
  /** Limit to one invoice's share. */
  invoiceId: number | null;
  amountCents: number | null;
}): RefundPlanResult {
  const inScope = input.standing.filter((a) => input.invoiceId === null || a.invoiceId === input.invoiceId);
  const card = inScope.filter((a) => a.source === 'payment');
  const unapplied = input.invoiceId === null ? input.unappliedCents : 0;
  const refundable = card.reduce((s, a) => s + a.amountCents, 0) + unapplied;
  const wanted = input.amountCents ?? refundable;
  if (refundable === 0) {
    return {
      ok: false,
      message:
        inScope.length > 0
          ? 'Nothing was charged to the card or bank account for this; only credits were used (unapply the credit instead)'
          : 'Nothing is left to refund on this payment',
    };
  }
  if (!Number.isSafeInteger(wanted) || wanted <= 0) return { ok: false, message: 'The refund amount must be a positive number of cents' };
  if (wanted > refundable) {
    return {
      ok: false,
      message: `A refund of ${formatCents(wanted)} is more than the ${formatCents(refundable)} captured and not yet refunded${input.invoiceId === null ? '' : ' for this invoice'}`,
    };
  }
  if (wanted === refundable) {
    return { ok: true, plan: { refundCents: wanted, reverseIds: inScope.map((a) => a.id), reapply: [], fromUnappliedCents: unapplied } };
  }
  const fromUnapplied = Math.min(unapplied, wanted);
  let left = wanted - fromUnapplied;
  const reverseIds: number[] = [];
  const reapply: RefundPlan['reapply'] = [];
  const newestFirst = [...card].sort(
    (x, y) => cmp(y.dueDate, x.dueDate) || cmp(y.issueDate, x.issueDate) || cmp(y.invoiceNumber, x.invoiceNumber) || y.id - x.id,
  );
  for (const a of newestFirst) {
    if (left === 0) break;
    reverseIds.push(a.id);
    const take = Math.min(left, a.amountCents);
    if (take < a.amountCents) reapply.push({ invoiceId: a.invoiceId, amountCents: a.amountCents - take });
    left -= take;
  }
  return { ok: true, plan: { refundCents: wanted, reverseIds, reapply, fromUnappliedCents: fromUnapplied } };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
