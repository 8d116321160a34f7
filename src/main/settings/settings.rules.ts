/** Office settings as text: email addresses, template placeholders, percent and basis points. Pure. */

import { isEmailAddress } from '../../shared/validation';

/** The one email-address rule of AR Desk (shared/validation), so settings judge addresses as the outbox does. */
export { isEmailAddress };

/** True for "billing@example.com" or "Northwind Billing <billing@example.com>". */
export function isSenderAddress(text: string): boolean {
  if (isEmailAddress(text)) return true;
  const m = /^([^<>\r\n]*)<([^<>]+)>$/.exec(text);
  return m !== null && !/[\r\n]/.test(m[1]!) && isEmailAddress(m[2]!.trim());
}

/** A host name or IP address as a mail server is named: no scheme, no port, no spaces. */
export function hostProblem(host: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return 'enter the server name only, without smtp:// (e.g. smtp.office365.com)';
  if (/^[^:]+:\d+$/.test(host)) return 'enter the port in the Port field, not after the server name';
  if (!/^(\[[0-9a-f:.]+\]|[0-9a-z.-]+|[0-9a-f:]+)$/i.test(host)) return `"${host}" is not a server name (e.g. smtp.office365.com or 192.168.1.20)`;
  return null;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Names of the {placeholders} in a template, each once, in order of appearance (the same pattern the documents fill). */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  return placeholdersIn(template).filter((name) => !known.includes(name));
}

// Up to 3 whole digits, then at most two decimals after a dot or a comma (either is a decimal mark
// here, since a percentage never needs a thousands separator), then an optional "%".
const PERCENT = /^(\d{1,3})?(?:[.,](\d{1,2}))?\s*%?$/;

/** Parses a typed percentage ("8.25", "8,25 %", "7", ".5") into basis points without float math; null when it is not one from 0 to 100. */
export function basisPointsFromPercentText(text: string): number | null {
  const m = PERCENT.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  const bp = Number(m[1] ?? '0') * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** 825 → "8.25", 850 → "8.5", 800 → "8". */
export function percentTextFromBasisPoints(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
