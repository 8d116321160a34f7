import { parseDollarsToCents } from '../../../../shared/money';

/** What the clerk typed in dollars as cents, or null when it cannot be read. */
export function parseTypedCents(text: string): number | null {
  try {
    return parseDollarsToCents(text);
  } catch {
    return null;
  }
}
