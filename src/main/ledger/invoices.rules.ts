/** Invoices: checking a new invoice and turning rows into what the screens get. Pure functions, no database. */
import type { BillingFrequencyDto, InvoiceApplicationDto, InvoiceCreateInput, InvoiceDto } from '../../shared/contract/invoices';
import { addDays, isIsoDate } from '../../shared/dates';
import { MAX_CENTS } from '../../shared/money';
import { documentNumberProblem, textLengthProblem, type FieldProblems } from '../../shared/validation';
import type { InvoiceLineRow, InvoiceRow } from '../db/schema';
import { computeInvoiceTotals, type InvoiceTotals } from './tax.rules';

export const MAX_INVOICE_LINES = 500;
export const MAX_LINE_DESCRIPTION = 500;

export interface NewInvoiceLine {
  description: string;
  quantity: number;
  unitPriceCents: number;
  amountCents: number;
  taxable: boolean;
}

export interface InvoiceApplicationRow {
  id: number;
  source: 'payment' | 'credit' | 'write_off';
  paymentId: number | null;
  confirmationNumber: string | null;
  creditNumber: string | null;
  writeOffId: number | null;
  amountCents: number;
  reversesId: number | null;
  reversed: number;
  appliedOn: string;
  reason: string | null;
  createdAt: string;
  createdBy: string;
}

export interface InvoiceDefaults {
  businessDate: string;
  termsDays: number;
  taxRateBp: number;
  taxExempt: boolean;
}

export interface InvoiceDraft {
  invoiceNumber: string | null;
  issueDate: string;
  dueDate: string;
  periodStart: string | null;
  periodEnd: string | null;
  billingFrequency: BillingFrequencyDto | null;
  taxRateBp: number;
  lines: NewInvoiceLine[];
  totals: InvoiceTotals;
}

export type InvoiceDraftResult = { ok: true; draft: InvoiceDraft } | { ok: false; problems: FieldProblems };

function dateProblem(value: string): string | null {
  return isIsoDate(value) ? null : `"${value}" is not a calendar date as YYYY-MM-DD`;
}

/**
 * Checks every field of a new invoice (all problems at once, keyed by field path such as
 * `lines.1.quantity`), fills the defaults (issue date = business date, due date = issue + the
 * customer's terms, the office's tax rate) and computes the totals with the tax rule.
 */
