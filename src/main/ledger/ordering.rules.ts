/** The order money is applied in: oldest invoices first, oldest credits first. Pure functions. */
import type { AvailableCredit, OpenInvoice } from './allocation.types';

/**
 * Compares strings with runs of digits compared as numbers, so INV-999 < INV-1000.
 * Non-digit runs compare by code unit (not locale) so the order is the same on every machine;
 * strings equal as numbers ("INV-01", "INV-1") fall back to a plain compare to keep a total order.
 */
export function compareNatural(a: string, b: string): number {
  const ca = a.match(CHUNKS) ?? [];
  const cb = b.match(CHUNKS) ?? [];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i] ?? '';
    const y = cb[i] ?? '';
    if (isDigits(x) && isDigits(y)) {
      // Compare by length after stripping zeros, then by digits: exact for numbers of any size.
      const xs = x.replace(/^0+/, '');
      const ys = y.replace(/^0+/, '');
      const c = xs.length - ys.length || compareStrings(xs, ys);
      if (c !== 0) return Math.sign(c);
    } else {
      const c = compareStrings(x, y);
      if (c !== 0) return c;
    }
  }
  return Math.sign(ca.length - cb.length) || compareStrings(a, b);
}

const CHUNKS = /\d+|\D+/g;

function isDigits(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first: due date, then issue date, then invoice number (natural order). Returns a new array. */
export function sortOldestFirst<T extends Pick<OpenInvoice, 'invoiceNumber' | 'issueDate' | 'dueDate'>>(
  invoices: readonly T[],
): T[] {
  // ISO dates order as strings, so no parsing inside the comparator.
  return [...invoices].sort(
    (x, y) =>
      compareStrings(x.dueDate, y.dueDate) ||
      compareStrings(x.issueDate, y.issueDate) ||
      compareNatural(x.invoiceNumber, y.invoiceNumber),
  );
}

/** Credits are used oldest first: issue date, then credit number (natural order). Returns a new array. */
export function sortCreditsOldestFirst<T extends Pick<AvailableCredit, 'creditNumber' | 'issueDate'>>(
  credits: readonly T[],
): T[] {
  return [...credits].sort(
    (x, y) => compareStrings(x.issueDate, y.issueDate) || compareNatural(x.creditNumber, y.creditNumber),
  );
}
