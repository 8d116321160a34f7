import anyAscii from 'any-ascii';
import { sql, type Kysely } from 'kysely';

/**
 * Lookup by transliterated words, and by the billing contact and the email too. Re-derives every
 * customer's name_search and customer_name_words rows:
 * - letters are transliterated to ASCII (any-ascii), not only stripped of accents, so "lodz" finds
 *   "Łódź", "orsted" "Ørsted", "strasse" "Straße" and "aesir" "Æsir";
 * - the words of the billing contact's name and of the email address (its local part, less role
 *   mailboxes such as ap@ or billing@, and its domain less the final label) are indexed with the
 *   legal name's.
 * Data only, no schema change. Frozen: the word rules are written out here as they stood at this
 * change (search.rules.ts keeps the live ones; a test checks that both agree). The PostgreSQL
 * migration of the same name imports them from here.
 */

export function normalize(text: string): string {
  return anyAscii(text.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function words(text: string): string[] {
  return normalize(text)
    .split(' ')
    .filter((w) => w.length > 0);
}

const ROLE_MAILBOXES = new Set([
  'ap', 'ar', 'accounts', 'accountspayable', 'payables', 'billing', 'invoices', 'invoice', 'finance',
  'office', 'info', 'admin', 'hello', 'contact', 'mail', 'team', 'sales', 'support', 'noreply',
]);

export function emailWords(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at < 0) return words(email);
  const labels = email.slice(at + 1).split('.');
  const local = words(email.slice(0, at)).filter((w) => !ROLE_MAILBOXES.has(w));
  return [...local, ...words((labels.length > 1 ? labels.slice(0, -1) : labels).join(' '))];
}

interface CustomerText {
  id: number;
  legal_name: string;
  name_search: string;
  billing_contact: string | null;
  email: string | null;
}

const WORD_ROWS_PER_INSERT = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  const customers = (
    await sql<CustomerText>`SELECT id, legal_name, name_search, billing_contact, email FROM customers`.execute(db)
  ).rows;
  await sql`DELETE FROM customer_name_words`.execute(db);
  let rows: [string, number][] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const values = sql.join(rows.map(([word, id]) => sql`(${word}, ${id})`));
    await sql`INSERT INTO customer_name_words (word, customer_id) VALUES ${values}`.execute(db);
    rows = [];
  };
  for (const c of customers) {
    const nameSearch = normalize(c.legal_name);
    if (nameSearch !== c.name_search) {
      await sql`UPDATE customers SET name_search = ${nameSearch} WHERE id = ${c.id}`.execute(db);
    }
    const all = new Set([...words(c.legal_name), ...words(c.billing_contact ?? ''), ...emailWords(c.email ?? '')]);
    for (const word of all) rows.push([word, c.id]);
    if (rows.length >= WORD_ROWS_PER_INSERT) await flush();
  }
  await flush();
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