export function draftInvoice(input: Omit<InvoiceCreateInput, 'customerNumber'>, defaults: InvoiceDefaults): InvoiceDraftResult {
  const problems: FieldProblems = {};
  const invoiceNumber = input.invoiceNumber?.trim() || null;
  if (input.invoiceNumber !== undefined && invoiceNumber === null) problems.invoiceNumber = 'is blank; leave it out to have one generated';
  else if (invoiceNumber !== null) {
    const p = documentNumberProblem(invoiceNumber);
    if (p) problems.invoiceNumber = p;
  }

  const issueDate = input.issueDate?.trim() || defaults.businessDate;
  const issueProblem = dateProblem(issueDate);
  if (issueProblem) problems.issueDate = issueProblem;
  let dueDate = input.dueDate?.trim() || null;
  if (dueDate !== null) {
    const p = dateProblem(dueDate);
    if (p) problems.dueDate = p;
    else if (!issueProblem && dueDate < issueDate) problems.dueDate = `${dueDate} is before the issue date ${issueDate}`;
  } else if (!issueProblem) {
    dueDate = addDays(issueDate, defaults.termsDays);
  }

  const periodStart = input.periodStart?.trim() || null;
  const periodEnd = input.periodEnd?.trim() || null;
  const startProblem = periodStart === null ? null : dateProblem(periodStart);
  const endProblem = periodEnd === null ? null : dateProblem(periodEnd);
  if (startProblem) problems.periodStart = startProblem;
  if (endProblem) problems.periodEnd = endProblem;
  if (periodStart && periodEnd && !startProblem && !endProblem && periodEnd < periodStart) {
    problems.periodEnd = `${periodEnd} is before the period start ${periodStart}`;
  }

  const taxRateBp = input.taxRateBp ?? defaults.taxRateBp;
  if (!Number.isInteger(taxRateBp) || taxRateBp < 0 || taxRateBp > 10_000) {
    problems.taxRateBp = `must be a whole number of basis points from 0 to 10000 (825 = 8.25%), got ${taxRateBp}`;
  }

  if (input.lines.length === 0) problems.lines = 'an invoice needs at least one line';
  if (input.lines.length > MAX_INVOICE_LINES) problems.lines = `at most ${MAX_INVOICE_LINES} lines, got ${input.lines.length}`;
  const lines: NewInvoiceLine[] = input.lines.map((line, i) => {
    const description = line.description.trim();
    if (description.length === 0) problems[`lines.${i}.description`] = 'is required';
    else {
      const p = textLengthProblem(description, MAX_LINE_DESCRIPTION);
      if (p) problems[`lines.${i}.description`] = p;
    }
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      problems[`lines.${i}.quantity`] = `must be a positive whole number, got ${line.quantity}`;
    }
    if (!Number.isSafeInteger(line.unitPriceCents) || line.unitPriceCents < 0 || line.unitPriceCents > MAX_CENTS) {
      problems[`lines.${i}.unitPriceCents`] = `must be a whole, non-negative number of cents, got ${line.unitPriceCents}`;
    }
    return {
      description,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      amountCents: line.quantity * line.unitPriceCents,
      taxable: line.taxable ?? false,
    };
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const totals = computeInvoiceTotals(lines, taxRateBp, defaults.taxExempt);
  return {
    ok: true,
    draft: {
      invoiceNumber,
      issueDate,
      dueDate: dueDate!,
      periodStart,
      periodEnd,
      billingFrequency: input.billingFrequency ?? null,
      taxRateBp,
      lines: lines.map((l, i) => ({ ...l, amountCents: totals.lines[i]!.amountCents })),
      totals,
    },
  };
}

/** The cached status an invoice should have: paid once nothing is open; void stays void. */
export function invoiceStatusFor(current: 'open' | 'paid' | 'void', totalCents: number, appliedCents: number): 'open' | 'paid' | 'void' {
  if (current === 'void') return 'void';
  return totalCents - appliedCents === 0 ? 'paid' : 'open';
}

/** An invoice line as the channels and documents show it. */
export function invoiceLineDto(l: InvoiceLineRow): InvoiceDto['lines'][number] {
  return {
    lineNo: l.line_no,
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unit_price_cents,
    amountCents: l.amount_cents,
    taxable: l.taxable === 1,
  };
}

const APPLICATION_LABELS = { payment: 'Payment', credit: 'Credit', write_off: 'Write-off', reversal: 'Reversal' } as const;

/** What an application row is for the clerk: a reversal whatever it takes back, else where the amount came from. */
export function applicationKind(a: Pick<InvoiceApplicationRow, 'source' | 'reversesId'>): InvoiceApplicationDto['kind'] {
  return a.reversesId !== null ? 'reversal' : a.source;
}

export function toInvoiceDto(
  row: InvoiceRow,
  customer: { customerNumber: string; legalName: string },
  lines: readonly InvoiceLineRow[],
  applications: readonly InvoiceApplicationRow[],
): InvoiceDto {
  const applied = applications.reduce((sum, a) => sum + a.amountCents, 0);
  return {
    invoiceNumber: row.invoice_number,
    customerNumber: customer.customerNumber,
    customerName: customer.legalName,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    billingFrequency: row.billing_frequency,
    taxRateBp: row.tax_rate_bp,
    subtotalCents: row.subtotal_cents,
    taxCents: row.tax_cents,
    totalCents: row.total_cents,
    openCents: row.status === 'void' ? 0 : row.total_cents - applied,
    status: row.status,
    disputed: row.disputed === 1,
    disputeReason: row.dispute_reason,
    voidReason: row.void_reason,
    voidedAt: row.voided_at,
    voidedBy: row.voided_by,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lines: lines.map(invoiceLineDto),
    applications: applications.map((a) => {
      const kind = applicationKind(a);
      return { ...a, kind, label: APPLICATION_LABELS[kind], reversed: a.reversed === 1 };
    }),
  };
}
