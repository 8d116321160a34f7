/** A new invoice's figures while it is typed, by the same rules invoices.create applies. Pure functions, no database. */
import type { InvoiceCreateInput, InvoicePreviewDto } from '../../shared/contract/invoices';
import { addDays, isIsoDate } from '../../shared/dates';
import { MAX_CENTS } from '../../shared/money';
import { draftInvoice, type InvoiceDefaults } from './invoices.rules';
import { computeInvoiceTotals } from './tax.rules';

function usableLine(line: InvoiceCreateInput['lines'][number]): boolean {
  return (
    Number.isSafeInteger(line.quantity) &&
    line.quantity > 0 &&
    Number.isSafeInteger(line.unitPriceCents) &&
    line.unitPriceCents >= 0 &&
    line.quantity * line.unitPriceCents <= MAX_CENTS
  );
}

/**
 * The draft's own answer when the input is complete; otherwise the totals of the lines that can
 * already be counted (a line still missing its quantity or price counts as 0) and every problem
 * invoices.create would name.
 */
export function previewInvoice(input: Omit<InvoiceCreateInput, 'customerNumber'>, defaults: InvoiceDefaults): InvoicePreviewDto {
  const result = draftInvoice(input, defaults);
  const base = { termsDays: defaults.termsDays, taxExempt: defaults.taxExempt };
  if (result.ok) {
    const d = result.draft;
    return {
      ...base,
      issueDate: d.issueDate,
      dueDate: d.dueDate,
      taxRateBp: d.taxRateBp,
      lineAmounts: d.lines.map((l) => l.amountCents),
      subtotalCents: d.totals.subtotalCents,
      taxCents: d.totals.taxCents,
      totalCents: d.totals.totalCents,
      problems: {},
    };
  }
  const issueDate = input.issueDate?.trim() || defaults.businessDate;
  const givenDue = input.dueDate?.trim() || null;
  const dueDate = givenDue ?? (isIsoDate(issueDate) ? addDays(issueDate, defaults.termsDays) : null);
  const rate = input.taxRateBp ?? defaults.taxRateBp;
  const taxRateBp = Number.isInteger(rate) && rate >= 0 && rate <= 10_000 ? rate : defaults.taxRateBp;
  const counted = input.lines.map((l) => (usableLine(l) ? l : { ...l, quantity: 1, unitPriceCents: 0 }));
  const totals = computeInvoiceTotals(
    counted.map((l) => ({ quantity: l.quantity, unitPriceCents: l.unitPriceCents, taxable: l.taxable ?? false })),
    taxRateBp,
    defaults.taxExempt,
  );
  return {
    ...base,
    issueDate,
    dueDate,
    taxRateBp,
    lineAmounts: totals.lines.map((l) => l.amountCents),
    subtotalCents: totals.subtotalCents,
    taxCents: totals.taxCents,
    totalCents: totals.totalCents,
    problems: result.problems,
  };
}
