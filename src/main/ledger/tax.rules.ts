/**
 * Invoice tax. Pure functions, no database.
 *
 * Rule: a line's amount is quantity × unit price. Tax is computed once per invoice, on the sum
 * of the taxable line amounts: taxable × rate / 10000, rounded half up to the cent, in integer
 * arithmetic only. Per-line rounding is avoided because it drifts from the invoice-level figure
 * by up to half a cent per line. Tax-exempt customers pay no tax.
 */
import { assertCents, MAX_CENTS, type Cents } from '../../shared/money';
import { validationError } from '../../shared/errors';

export interface TaxableLine {
  /** A positive whole number. */
  quantity: number;
  unitPriceCents: Cents;
  taxable: boolean;
}

export interface InvoiceTotals {
  lines: { amountCents: Cents }[];
  subtotalCents: Cents;
  taxableCents: Cents;
  taxCents: Cents;
  totalCents: Cents;
}

/** 10000 basis points = 100 %. */
export const MAX_TAX_RATE_BASIS_POINTS = 10_000;

export function computeInvoiceTotals(
  lines: readonly TaxableLine[],
  taxRateBasisPoints: number,
  taxExempt: boolean,
): InvoiceTotals {
  if (!Number.isInteger(taxRateBasisPoints) || taxRateBasisPoints < 0 || taxRateBasisPoints > MAX_TAX_RATE_BASIS_POINTS) {
    throw validationError('taxRateBasisPoints', `must be a whole number from 0 to ${MAX_TAX_RATE_BASIS_POINTS}, got ${taxRateBasisPoints}`);
  }
  let subtotalCents = 0;
  let taxableCents = 0;
  const amounts = lines.map((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw validationError(`lines[${i}].quantity`, `must be a positive whole number, got ${line.quantity}`);
    }
    assertCents(line.unitPriceCents, `lines[${i}].unitPriceCents`);
    // A product above MAX_CENTS is refused before it could lose precision in a later sum.
    const amountCents = line.quantity * line.unitPriceCents;
    if (amountCents > MAX_CENTS) throw validationError(`lines[${i}]`, 'amount is too large');
    subtotalCents += amountCents;
    if (line.taxable) taxableCents += amountCents;
    return { amountCents };
  });
  assertCents(subtotalCents, 'subtotal');
  const taxCents = taxExempt ? 0 : taxOn(taxableCents, taxRateBasisPoints);
  const totalCents = subtotalCents + taxCents;
  assertCents(totalCents, 'total');
  return { lines: amounts, subtotalCents, taxableCents, taxCents, totalCents };
}

/** taxable × rate / 10000 rounded half up; BigInt because the product can pass 2^53. */
function taxOn(taxableCents: Cents, rateBasisPoints: number): Cents {
  return Number((BigInt(taxableCents) * BigInt(rateBasisPoints) + 5000n) / 10000n);
}
