/**
 * The card expiry as the clerk types it and as it is read. Pure and free of the DOM, so it is also
 * unit-tested under Node (tsconfig.node.json lists this file).
 */

/** "04/28", "4/2028", "0428" -> { month: 4, year: 2028 }; null when it cannot be read. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const t = text.replace(/\s/g, '');
  const m = /^(\d{1,2})\/?(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const month = Number(m[1]);
  const yearText = m[2]!;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return { month, year };
}

/** A year typed in full ("2029") is kept as on the card ("29"). */
function shortYear(digits: string): string {
  return digits.length === 4 ? digits.slice(2) : digits.slice(0, 4);
}

/**
 * The expiry as the clerk types or pastes it, shaped to MM/YY: the slash is added after the month,
 * a one-digit month before a slash ("1/") or one that cannot start a two-digit month ("4") gets its
 * zero, spaces go, and a four-digit year is cut to two. So `1/29`, `01/29`, `0129` and `1 / 2029`,
 * typed or pasted, all end as "01/29". What the clerk deletes is left as it is.
 */
export function formatExpiryAsTyped(text: string, deleting = false): string {
  if (deleting) return text;
  const t = text.replace(/[^\d/]/g, '');
  const slash = t.indexOf('/');
  if (slash >= 0) {
    let month = t.slice(0, slash).slice(0, 2);
    const year = t.slice(slash + 1).replace(/\D/g, '');
    if (month === '') return '';
    if (month.length === 1 && month !== '0') month = `0${month}`;
    return `${month}/${shortYear(year)}`;
  }
  const digits = t.slice(0, 6);
  if (digits.length === 0) return '';
  if (digits.length === 1) return digits >= '2' ? `0${digits}/` : digits;
  if (digits.length === 2) return `${digits}/`;
  return `${digits.slice(0, 2)}/${shortYear(digits.slice(2))}`;
}
