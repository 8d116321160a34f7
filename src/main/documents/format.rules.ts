/** Text of documents and emails: money, dates and times per the office's settings; templates. Pure. */
import type { AppSettings } from '../../shared/settings';
import { formatIsoDate, isoDateInZone, keptDateTimeFormat } from '../../shared/format';

export type DocumentFormatSettings = Pick<AppSettings, 'numberFormat' | 'dateFormat' | 'timeZone'>;

export { formatMoney } from '../../shared/format';

/** A calendar date "YYYY-MM-DD" in the office's date format. */
export function formatDate(iso: string, format: AppSettings['dateFormat']): string {
  return formatIsoDate(iso, format);
}

interface ZonedParts {
  hour: number;
  minute: number;
  zoneName: string;
}

function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts = keptDateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  return {
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    zoneName: parts.timeZoneName ?? timeZone,
  };
}

/**
 * "11/20/2026" and "10:00 AM EST" for an instant, in the office's time zone. The clock text is built
 * here rather than by Intl, whose spacing before AM/PM differs between ICU versions.
 */
export function formatInstant(instantIso: string, settings: DocumentFormatSettings): { date: string; time: string } {
  const p = zonedParts(new Date(instantIso), settings.timeZone);
  const usesTwelveHour = /^en-(US|CA|AU|NZ|PH|IN)$/.test(settings.numberFormat) || settings.numberFormat === 'en';
  const mm = String(p.minute).padStart(2, '0');
  const time = usesTwelveHour
    ? `${p.hour % 12 === 0 ? 12 : p.hour % 12}:${mm} ${p.hour < 12 ? 'AM' : 'PM'} ${p.zoneName}`
    : `${String(p.hour).padStart(2, '0')}:${mm} ${p.zoneName}`;
  return { date: formatDate(isoDateInZone(instantIso, settings.timeZone), settings.dateFormat), time };
}

/** Fills {name} placeholders; an unknown placeholder is left as written so a typo is visible, not blank. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : whole,
  );
}

export interface PostalAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

/** Lines of a postal address, US style ("Portland, OR 97201"); empty parts are left out. */
export function addressLines(a: PostalAddress): string[] {
  const lines: string[] = [];
  for (const l of [a.line1, a.line2]) if (l && l.trim()) lines.push(l.trim());
  const cityRegion = [a.city?.trim(), a.region?.trim()].filter(Boolean).join(', ');
  const last = [cityRegion, a.postalCode?.trim()].filter(Boolean).join(' ');
  if (last) lines.push(last);
  if (a.country && a.country.trim() && !/^(US|USA|United States)$/i.test(a.country.trim())) lines.push(a.country.trim());
  return lines;
}

/** A mailing address when one is on file, else the service address. */
export function mailingOrBillingAddress(c: {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  mailing_line1: string | null;
  mailing_line2: string | null;
  mailing_city: string | null;
  mailing_region: string | null;
  mailing_postal_code: string | null;
  mailing_country: string | null;
}): string[] {
  if (c.mailing_line1 && c.mailing_line1.trim()) {
    return addressLines({
      line1: c.mailing_line1,
      line2: c.mailing_line2,
      city: c.mailing_city,
      region: c.mailing_region,
      postalCode: c.mailing_postal_code,
      country: c.mailing_country,
    });
  }
  return addressLines({
    line1: c.address_line1,
    line2: c.address_line2,
    city: c.city,
    region: c.region,
    postalCode: c.postal_code,
    country: c.country,
  });
}

const BRAND_NAMES: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

/** A card brand as a customer reads it: gateways send "visa", "amex". */
export function brandName(brand: string | null | undefined): string {
  const b = (brand ?? '').trim();
  if (!b) return '';
  return BRAND_NAMES[b.toLowerCase().replace(/[\s-]+/g, '_')] ?? (b === b.toLowerCase() ? b.charAt(0).toUpperCase() + b.slice(1) : b);
}

/** What a payment was made with, as printed: "Visa ending 4242", "Bank account ending 6789". */
export function describeMethod(p: {
  kind: string;
  method_brand: string | null;
  method_last4: string | null;
  received_via?: string | null;
  check_number?: string | null;
  check_bank?: string | null;
  reference?: string | null;
}): string {
  const last4 = p.method_last4 ? ` ending ${p.method_last4}` : '';
  // Money received outside the gateway (2026_12_03_0002): the check's number and bank, the wire's reference.
  if (p.received_via === 'check') return `Check ${p.check_number ?? ''}${p.check_bank ? `, ${p.check_bank}` : ''}`.trim();
  if (p.received_via === 'wire') return `Wire${p.reference ? `, reference ${p.reference}` : ''}`;
  if (p.received_via === 'transfer') return `Bank transfer${p.reference ? `, reference ${p.reference}` : ''}`;
  switch (p.kind) {
    case 'card':
      return `${brandName(p.method_brand) || 'Card'}${last4}`;
    case 'bank':
      return `${brandName(p.method_brand) || 'Bank account'}${p.method_brand && !/account/i.test(p.method_brand) ? ' account' : ''}${last4}`;
    case 'credit_only':
      return 'Credits on account';
    case 'check':
      return `Check${p.method_last4 ? ` ${p.method_last4}` : ''}`;
    case 'cash':
      return 'Cash';
    default:
      return 'Imported payment';
  }
}
