/** Normalization shared by what is stored for lookup and what a clerk types. */
import anyAscii from 'any-ascii';

/**
 * Lower case ASCII, anything but letters and digits turned into spaces. Letters are transliterated
 * (any-ascii), not just stripped of accents, so "Łódź" reads "lodz", "Ørsted" "orsted", "Straße"
 * "strasse" and "Æsir" "aesir", whichever way the clerk types them.
 */
export function normalizeForSearch(text: string): string {
  // ASCII text is its own NFC form and its own transliteration: skipping both is the same answer,
  // several times faster (the aging screen folds every customer's number and name at once).
  const ascii = /^[\x00-\x7f]*$/.test(text) ? text : anyAscii(text.normalize('NFC'));
  return ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The distinct words of a name, normalized: what the customer_name_words table holds. */
export function nameWords(text: string): string[] {
  const words = normalizeForSearch(text).split(' ').filter((w) => w.length > 0);
  return [...new Set(words)];
}

/**
 * Mailboxes of a role, not of a person or a company: thousands of customers share each, so as
 * lookup words they would find nobody in particular and crowd out the names they prefix
 * ("bil" would list every billing@ address before "Billingsley Law").
 */
export const ROLE_MAILBOXES: ReadonlySet<string> = new Set([
  'ap', 'ar', 'accounts', 'accountspayable', 'payables', 'billing', 'invoices', 'invoice', 'finance',
  'office', 'info', 'admin', 'hello', 'contact', 'mail', 'team', 'sales', 'support', 'noreply',
]);

/**
 * The words of an email address a caller may say: its local part (less role mailboxes) and its
 * domain, less the final label ("com", "example"), which nearly every address shares.
 * "maria.okafor@harborlanedental.example" -> maria, okafor, harborlanedental; "ap@..." -> the domain's.
 */
export function emailWords(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at < 0) return nameWords(email);
  const labels = email.slice(at + 1).split('.');
  const domain = labels.length > 1 ? labels.slice(0, -1) : labels;
  const local = nameWords(email.slice(0, at)).filter((w) => !ROLE_MAILBOXES.has(w));
  return [...new Set([...local, ...nameWords(domain.join(' '))])];
}

/** Every word lookup finds a customer by: the legal name's, the billing contact's and the email's. */
export function customerSearchWords(c: { legalName: string; billingContact?: string | null; email?: string | null }): string[] {
  return [...new Set([...nameWords(c.legalName), ...nameWords(c.billingContact ?? ''), ...emailWords(c.email ?? '')])];
}

/** True when each of `prefixes` starts one of `words` (any order, a word may serve several). */
export function wordsStartWith(words: readonly string[], prefixes: readonly string[]): boolean {
  return prefixes.every((p) => words.some((w) => w.startsWith(p)));
}

/** Just the digits of a phone number, so "(503) 555-0142", "503.555.0142" and "5035550142" match. */
export function phoneDigits(text: string): string {
  return text.replace(/\D+/g, '');
}

/** A phone number typed with its extension: "503 555 0142 ext 2", "503-555-0142 x12", "... #7". */
const EXTENSION = /(?<=[\d)])\s*[,;]?\s*(?:ext\.?|extension|x|#)\s*\d{1,6}$/i;

/** The number without a trailing extension (stored numbers carry none). */
export function withoutExtension(text: string): string {
  return text.replace(EXTENSION, '');
}
