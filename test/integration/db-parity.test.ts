import { Kysely, SqliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/main/db/connection';
import { postgresMigrations, sqliteMigrations } from '../../src/main/db/migrations';
import type { DB } from '../../src/main/db/schema';
import type { DocsDB } from '../../src/main/documents/documents.tables';
import { createScratchDatabase, pgTestUrl, PG_SKIP_REASON, type ScratchDatabase } from '../helpers/postgres';
import { schemaDifferences, tablesRejecting, type SchemaDifference } from '../helpers/schema-compare';
import { postgresSchema, sqliteSchema, type SchemaShape } from '../helpers/schema-introspect';

/**
 * The SQLite and PostgreSQL ledgers have the same schema, fact by fact, save the differences
 * listed here with their reasons. A listed difference that no longer occurs fails too, so the list
 * stays true.
 */
const TRUNCATE_ONLY_ON_POSTGRES =
  'SQLite has no TRUNCATE; on PostgreSQL, where TRUNCATE skips row triggers, a table that refuses DELETE refuses TRUNCATE too';
const ACCEPTED_DIFFERENCES: Record<string, string> = {
  'account_notes.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'applications.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'autopay_attempt_invoices.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'autopay_attempts.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'autopay_settings.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'audit_log.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'credit_memos.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'deposit_items.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'deposits.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'dispute_invoices.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'disputes.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'dunning_late_fees.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'dunning_notice_invoices.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'dunning_notices.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'invoice_deliveries.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'payment_authorizations.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'payment_method_expiry_notices.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'day_closes.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'payments.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'subscription_lines.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'subscription_periods.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'subscription_rebills.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
  'write_offs.trigger.TRUNCATE': TRUNCATE_ONLY_ON_POSTGRES,
};

async function migrate(db: Kysely<unknown>, migrations: Record<string, Migration>, to?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = to === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(to);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`);
  }
}

/** A new in-memory SQLite ledger, opened as the app opens its file, not yet migrated. */
function sqliteDatabase(): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new SqliteDialect({ database: openSqlite(':memory:') }) });
}

function describeDifference(d: SchemaDifference): string {
  return `${d.path}: sqlite ${d.left ?? '(none)'} | postgres ${d.right ?? '(none)'}`;
}

/** The differences not listed in ACCEPTED_DIFFERENCES, described. */
function unexplained(differences: SchemaDifference[]): string[] {
  return differences.filter((d) => !(d.path in ACCEPTED_DIFFERENCES)).map(describeDifference);
}

const AT = '2026-11-01T09:00:00.000Z';

/** The same typed Kysely queries run on both engines, as the app's do. */
function asLedger(db: Kysely<unknown>): Kysely<DocsDB> {
  return db as unknown as Kysely<DocsDB>;
}

/** One customer with an invoice paid by a captured payment, a credit memo and an audit row. */
async function seedPostedMoney(db: Kysely<DB>): Promise<void> {
  const created = { created_at: AT, created_by: 'mokafor' };
  const customer = await db
    .insertInto('customers')
    .values({ customer_number: 'CL1042', legal_name: 'Harbor Lane Dental LLC', name_search: 'harbor lane dental llc', created_at: AT, updated_at: AT })
    .returning('id')
    .executeTakeFirstOrThrow();
  const invoice = await db
    .insertInto('invoices')
    .values({ invoice_number: 'INV-100234', customer_id: customer.id, issue_date: '2026-10-01', due_date: '2026-10-31', subtotal_cents: 12_500, tax_cents: 0, total_cents: 12_500, ...created })
    .returning('id')
    .executeTakeFirstOrThrow();
  const payment = await db
    .insertInto('payments')
    .values({ customer_id: customer.id, kind: 'card', status: 'captured', amount_cents: 12_500, idempotency_key: 'key-1', received_on: '2026-11-01', ...created })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('applications')
    .values({ invoice_id: invoice.id, customer_id: customer.id, source: 'payment', payment_id: payment.id, amount_cents: 12_500, applied_on: '2026-11-01', ...created })
    .execute();
  await db.insertInto('credit_memos').values({ credit_number: 'CM-1', customer_id: customer.id, issue_date: '2026-11-01', amount_cents: 500, ...created }).execute();
  await db.insertInto('audit_log').values({ at: AT, actor: 'mokafor', action: 'payments.take', entity: 'payment', entity_id: String(payment.id), summary: '{}' }).execute();
}

const POSTED_MONEY = 'applications are posted money: reverse them, never';
const AMOUNT_FIXED = "a payment's amount, customer, kind and key never change";
const MEMO_FIXED = "a credit memo's amount never changes: issue another";

/** What the append-only triggers refuse, with the message they refuse it with; TRUNCATE is PostgreSQL's only. */
const REFUSED: { statement: string; message: string; postgresOnly?: true }[] = [
  { statement: `UPDATE applications SET reason = 'typo'`, message: `${POSTED_MONEY} edit` },
  { statement: `DELETE FROM applications`, message: `${POSTED_MONEY} delete` },
  { statement: `TRUNCATE applications`, message: `${POSTED_MONEY} delete`, postgresOnly: true },
  { statement: `UPDATE audit_log SET summary = 'changed'`, message: 'the audit log is append-only' },
  { statement: `DELETE FROM audit_log`, message: 'the audit log is append-only' },
  { statement: `TRUNCATE audit_log`, message: 'the audit log is append-only', postgresOnly: true },
  { statement: `DELETE FROM payments`, message: 'payments are never deleted' },
  { statement: `TRUNCATE payments CASCADE`, message: 'payments are never deleted', postgresOnly: true },
  { statement: `UPDATE payments SET amount_cents = 1`, message: AMOUNT_FIXED },
  // As SQLite's UPDATE OF: naming the column is enough, even to set the same value.
  { statement: `UPDATE payments SET amount_cents = amount_cents`, message: AMOUNT_FIXED },
  { statement: `UPDATE payments SET idempotency_key = 'key-2'`, message: AMOUNT_FIXED },
  { statement: `UPDATE credit_memos SET amount_cents = 1`, message: MEMO_FIXED },
  { statement: `DELETE FROM credit_memos`, message: 'credit memos are never deleted' },
  { statement: `TRUNCATE credit_memos CASCADE`, message: 'credit memos are never deleted', postgresOnly: true },
];

/** Updates of what may change on those tables. */
const ALLOWED = [`UPDATE payments SET status = 'voided', settled_at = '${AT}'`, `UPDATE credit_memos SET reason = 'goodwill'`];

async function expectAppendOnly(db: Kysely<unknown>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await seedPostedMoney(asLedger(db));
  for (const { statement, message, postgresOnly } of REFUSED) {
    if (postgresOnly && engine !== 'postgres') continue;
    await expect(sql.raw(statement).execute(db), statement).rejects.toThrow(message);
  }
  for (const statement of ALLOWED) await sql.raw(statement).execute(db);
  for (const table of ['applications', 'audit_log', 'payments', 'credit_memos', 'customers', 'invoices']) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
    expect(Number(rows[0]!.n), `${table} keeps its row`).toBe(1);
  }
  const payment = await asLedger(db).selectFrom('payments').select(['status', 'amount_cents']).executeTakeFirstOrThrow();
  expect(payment).toEqual({ status: 'voided', amount_cents: 12_500 });
}

/** The migration before the first one that changes data in place (print jobs, the search words, staff). */
const BEFORE_DATA_MIGRATIONS = '2026_11_22_0005_recent_payments';
const NAMES = ['Łódź Import Partners', 'Ørsted Wind Services', 'Bäckerei an der Straße', 'Æsir Games', 'Harbor Lane Dental LLC'];
/** More customers than the PostgreSQL re-index reads in one page, so its paging and batches are run through. */
const CUSTOMER_COUNT = 1_234;

/** Rows as the previous release wrote them: names lower-cased only, the legal name's words only. */
async function seedBeforeDataMigrations(db: Kysely<DocsDB>): Promise<void> {
  const customers = Array.from({ length: CUSTOMER_COUNT }, (_, i) => {
    const legal_name = `${NAMES[i % NAMES.length]} ${i}`;
    return {
      customer_number: `CU${String(i).padStart(5, '0')}`,
      legal_name,
      name_search: legal_name.toLowerCase(),
      billing_contact: i % 3 === 0 ? 'Søren Ågård' : null,
      email: i % 4 === 0 ? `ap@harbor${i}.example` : i % 4 === 1 ? `paweł.wróbel@łódź.example` : null,
      created_at: AT,
      updated_at: AT,
    };
  });
  for (let i = 0; i < customers.length; i += 100) await db.insertInto('customers').values(customers.slice(i, i + 100)).execute();
  // The words table had no name_search or customer_number yet (migration 2026_12_09_0001).
  await sql`INSERT INTO customer_name_words (word, customer_id) VALUES ('lodz', 1), ('stale', 2)`.execute(db);
  await db.insertInto('staff_users').values({ username: 'mokafor', display_name: 'Maria Okafor', role: 'supervisor', created_at: AT }).execute();
  await db
    .insertInto('print_jobs')
    .values({ document_kind: 'confirmation', document_ref: '{"paymentId":7}', title: 'Payment 7', status: 'printed', printed_at: AT, created_at: AT, created_by: 'mokafor', updated_at: AT })
    .execute();
  await db.insertInto('audit_log').values({ at: AT, actor: 'mokafor', action: 'customers.create', entity: 'customer', entity_id: 'CU00000', summary: '{}' }).execute();
}

const COMPARED_TABLES = ['customers', 'customer_name_words', 'staff_users', 'staff_policy', 'print_jobs', 'audit_log'] as const;

/** Every row of the tables the data migrations touch, in an order that does not hang on a collation. */
async function rowsOf(db: Kysely<unknown>): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of COMPARED_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
    all[table] = rows.map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r) as unknown);
  }
  return all;
}

describe('the two migration sets', () => {
  it('have the same migrations under the same names, in the same order, which is also the order of their names', () => {
    const names = Object.keys(sqliteMigrations);
    expect(names.length).toBeGreaterThan(0);
    expect(Object.keys(postgresMigrations)).toEqual(names);
    // Kysely's migrator runs them by name, so listing order and name order must agree.
    expect([...names].sort()).toEqual(names);
  });

  it('refuse the same changes to posted money on SQLite as the PostgreSQL test below', async () => {
    const db = sqliteDatabase();
    try {
      await migrate(db, sqliteMigrations);
      await expectAppendOnly(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  });
});

describe.skipIf(!pgTestUrl)(pgTestUrl ? 'the PostgreSQL ledger' : `the PostgreSQL ledger (${PG_SKIP_REASON})`, () => {
  const scratch: ScratchDatabase[] = [];
  let sqliteShape: SchemaShape;

  async function migratedPostgres(label: string, to?: string): Promise<ScratchDatabase> {
    const s = await createScratchDatabase(label);
    scratch.push(s);
    await migrate(s.db, postgresMigrations, to);
    return s;
  }

  beforeAll(async () => {
    const db = sqliteDatabase();
    try {
      await migrate(db, sqliteMigrations);
      sqliteShape = await sqliteSchema(db);
    } finally {
      await db.destroy();
    }
  });

  afterAll(async () => {
    for (const s of scratch.splice(0)) await s.drop();
  });

  it('is migrated to the same schema as the SQLite ledger: tables, columns, keys, checks, indexes and triggers', async () => {
    const pg = await migratedPostgres('parity');
    const pgShape = await postgresSchema(pg.db);
    // Not two empty readings agreeing: the ledger's tables and their guards were read on both sides.
    expect(Object.keys(sqliteShape.tables)).toEqual(expect.arrayContaining(['customers', 'invoices', 'applications', 'payments', 'audit_log', 'print_jobs', 'staff_policy']));
    expect(tablesRejecting(sqliteShape, 'DELETE')).toEqual(['account_notes', 'applications', 'audit_log', 'autopay_attempt_invoices', 'autopay_attempts', 'autopay_settings', 'credit_memos', 'day_closes', 'deposit_items', 'deposits', 'dispute_invoices', 'disputes', 'dunning_late_fees', 'dunning_notice_invoices', 'dunning_notices', 'invoice_deliveries', 'payment_authorizations', 'payment_method_expiry_notices', 'payments', 'subscription_lines', 'subscription_periods', 'subscription_rebills', 'write_offs']);

    const differences = schemaDifferences(sqliteShape, pgShape);
    expect(unexplained(differences), 'differences between the engines with no listed reason').toEqual([]);
    const stale = Object.keys(ACCEPTED_DIFFERENCES).filter((path) => !differences.some((d) => d.path === path));
    expect(stale, 'listed reasons for differences that no longer occur').toEqual([]);
    // Every append-only table refuses TRUNCATE on PostgreSQL.
    expect(tablesRejecting(pgShape, 'TRUNCATE')).toEqual(tablesRejecting(pgShape, 'DELETE'));
  });

  it('reports a schema that differs: a dropped column, trigger, index, check, foreign key and unique constraint, and a changed type', async () => {
    const pg = await migratedPostgres('teeth');
    for (const statement of [
      `ALTER TABLE customers DROP COLUMN notes`,
      `DROP TRIGGER payments_no_delete ON payments`,
      `DROP INDEX customers_email`,
      `ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_quantity_check`,
      `ALTER TABLE applications DROP CONSTRAINT applications_reverses_id_fkey`,
      `ALTER TABLE payments DROP CONSTRAINT payments_confirmation_number_key`,
      `ALTER TABLE outbox ALTER COLUMN attachment_pdf TYPE text`,
    ]) {
      await sql.raw(statement).execute(pg.db);
    }
    const paths = unexplained(schemaDifferences(sqliteShape, await postgresSchema(pg.db))).map((d) => d.split(':')[0]);
    expect(paths).toEqual([
      'applications.foreignKey(reverses_id)',
      'customers.column.notes',
      'customers.columnOrder',
      'customers.index.customers_email',
      'invoice_lines.checkCount',
      'invoice_lines.checks',
      'outbox.column.attachment_pdf',
      'payments.trigger.DELETE',
      'payments.unique(confirmation_number)',
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of posted money with the messages of the SQLite triggers', async () => {
    const pg = await migratedPostgres('append_only');
    await expectAppendOnly(pg.db, 'postgres');
  });

  it('leaves the same rows as SQLite after the data migrations: the search words, the print jobs, the staff columns', async () => {
    const lite = sqliteDatabase();
    try {
      await migrate(lite, sqliteMigrations, BEFORE_DATA_MIGRATIONS);
      await seedBeforeDataMigrations(asLedger(lite));
      await migrate(lite, sqliteMigrations);
      const pg = await migratedPostgres('data', BEFORE_DATA_MIGRATIONS);
      await seedBeforeDataMigrations(asLedger(pg.db));
      await migrate(pg.db, postgresMigrations);

      const expected = await rowsOf(lite);
      expect(await rowsOf(pg.db)).toEqual(expected);
      // The re-index did run: transliterated names, contact and email words, stale words gone.
      const first = await asLedger(pg.db).selectFrom('customers').select('name_search').where('customer_number', '=', 'CU00000').executeTakeFirstOrThrow();
      expect(first.name_search).toBe('lodz import partners 0');
      const words = (await asLedger(pg.db).selectFrom('customer_name_words').select('word').where('customer_id', '=', 1).execute()).map((r) => r.word);
      expect(words.sort()).toEqual(['0', 'agard', 'harbor0', 'import', 'lodz', 'partners', 'soren']);
      expect(expected.customer_name_words!.length).toBeGreaterThan(CUSTOMER_COUNT * 3);
      expect(expected.customer_name_words).not.toContainEqual(expect.objectContaining({ word: 'stale', customer_id: 2 }));
      // Every word carries its customer's order in the lookup box.
      expect(expected.customer_name_words).toContainEqual({ word: 'lodz', customer_id: 1, name_search: 'lodz import partners 0', customer_number: 'CU00000' });
    } finally {
      await lite.destroy();
    }
  });
});
