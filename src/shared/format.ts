import type { AppSettings } from './settings';
import { centsToDecimalString, formatCents } from './money';

/**
 * Display formatting shared by the screens and the documents, so a confirmation on paper and on
 * screen read the same. Amounts arrive as integer cents and become text here, never numbers again.
 */
export type DateFormat = AppSettings['dateFormat'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const moneyFormatters = new Map<string, Intl.NumberFormat | null>();

function moneyFormatter(locale: string): Intl.NumberFormat | null {
  if (!moneyFormatters.has(locale)) {
    let nf: Intl.NumberFormat | null = null;
    try {
      nf = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol' });
    } catch {
      nf = null;
    }
    moneyFormatters.set(locale, nf);
  }
  return moneyFormatters.get(locale) ?? null;
}

/**
 * "$1,234.50" in en-US, "1.234,50 $" in de-DE: US dollars in the chosen number format.
 * en-US (and a locale Intl does not know) uses formatCents, so the common case does not depend
 * on the ICU data of the machine.
 */
export function formatMoney(cents: number, locale: string): string {
  if (locale === 'en-US') return formatCents(cents);
  const nf = moneyFormatter(locale);
  return nf ? nf.format(centsToDecimalString(cents) as `${number}`) : formatCents(cents);
}

/** A calendar date "YYYY-MM-DD" in the chosen date format; empty for no date. */
export function formatIsoDate(iso: string | null | undefined, format: DateFormat): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  switch (format) {
    case 'YYYY-MM-DD':
      return `${y}-${mo}-${d}`;
    case 'MM/DD/YYYY':
      return `${mo}/${d}/${y}`;
    case 'DD/MM/YYYY':
      return `${d}/${mo}/${y}`;
    case 'MMM D, YYYY':
      return `${MONTHS[Number(mo) - 1] ?? mo} ${Number(d)}, ${y}`;
  }
}

/** The calendar date of an instant in an IANA time zone, as YYYY-MM-DD ('' for an invalid instant). */
export function isoDateInZone(instant: string | Date, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date)
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}
