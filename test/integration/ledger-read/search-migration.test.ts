import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOWN_MIGRATIONS } from '../../../src/main/db/connection';
import { migrations } from '../../../src/main/db/migrations';
import { customerNameWords, draftFromRow } from '../../../src/main/ledger/customers.rules';
import { normalizeForSearch } from '../../../src/main/ledger/search.rules';
import type { CustomerRow } from '../../../src/main/db/schema';
import { openTestRuntime, tempDir } from '../../helpers/runtime';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The lookup words as AR Desk wrote them before transliteration: accents stripped, legal name only. */
function oldNormalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const CUSTOMERS = [
  { number: 'LZ0001', name: 'Łódź Import Partners', contact: 'Paweł Wróbel', email: 'biuro@lodzimport.example' },
  { number: 'OR0002', name: 'Ørsted Wind Services', contact: null, email: null },
  { number: 'ST0003', name: 'Bäckerei an der Straße', contact: null, email: 'info@baeckerei.example' },
  { number: 'AE0004', name: 'Æsir Games', contact: 'Søren Ågård', email: null },
  { number: 'CL1042', name: 'Harbor Lane Dental LLC', contact: 'Maria Okafor', email: 'ap@harborlanedental.example' },
];

/** A ledger as the previous release left it: every migration before the re-index, rows written the old way. */
async function ledgerBeforeReindex(file: string): Promise<void> {
  const sqlite = new Database(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo('2026_11_22_0005_recent_payments');
  expect(error).toBeUndefined();
  const at = '2026-11-01T00:00:00.000Z';
  const addCustomer = sqlite.prepare(
    `INSERT INTO customers (customer_number, legal_name, name_search, billing_contact, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const addWord = sqlite.prepare(`INSERT OR IGNORE INTO customer_name_words (word, customer_id) VALUES (?, ?)`);
  for (const c of CUSTOMERS) {
    const id = Number(addCustomer.run(c.number, c.name, oldNormalize(c.name), c.contact, c.email, at, at).lastInsertRowid);
    for (const word of oldNormalize(c.name).split(' ')) addWord.run(word, id);
  }
  await db.destroy();
}

describe('migration 2026_12_01_0003_search_ascii', () => {
  it('re-indexes an existing ledger: transliterated names, contacts and email words, as the live rules write them', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await ledgerBeforeReindex(path.join(dir, 'ledger.db'));

    const rt = await openTestRuntime({ dir });
    try {
      expect(rt.ledger.schema.migration).toBe(KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1]);
      const search = async (query: string) => (await rt.core.lookup.search({ query })).results.map((r) => r.customerNumber);
      expect(await search('lodz')).toEqual(['LZ0001']);
      expect(await search('orsted')).toEqual(['OR0002']);
      expect(await search('strasse')).toEqual(['ST0003']);
      expect(await search('aesir')).toEqual(['AE0004']);
      expect(await search('okafor')).toEqual(['CL1042']);
      expect(await search('harborlanedental')).toEqual(['CL1042']);
      expect(await search('soren')).toEqual(['AE0004']);

      // The migration's frozen copy of the rules and the live rules agree, word for word.
      const rows = rt.ledger.sqlite.prepare('SELECT * FROM customers ORDER BY id').all() as CustomerRow[];
      const wordsOf = rt.ledger.sqlite.prepare('SELECT word FROM customer_name_words WHERE customer_id = ? ORDER BY word').pluck();
      for (const row of rows) {
        expect(row.name_search, row.customer_number).toBe(normalizeForSearch(row.legal_name));
        expect(wordsOf.all(row.id), row.customer_number).toEqual([...customerNameWords(draftFromRow(row))].sort());
      }
      expect(wordsOf.all(rows.find((r) => r.customer_number === 'LZ0001')!.id)).toEqual(['biuro', 'import', 'lodz', 'lodzimport', 'partners', 'pawel', 'wrobel']);
    } finally {
      await rt.dispose();
    }
  });
});
