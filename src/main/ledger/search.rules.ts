/** Normalization shared by what is stored for lookup and what a clerk types. */

/** Lower case, accents removed, anything but letters and digits turned into spaces. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The distinct words of a name, normalized: what the customer_name_words table holds. */
export function nameWords(text: string): string[] {
  const words = normalizeForSearch(text).split(' ').filter((w) => w.length > 0);
  return [...new Set(words)];
}

/** Just the digits of a phone number, so "(503) 555-0142", "503.555.0142" and "5035550142" match. */
export function phoneDigits(text: string): string {
  return text.replace(/\D+/g, '');
}
