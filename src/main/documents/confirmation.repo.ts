import type { PaymentKind, PaymentStatus } from '../db/schema';
import type { Db } from '../db/types';
import { allocationsForConfirmation, applicationsPostedBy, paymentById, phoneDebitAuthorizationOf, reversalsForConfirmation } from '../payments/payments.queries';
import { balancesAtInstant, creditRemainingAtInstant, customerById, staffDisplayName, type DocumentCustomer } from './documents.repo';
import { describeMethod } from './format.rules';

/**
 * What a payment confirmation shows, read through payments' queries. Amounts are as of the
 * payment's own moment (or its void's), so a reprint shows what the original showed.
 */

export interface ConfirmationInvoiceLine {
  invoiceNumber: string;
  /** From the card or bank account. */
  fromMethodCents: number;
  credits: { creditNumber: string; cents: number }[];
  totalCents: number;
}

export interface ConfirmationReversal {
  kind: 'void' | 'refund';
  status: 'pending' | 'completed' | 'failed';
  amountCents: number;
  invoiceNumber: string | null;
  reason: string;
  at: string;
  by: string;
}

export interface ConfirmationData {
  paymentId: number;
  status: PaymentStatus;
  kind: PaymentKind;
  confirmationNumber: string | null;
  /** How money received at the desk came (2026_12_03_0002); null for the gateway's card and bank payments. */
  receivedVia: 'check' | 'cash' | 'wire' | 'transfer' | null;
  methodText: string;
  /** Charged (or, when declined, attempted) on the card or bank account. */
  amountCents: number;
  /** When the payment was taken: its posting for a captured one, its submission otherwise. */
  at: string;
  customer: DocumentCustomer;
  clerk: string;
  lines: ConfirmationInvoiceLine[];
  creditsAppliedCents: number;
  creditsUsed: { creditNumber: string; appliedCents: number; remainingCents: number }[];
  creditsLeftCents: number;
  openBalanceCents: number;
  /** The instant the balances above are taken at (after the payment, or after its void). */
  balanceAt: string;
  decline: { code: string | null; message: string | null } | null;
  reversals: ConfirmationReversal[];
  voidedAt: string | null;
  /** A bank debit's phone authorization: the wording read to the customer, who read it and when. */
  authorization: { wording: string; at: string; by: string } | null;
  /** Charged by the billing run's autopay (an attempt carries the payment's idempotency key): its email is the autopay receipt. */
  autopay: boolean;
  /** The latest moment the document depends on; its PDF dates are set to it. */
  documentTime: string;
}

function latest(...instants: (string | null | undefined)[]): string {
  return instants.filter((s): s is string => !!s).sort().at(-1) ?? '1970-01-01T00:00:00.000Z';
}

export async function confirmationData(db: Db, paymentId: number): Promise<ConfirmationData | undefined> {
  const p = await paymentById(db, paymentId);
  if (!p) return undefined;
  const customer = await customerById(db, p.customer_id);
  if (!customer) return undefined;

  const allocations = await allocationsForConfirmation(db, paymentId);

  const lines: ConfirmationInvoiceLine[] = [];
  const byInvoice = new Map<number, ConfirmationInvoiceLine>();
  const usedByCredit = new Map<number, { creditNumber: string; appliedCents: number }>();
  for (const a of allocations) {
    let line = byInvoice.get(a.invoice_id);
    if (!line) {
      line = { invoiceNumber: a.invoice_number, fromMethodCents: 0, credits: [], totalCents: 0 };
      byInvoice.set(a.invoice_id, line);
      lines.push(line);
    }
    if (a.source === 'credit' && a.credit_id !== null) {
      const creditNumber = a.credit_number ?? String(a.credit_id);
      line.credits.push({ creditNumber, cents: a.amount_cents });
      const used = usedByCredit.get(a.credit_id) ?? { creditNumber, appliedCents: 0 };
      used.appliedCents += a.amount_cents;
      usedByCredit.set(a.credit_id, used);
    } else {
      line.fromMethodCents += a.amount_cents;
    }
    line.totalCents += a.amount_cents;
  }

  // The applications this payment posted: its own rows, and the rows of the credits it used on its invoices.
  const posted = await applicationsPostedBy(db, {
    id: paymentId,
    createdAt: p.created_at,
    creditIds: [...usedByCredit.keys()],
    invoiceIds: [...byInvoice.keys()],
  });
  const postedIds = new Set(posted.filter((r) => r.reverses_id === null).map((r) => r.id));
  const postedAt = latest(...posted.filter((r) => r.reverses_id === null).map((r) => r.created_at));
  const reversedAt = latest(...posted.filter((r) => r.reverses_id !== null && postedIds.has(r.reverses_id)).map((r) => r.created_at));

  const reversalRows = await reversalsForConfirmation(db, paymentId);
  const reversals: ConfirmationReversal[] = [];
  for (const r of reversalRows) {
    reversals.push({
      kind: r.kind,
      status: r.status,
      amountCents: r.amount_cents,
      invoiceNumber: r.invoice_number,
      reason: r.reason,
      at: r.settled_at ?? r.created_at,
      by: await staffDisplayName(db, r.created_by),
    });
  }
  const authorization = await phoneDebitAuthorizationOf(db, paymentId);
  const autopay = (await db.selectFrom('autopay_attempts').select('id').where('idempotency_key', '=', p.idempotency_key).executeTakeFirst()) !== undefined;
  const voidRow = reversals.find((r) => r.kind === 'void' && r.status === 'completed');

  const hasPosted = posted.some((r) => r.reverses_id === null);
  const at = p.status === 'captured' || p.status === 'voided' ? (hasPosted ? postedAt : (p.settled_at ?? p.created_at)) : p.created_at;
  const voidedAt = p.status === 'voided' ? (posted.some((r) => r.reverses_id !== null) ? reversedAt : (voidRow?.at ?? at)) : null;
  const balanceAt = voidedAt ?? at;
  const balances = await balancesAtInstant(db, customer.id, balanceAt);
  const creditsUsed: ConfirmationData['creditsUsed'] = [];
  for (const [creditId, used] of usedByCredit) {
    creditsUsed.push({ ...used, remainingCents: await creditRemainingAtInstant(db, creditId, balanceAt) });
  }

  return {
    paymentId: p.id,
    status: p.status,
    kind: p.kind,
    confirmationNumber: p.confirmation_number,
    receivedVia: p.received_via,
    methodText: describeMethod(p),
    amountCents: p.amount_cents,
    at,
    customer,
    clerk: await staffDisplayName(db, p.created_by),
    lines,
    creditsAppliedCents: [...usedByCredit.values()].reduce((s, u) => s + u.appliedCents, 0),
    creditsUsed,
    creditsLeftCents: balances.creditsLeftCents,
    openBalanceCents: balances.openCents,
    balanceAt,
    decline:
      p.status === 'declined' || p.status === 'failed' ? { code: p.decline_code, message: p.decline_message } : null,
    reversals,
    voidedAt,
    authorization: authorization ? { wording: authorization.wording, at: authorization.authorizedAt, by: await staffDisplayName(db, authorization.authorizedBy) } : null,
    autopay,
    documentTime: latest(at, voidedAt, ...reversals.map((r) => r.at)),
  };
}
