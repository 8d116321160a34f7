/**
 * House rules for applying money to invoices: which invoices a payment settles, in what order,
 * how credits are used, and when a payment is refused. Pure functions, no database.
 *
 * Refusals a clerk can cause (bad selection, wrong amount) come back as `{ ok: false, code }`
 * so the screen can show them; malformed data from the ledger itself (bad dates, negative or
 * duplicate rows) is a bug and throws.
 */
// The types of quotes are in allocation.types.ts and the oldest-first order in ordering.rules.ts;
// both are re-exported here, so this module is the one to import.
import { assertIsoDate } from '../../shared/dates';
import { assertCents, formatCents, isCents, type Cents } from '../../shared/money';
import type {
  AllocationRefusalCode,
  AvailableCredit,
  CreditApplicationInput,
  CreditPart,
  OpenInvoice,
  PaymentPolicy,
  QuoteAccepted,
  QuoteInput,
  QuoteLine,
  QuoteRefused,
  QuoteResult,
} from './allocation.types';
import { sortCreditsOldestFirst, sortOldestFirst } from './ordering.rules';

export type {
  AllocationRefusalCode,
  AvailableCredit,
  CreditApplicationInput,
  CreditLeft,
  CreditPart,
  OpenInvoice,
  PaymentPolicy,
  QuoteAccepted,
  QuoteInput,
  QuoteLine,
  QuoteRefused,
  QuoteResult,
} from './allocation.types';
export { compareNatural, sortCreditsOldestFirst, sortOldestFirst } from './ordering.rules';

export const DEFAULT_PAYMENT_POLICY: Readonly<PaymentPolicy> = Object.freeze({
  exactInvoicePayments: true,
  overpayment: 'refuse',
});

// ---------------------------------------------------------------------------------------------
// Quotes

/**
 * The preview of a card/bank payment: selected credits first, then the charge, both applied to
 * the selected invoices oldest first.
 * - Exact payments (the default): every selected invoice is settled in full; the charge is what
 *   credits leave due, and an amountCents that differs from it is refused (lower: the first
 *   invoice not paid in full is named; higher: overpayment).
 * - Otherwise amountCents is required; the last invoice reached may be paid in part, an invoice
 *   that would receive nothing is refused, and money beyond what is due is refused or kept as
 *   unappliedCents according to policy.overpayment.
 * Selected credits that are not needed stay in creditsLeft.
 */
export function computeQuote(input: QuoteInput): QuoteResult {
  const policy = checkPolicy(input.policy);
  const amount = input.amountCents;
  if (amount !== undefined && !isCents(amount)) {
    return refuse('INVALID_AMOUNT', `The amount must be a whole, non-negative number of cents, got ${String(amount)}`);
  }
  const chosen = chooseInvoicesAndCredits(input);
  if (!chosen.ok) return chosen;
  const { drafts, pool } = applyCreditsOldestFirst(chosen.invoices, chosen.credits);
  const dueAfterCredits = sum(drafts.map(dueOf));
  const afterCredits = pool.some((c) => c.used > 0) ? ' after credits' : '';

  if (policy.exactInvoicePayments) {
    const charge = amount ?? dueAfterCredits;
    if (charge > dueAfterCredits) {
      return refuse(
        'OVERPAYMENT_NOT_ALLOWED',
        `Payment of ${formatCents(charge)} is more than the ${formatCents(dueAfterCredits)} due on the selected invoices${afterCredits}; overpayments are not allowed`,
      );
    }
    applyChargeOldestFirst(drafts, charge);
    const short = drafts.find((d) => dueOf(d) > 0);
    if (short) {
      const how = short.creditCents + short.chargeCents > 0 ? 'would be paid in part' : 'would not be paid';
      return refuse(
        'PARTIAL_PAYMENT_NOT_ALLOWED',
        `Invoice ${short.invoice.invoiceNumber} ${how}; partial payments are not allowed`,
        { invoiceNumber: short.invoice.invoiceNumber },
      );
    }
    return accept(drafts, pool, charge, 0);
  }

  if (amount === undefined) {
    return refuse('AMOUNT_REQUIRED', 'Enter the amount to charge; it is required when partial payments are allowed');
  }
  const excess = applyChargeOldestFirst(drafts, amount);
  const starved = drafts.find((d) => d.creditCents + d.chargeCents === 0);
  if (starved) {
    return refuse(
      'INVOICE_RECEIVES_NOTHING',
      `Invoice ${starved.invoice.invoiceNumber} would receive nothing from this payment; raise the amount or leave the invoice out`,
      { invoiceNumber: starved.invoice.invoiceNumber },
    );
  }
  if (excess > 0 && policy.overpayment === 'refuse') {
    return refuse(
      'OVERPAYMENT_NOT_ALLOWED',
      `Payment of ${formatCents(amount)} is more than the ${formatCents(dueAfterCredits)} due on the selected invoices${afterCredits}; overpayments are not allowed`,
    );
  }
  return accept(drafts, pool, amount, excess);
}

