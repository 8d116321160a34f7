import type { PaymentQuoteDto, PaymentQuoteInput, PaymentSubmitInput } from '../../shared/contract/payments';
import { AppError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import type { Db } from '../db/types';
import { computeQuote, type QuoteAccepted, type QuoteResult } from '../ledger/allocation.rules';
import { creditsFor, openInvoicesFor, type CreditBalanceRow, type OpenInvoiceRow } from '../ledger/balances.repo';
import { requireCustomer } from '../ledger/customers.repo';
import type { SettingsStore } from '../settings/settings.store';
import type { PaymentsContext } from './context';
import { lastPaymentOnInvoice, pendingHolds } from './payments.repo';
import { withoutHolds, type Hold } from './payments.rules';

/** A customer's open invoices and credits, and what pending payments have claimed of them. */
export interface Balances {
  invoices: OpenInvoiceRow[];
  credits: CreditBalanceRow[];
  holds: Hold[];
}

export async function balancesOf(d: Db, customerId: number): Promise<Balances> {
  return {
    invoices: await openInvoicesFor(d, customerId),
    credits: await creditsFor(d, customerId),
    holds: await pendingHolds(d, customerId),
  };
}

/** The allocation preview under the office's house rules; with `respectHolds`, money pending payments claimed is not offered. */
export function quoteOn(settings: SettingsStore, b: Balances, input: PaymentQuoteInput, respectHolds: boolean): QuoteResult {
  const open = b.invoices.map((i) => ({
    invoiceNumber: i.invoiceNumber,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    openCents: i.openCents,
    disputed: i.disputed,
  }));
  const avail = b.credits.map((c) => ({ creditNumber: c.creditNumber, issueDate: c.issueDate, remainingCents: c.remainingCents }));
  const { invoices, credits } = respectHolds ? withoutHolds(open, avail, b.holds) : { invoices: open, credits: avail };
  return computeQuote({
    openInvoices: invoices,
    selection: input.invoiceNumbers,
    credits,
    selectedCredits: input.creditNumbers,
    policy: settings.get().policy,
    ...(input.amountCents === undefined ? {} : { amountCents: input.amountCents }),
  });
}

/** The quote a submit may post, or the reason it may not: CONFLICT when another payment holds the money. */
export function acceptedQuote(settings: SettingsStore, b: Balances, input: PaymentSubmitInput): QuoteAccepted {
  const q = quoteOn(settings, b, input, true);
  if (!q.ok) {
    const details = { code: q.code, invoiceNumber: q.invoiceNumber, creditNumber: q.creditNumber };
    if (quoteOn(settings, b, input, false).ok) {
      const what = q.invoiceNumber ? `Invoice ${q.invoiceNumber}` : q.creditNumber ? `Credit ${q.creditNumber}` : 'Part of this selection';
      throw new AppError(
        'CONFLICT',
        `${what} is being paid by another payment that has not finished; nothing was charged. Refresh and try again.`,
        details,
      );
    }
    throw new AppError('VALIDATION', q.message, details);
  }
  if (q.chargeCents !== input.confirmedAmountCents) {
    throw new AppError(
      'CONFLICT',
      `The amount due changed from ${formatCents(input.confirmedAmountCents)} to ${formatCents(q.chargeCents)}; nothing was charged. Confirm the new amount with the customer.`,
      { confirmedAmountCents: input.confirmedAmountCents, chargeCents: q.chargeCents },
    );
  }
  return q;
}

/**
 * acceptedQuote, and when an invoice of the selection is no longer open because another payment
 * just paid it, a CONFLICT that names the invoice and that payment's confirmation number
 * (details: code INVOICE_PAID, invoiceNumber, paidBy) instead of "not an open invoice".
 */
export async function acceptedQuoteOrPaidMeanwhile(
  d: Db,
  settings: SettingsStore,
  b: Balances,
  input: PaymentSubmitInput,
  customerId: number,
): Promise<QuoteAccepted> {
  try {
    return acceptedQuote(settings, b, input);
  } catch (e) {
    // Only a refusal: an invoice held by a payment still in flight is already a CONFLICT of its own.
    const details = e instanceof AppError && e.code === 'VALIDATION' ? (e.details as { code?: string; invoiceNumber?: string } | undefined) : undefined;
    if (details?.code !== 'INVOICE_NOT_OPEN' || !details.invoiceNumber) throw e;
    const paidBy = await lastPaymentOnInvoice(d, customerId, details.invoiceNumber);
    if (!paidBy) throw e;
    throw new AppError(
      'CONFLICT',
      `${details.invoiceNumber} was paid a moment ago by another payment (${paidBy.confirmationNumber}); nothing was charged.`,
      { code: 'INVOICE_PAID', invoiceNumber: details.invoiceNumber, paidBy },
    );
  }
}

/** The quote the clerk sees before submitting. */
export async function quotePayment(ctx: PaymentsContext, input: PaymentQuoteInput): Promise<PaymentQuoteDto> {
  const customer = await requireCustomer(ctx.db, input.customerNumber);
  return quoteOn(ctx.deps.settings, await balancesOf(ctx.db, customer.id), input, true);
}
