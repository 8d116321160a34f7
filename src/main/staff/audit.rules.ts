/** Pure helpers of the audit trail: day bounds in the office's zone, the page cursor, targets. */

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
}

/** The UTC instant a calendar day starts in a time zone (DST-safe: the offset is taken at that moment). */
export function startOfDayIn(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  let t = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  t = midnightUtc - zoneOffsetMs(t, timeZone);
  return new Date(t).toISOString();
}

export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export interface AuditCursor {
  at: string;
  id: number;
}

export function encodeCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');
}

/** The cursor a page handed out, or null for anything else (never trusted further than its two values). */
export function decodeCursor(text: string): AuditCursor | null {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [at, id] = v as [unknown, unknown];
    if (typeof at !== 'string' || at.length > 40 || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return null;
    return { at, id };
  } catch {
    return null;
  }
}

export interface AuditTarget {
  type: string;
  id: string;
}

const text = (v: unknown, max = 40): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);
const whole = (v: unknown): string | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? String(v) : null);

/**
 * What a call is about, read from its input by the keys the contract uses, for the audit row of a
 * refused or failed call. The input may not have been validated: only short strings and whole
 * numbers are taken, never anything else (a card number is neither of these keys).
 */
export function targetOfInput(channel: string, input: unknown): AuditTarget {
  const domain = channel.split('.')[0] ?? channel;
  const o = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  const doc = own('document');
  const d = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : null;
  const candidates: [string, string | null][] = [
    ['payment', whole(own('paymentId')) ?? (d ? whole(d.paymentId) : null)],
    ['payment', text(own('confirmationNumber'), 20)],
    ['invoice', text(own('invoiceNumber'), 32) ?? (d ? text(d.invoiceNumber, 32) : null)],
    ['credit', text(own('creditNumber'), 32)],
    ['print_job', whole(own('jobId'))],
    ['outbox', whole(own('outboxId'))],
    ['payment_method', domain === 'paymentMethods' ? whole(own('id')) : null],
    ['staff', domain === 'staff' || domain === 'auth' ? text(own('username'), 32) : null],
    ['customer', text(own('customerNumber'), 12) ?? (d ? text(d.customerNumber, 12) : null)],
  ];
  for (const [type, id] of candidates) if (id !== null) return { type, id };
  if (domain === 'settings' || channel === 'staff.setPolicy') return { type: 'settings', id: channel === 'settings.update' || channel === 'settings.setOfficeLedger' ? 'workstation' : 'office' };
  return { type: domain, id: '' };
}

/** The customer number of an input, when it names one (filters the log by customer). */
export function customerOfInput(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const n = Object.prototype.hasOwnProperty.call(input, 'customerNumber') ? (input as { customerNumber?: unknown }).customerNumber : undefined;
  return typeof n === 'string' && /^[A-Za-z]{2}\d{1,10}$/.test(n) ? n.toUpperCase() : null;
}

/** An error message fit for the log: long digit runs (a card or account number) are masked. */
export function scrubMessage(message: string): string {
  return message.replace(/\d[\d -]{6,}\d/g, '[digits]').slice(0, 300);
}