/**
 * Applying credits alone, no card: the same selection and order as a quote, chargeCents 0.
 * With exact payments every selected invoice must be covered in full by the credits;
 * otherwise the last invoice reached may be paid in part, but none may receive nothing.
 */
export function computeCreditApplication(input: CreditApplicationInput): QuoteResult {
  const policy = checkPolicy(input.policy);
  const chosen = chooseInvoicesAndCredits(input);
  if (!chosen.ok) return chosen;
  if (chosen.credits.length === 0) {
    return refuse('NO_CREDIT_SELECTED', 'Select at least one credit to apply');
  }
  const { drafts, pool } = applyCreditsOldestFirst(chosen.invoices, chosen.credits);

  if (policy.exactInvoicePayments) {
    const short = drafts.find((d) => dueOf(d) > 0);
    if (short) {
      const how = short.creditCents > 0 ? 'would be paid in part' : 'would not be paid';
      return refuse(
        'PARTIAL_PAYMENT_NOT_ALLOWED',
        `Invoice ${short.invoice.invoiceNumber} ${how} by the selected credits; partial payments are not allowed`,
        { invoiceNumber: short.invoice.invoiceNumber },
      );
    }
  } else {
    const starved = drafts.find((d) => d.creditCents === 0);
    if (starved) {
      return refuse(
        'INVOICE_RECEIVES_NOTHING',
        `Invoice ${starved.invoice.invoiceNumber} would receive nothing from the selected credits; leave it out or select more credits`,
        { invoiceNumber: starved.invoice.invoiceNumber },
      );
    }
  }
  return accept(drafts, pool, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// Internals

interface Draft {
  invoice: OpenInvoice;
  creditParts: CreditPart[];
  creditCents: Cents;
  chargeCents: Cents;
}

interface PoolCredit {
  creditNumber: string;
  left: Cents;
  used: Cents;
}

type Chosen = { ok: true; invoices: OpenInvoice[]; credits: AvailableCredit[] } | QuoteRefused;

function refuse(
  code: AllocationRefusalCode,
  message: string,
  about: { invoiceNumber?: string; creditNumber?: string } = {},
): QuoteRefused {
  return { ok: false, code, message, ...about };
}

function checkPolicy(policy: PaymentPolicy): PaymentPolicy {
  if (typeof policy?.exactInvoicePayments !== 'boolean' || !['refuse', 'unapplied_credit'].includes(policy.overpayment)) {
    throw new TypeError(`invalid payment policy: ${JSON.stringify(policy)}`);
  }
  return policy;
}

function sum(values: readonly Cents[]): Cents {
  return values.reduce((acc, v) => acc + v, 0);
}

function dueOf(d: Draft): Cents {
  return d.invoice.openCents - d.creditCents - d.chargeCents;
}

/** Validates the ledger's rows (throwing on bugs) and resolves the clerk's choices (refusing on mistakes). */
function chooseInvoicesAndCredits(input: CreditApplicationInput): Chosen {
  const openByNumber = new Map<string, OpenInvoice>();
  for (const inv of input.openInvoices) {
    assertIsoDate(inv.issueDate, `issue date of invoice ${inv.invoiceNumber}`);
    assertIsoDate(inv.dueDate, `due date of invoice ${inv.invoiceNumber}`);
    assertCents(inv.openCents, `open amount of invoice ${inv.invoiceNumber}`);
    if (openByNumber.has(inv.invoiceNumber)) throw new Error(`invoice ${inv.invoiceNumber} is listed twice`);
    // An invoice with nothing open is not open, whatever list it came in.
    if (inv.openCents > 0) openByNumber.set(inv.invoiceNumber, inv);
  }

  let invoices: OpenInvoice[];
  if (input.selection === 'all') {
    // Pay All leaves disputed invoices alone; the clerk may still pick one by hand.
    invoices = [...openByNumber.values()].filter((inv) => !inv.disputed);
    if (invoices.length === 0) {
      return refuse(
        'NOTHING_SELECTED',
        openByNumber.size === 0
          ? 'The customer has no open invoices to pay'
          : 'Every open invoice of the customer is disputed; select the invoices to pay by hand',
      );
    }
  } else {
    if (input.selection.length === 0) return refuse('NOTHING_SELECTED', 'Select at least one invoice to pay');
    const seen = new Set<string>();
    invoices = [];
    for (const number of input.selection) {
      if (seen.has(number)) {
        return refuse('DUPLICATE_INVOICE', `Invoice ${number} is selected more than once`, { invoiceNumber: number });
      }
      seen.add(number);
      const inv = openByNumber.get(number);
      if (!inv) {
        return refuse('INVOICE_NOT_OPEN', `Invoice ${number} is not an open invoice of this customer`, {
          invoiceNumber: number,
        });
      }
      invoices.push(inv);
    }
  }

  const creditByNumber = new Map<string, AvailableCredit>();
  for (const credit of input.credits) {
    assertIsoDate(credit.issueDate, `issue date of credit ${credit.creditNumber}`);
    assertCents(credit.remainingCents, `remaining amount of credit ${credit.creditNumber}`);
    if (creditByNumber.has(credit.creditNumber)) throw new Error(`credit ${credit.creditNumber} is listed twice`);
    creditByNumber.set(credit.creditNumber, credit);
  }
  const seenCredits = new Set<string>();
  const credits: AvailableCredit[] = [];
  for (const number of input.selectedCredits) {
    if (seenCredits.has(number)) {
      return refuse('DUPLICATE_CREDIT', `Credit ${number} is selected more than once`, { creditNumber: number });
    }
    seenCredits.add(number);
    const credit = creditByNumber.get(number);
    if (!credit || credit.remainingCents === 0) {
      return refuse(
        'CREDIT_NOT_AVAILABLE',
        credit ? `Credit ${number} has been used up` : `Credit ${number} is not an available credit of this customer`,
        { creditNumber: number },
      );
    }
    credits.push(credit);
  }

  return { ok: true, invoices: sortOldestFirst(invoices), credits: sortCreditsOldestFirst(credits) };
}

/**
 * Walks invoices and credits together, both oldest first: a credit larger than an invoice pays it
 * in full and carries its rest to the next invoice; a smaller one is spent whole on it.
 */
function applyCreditsOldestFirst(
  invoices: readonly OpenInvoice[],
  credits: readonly AvailableCredit[],
): { drafts: Draft[]; pool: PoolCredit[] } {
  const pool: PoolCredit[] = credits.map((c) => ({ creditNumber: c.creditNumber, left: c.remainingCents, used: 0 }));
  let k = 0;
  const drafts = invoices.map((invoice): Draft => {
    const creditParts: CreditPart[] = [];
    let need = invoice.openCents;
    for (let credit = pool[k]; need > 0 && credit; credit = pool[k]) {
      const take = Math.min(need, credit.left);
      creditParts.push({ creditNumber: credit.creditNumber, amountCents: take });
      credit.left -= take;
      credit.used += take;
      need -= take;
      if (credit.left === 0) k++;
    }
    return { invoice, creditParts, creditCents: invoice.openCents - need, chargeCents: 0 };
  });
  return { drafts, pool };
}

/** Pays what credits left open, oldest first; returns what is left of the amount. */
function applyChargeOldestFirst(drafts: Draft[], amountCents: Cents): Cents {
  let left = amountCents;
  for (const d of drafts) {
    const pay = Math.min(dueOf(d), left);
    d.chargeCents += pay;
    left -= pay;
  }
  return left;
}

function accept(drafts: readonly Draft[], pool: readonly PoolCredit[], chargeCents: Cents, unappliedCents: Cents): QuoteAccepted {
  const lines = drafts.map(
    (d): QuoteLine => ({
      invoiceNumber: d.invoice.invoiceNumber,
      dueDate: d.invoice.dueDate,
      issueDate: d.invoice.issueDate,
      openCents: d.invoice.openCents,
      creditParts: d.creditParts,
      creditCents: d.creditCents,
      chargeCents: d.chargeCents,
      remainingCents: dueOf(d),
    }),
  );
  const quote: QuoteAccepted = {
    ok: true,
    lines,
    totalOpenCents: sum(lines.map((l) => l.openCents)),
    totalCreditCents: sum(lines.map((l) => l.creditCents)),
    chargeCents,
    unappliedCents,
    creditsUsed: pool.filter((c) => c.used > 0).map((c) => ({ creditNumber: c.creditNumber, amountCents: c.used })),
    creditsLeft: pool.filter((c) => c.left > 0).map((c) => ({ creditNumber: c.creditNumber, remainingCents: c.left })),
  };
  assertBalanced(quote);
  return quote;
}

// A quote is what gets posted: check it balances before anyone can act on it.
function assertBalanced(q: QuoteAccepted): void {
  const broken = (what: string): never => {
    throw new Error(`allocation invariant broken: ${what}`);
  };
  for (const l of q.lines) {
    for (const v of [l.creditCents, l.chargeCents, l.remainingCents]) assertCents(v, `quote line ${l.invoiceNumber}`);
    if (l.creditCents + l.chargeCents + l.remainingCents !== l.openCents) broken(`line ${l.invoiceNumber} does not add up`);
    if (sum(l.creditParts.map((p) => p.amountCents)) !== l.creditCents) broken(`credit parts of ${l.invoiceNumber}`);
  }
  if (sum(q.lines.map((l) => l.chargeCents)) + q.unappliedCents !== q.chargeCents) broken('charge does not add up');
  if (sum(q.creditsUsed.map((c) => c.amountCents)) !== q.totalCreditCents) broken('credits used do not add up');
}
