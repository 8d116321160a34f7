import type { AppSettings } from '../../../shared/settings';

/**
 * Display formatting only: amounts arrive as integer cents from the main process and are
 * turned into text here, never back into numbers for arithmetic.
 */
import { formatIsoDate, isoDateInZone, type DateFormat } from '../../../shared/format';

export { formatMoney, formatIsoDate, isoDateInZone, parseDisplayDate } from '../../../shared/format';
export type { DateFormat } from '../../../shared/format';

/** An instant (ISO timestamp) as date and time in the workstation's zone and formats. */
export function formatTimestamp(instant: string, settings: Pick<AppSettings, 'timeZone' | 'dateFormat' | 'numberFormat'>): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const day = formatIsoDate(isoDateInZone(date, settings.timeZone), settings.dateFormat);
  let time: string;
  try {
    time = new Intl.DateTimeFormat(settings.numberFormat, { timeZone: settings.timeZone, hour: 'numeric', minute: '2-digit' }).format(date);
  } catch {
    time = date.toISOString().slice(11, 16);
  }
  return `${day} ${time}`;
}

/** "Net 30", "Due on receipt". */
export function formatTerms(days: number): string {
  return days === 0 ? 'Due on receipt' : `Net ${days}`;
}

/** A phone number as stored; US ten-digit numbers get the usual (503) 555-0142 shape. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 10) return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (digits.length === 11 && digits.startsWith('1')) return `(${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
  return phone;
}
