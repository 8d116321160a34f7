import type { AppSettings } from './settings';
import { daysInMonth } from './dates';
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

/** What a clerk types into a date field, read per the workstation's format (ISO is always accepted). */
export function parseDisplayDate(text: string, format: DateFormat): string | null {
  const t = text.trim();
  const valid = (y: number, m: number, d: number): string | null => {
    if (!(y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return null;
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return format === 'DD/MM/YYYY' ? valid(y, b, a) : valid(y, a, b);
  }
  m = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS.findIndex((x) => x.toLowerCase() === m![1]!.toLowerCase());
    if (month >= 0) return valid(Number(m[3]), month + 1, Number(m[2]));
  }
  return null;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An Intl.DateTimeFormat for the locale and options, made once and kept: making one costs far more
 * than using it. Made before it is kept, so an unknown time zone throws here each time and is not kept.
 */
export function keptDateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** The calendar date of an instant in an IANA time zone, as YYYY-MM-DD ('' for an invalid instant). */
export function isoDateInZone(instant: string | Date, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return '';
  const parts = keptDateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date)
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}
