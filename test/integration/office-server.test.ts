import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../src/main/db/connection';
import { migrationsFor } from '../../src/main/db/migrations';
import { openTestGateway } from '../../src/main/payments/test-gateway';
import { adminDatabaseUrl, createTestDatabase, databaseUrlFor, testEngine } from '../helpers/engine';
import { addCustomer, addInvoice, call, cardMethod, CARDS, expectHealthy, newKey } from '../helpers/payments-fixtures';
import { openTestRuntime, tempDir } from '../helpers/runtime';
import { asUser, cli, query } from '../helpers/office-cli';

/**
 * The office set-up of the README, on the test cluster: the owner migrates, `server prepare` makes
 * the workstations' role, and that role takes payments but cannot delete, truncate or rewrite
 * posted money, nor migrate. Bad configuration: test/integration/office-config.test.ts.
 */

const KNOWN = Object.keys(migrationsFor('postgres')).length;
const APP_PASSWORD = 'workstations-secret-1';

describe.runIf(testEngine === 'postgres')('the office set-up on PostgreSQL', () => {
  const suffix = crypto.randomBytes(4).toString('hex');
  const owner = `ops_owner_${suffix}`;
  const app = `ops_app_${suffix}`;
  const database = `ops_office_${suffix}`;
  let admin: string;
  let ownerUrl: string;
  let appUrl: string;

  beforeAll(async () => {
    admin = adminDatabaseUrl()!;
    // As the README says: an owner role that may create roles, and its database.
    expect((await query(admin, `CREATE ROLE ${owner} LOGIN CREATEROLE`)).error).toBeUndefined();
    expect((await query(admin, `CREATE DATABASE ${database} OWNER ${owner}`)).error).toBeUndefined();
    ownerUrl = asUser(databaseUrlFor(admin, database), owner);
    appUrl = asUser(databaseUrlFor(admin, database), app, APP_PASSWORD);
  });
  afterAll(async () => {
    await query(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await query(admin, `DROP ROLE IF EXISTS ${app}`);
    await query(admin, `DROP ROLE IF EXISTS ${owner}`);
  });

  it('refuses to prepare a ledger that is not migrated yet, and changes nothing', async () => {
    const r = await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', app, '--password-stdin'], `${APP_PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs \d+ schema change\(s\) .* first: run "npm run cli -- migrate --database-url OWNER_URL", then server prepare again\. Nothing was changed\./);
    expect((await query(admin, `SELECT 1 FROM pg_roles WHERE rolname = '${app}'`)).rows).toEqual([]);
    expect((await query(ownerUrl, `SELECT to_regclass('kysely_migration') AS t`)).rows).toEqual([{ t: null }]);
  });

  it('migrates as the owner and prints the schema version', async () => {
    const r = await cli(['migrate', '--database-url', ownerUrl]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`Ledger postgres://${owner}@.*/${database} is at schema ${KNOWN} \\(`));
    expect((await query(ownerUrl, 'SELECT count(*)::int AS n FROM kysely_migration')).rows).toEqual([{ n: KNOWN }]);
  });

  it('refuses a short password, a password not given on standard input, and a non-owner', async () => {
    const short = await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', app, '--password-stdin'], 'eleven-char');
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/at least 12 characters/);
    expect((await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', app])).code).toBe(2);
    expect((await cli(['server', 'prepare', '--app-user', app, '--password-stdin'], APP_PASSWORD)).code).toBe(2);
    const asAdmin = await cli(['server', 'prepare', '--database-url', databaseUrlFor(admin, database), '--app-user', app, '--password-stdin'], APP_PASSWORD);
    expect(asAdmin.code).toBe(1);
    expect(asAdmin.err).toMatch(new RegExp(`server prepare runs as the owner of the database "${database}", which is "${owner}"`));
    const ownerAsApp = await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', owner, '--password-stdin'], APP_PASSWORD);
    expect(ownerAsApp.code).toBe(1);
    expect(ownerAsApp.err).toMatch(/must not be the database's owner/);
    expect((await query(admin, `SELECT 1 FROM pg_roles WHERE rolname = '${app}'`)).rows).toEqual([]);
  });

  it("makes the workstations' role: a login without superuser, database or role rights", async () => {
    const r = await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', app, '--password-stdin'], `${APP_PASSWORD}\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`Created the role "${app}"`));
    expect(r.out).toContain(`postgres://${app}:PASSWORD@`);
    expect(r.out).toMatch(/Run server prepare again after every migrate that adds a table/);
    const [role] = (await query(admin, `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = '${app}'`)).rows;
    expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, scram: true });
    // Again: the password is set anew and the rights granted from nothing.
    const again = await cli(['server', 'prepare', '--database-url', ownerUrl, '--app-user', app, '--password-stdin'], APP_PASSWORD);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(new RegExp(`Updated the role "${app}"`));
  });

  it('lets that role take and void a payment through a runtime', async () => {
    const dir = tempDir('ar-desk-office-');
    const gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db') });
    const rt = await openTestRuntime({ dir, databaseUrl: appUrl, gateway });
    try {
      const c = await addCustomer(rt.ledger.db, 'CL1042', 'Harbor Dental Group');
      await addInvoice(rt.ledger.db, c, 'INV-1', 10_000);
      const paid = await call(rt, 'payments.submit', {
        customerNumber: 'CL1042',
        invoiceNumbers: ['INV-1'],
        creditNumbers: [],
        method: cardMethod(CARDS.visa, { save: true }),
        confirmedAmountCents: 10_000,
        idempotencyKey: newKey(),
      });
      expect(paid.status).toBe('approved');
      const voided = await call(rt, 'payments.void', { paymentId: (paid as { paymentId: number }).paymentId, reason: 'Wrong card' });
      expect(voided).toMatchObject({ status: 'completed' });
      // What it removes in its work, it removes through the owner's functions: a renamed customer's
      // lookup words, the old follow-up levels under a new set, old live-update rows.
      const renamed = await call(rt, 'customers.update', { customerNumber: 'CL1042', changes: { legalName: 'Harbor Orthodontics' } });
      expect(renamed.legalName).toBe('Harbor Orthodontics');
      const words = await rt.ledger.db.selectFrom('customer_name_words').select('word').where('customer_id', '=', c).orderBy('word').execute();
      expect(words.map((w) => w.word)).toContain('orthodontics');
      expect(words.map((w) => w.word)).not.toContain('dental');
      const levels = await call(rt, 'dunning.setLevels', { levels: [{ daysPastDue: 20, action: 'email' }], suspendAtLevel: null }, 'admin.dana');
      expect(levels.levels.map((l) => [l.daysPastDue, l.action])).toEqual([[20, 'email']]);
      await expectHealthy(rt.ledger.db);
    } finally {
      await rt.close();
      gateway.close();
    }
    const info = await cli(['info', '--database-url', appUrl]);
    expect(info.code, info.err).toBe(0);
    const check = await cli(['check', '--database-url', appUrl]);
    expect(check.code, check.err).toBe(0);
    expect(JSON.parse(check.out)).toMatchObject({ ok: true, checked: ['invariants'], problems: [] });
  });

  it('does not let that role delete, truncate or rewrite posted money, nor change the schema', async () => {
    const counts = `SELECT (SELECT count(*) FROM payments)::int AS p, (SELECT count(*) FROM applications)::int AS a, (SELECT count(*) FROM customers)::int AS c`;
    const before = (await query(ownerUrl, counts)).rows;
    expect(before).toEqual([{ p: 1, a: 2, c: 1 }]);
    for (const statement of [
      'DELETE FROM payments',
      'TRUNCATE applications',
      'UPDATE payments SET amount_cents = 1',
      'UPDATE customers SET id = id + 1000',
      'DELETE FROM audit_log',
      'UPDATE applications SET amount_cents = 0',
      'INSERT INTO kysely_migration (name, timestamp) VALUES (\'2099_01_01_0001_future\', \'x\')',
      'CREATE TABLE public.notes (body text)',
      'DROP TABLE change_log',
      'ALTER TABLE payments DISABLE TRIGGER payments_no_delete',
      // Not even the rows a workstation removes in its work: those go through the owner's functions.
      'DELETE FROM customer_name_words',
      'DELETE FROM change_log',
      'DELETE FROM dunning_levels',
      'DELETE FROM deposit_items',
      'DELETE FROM counters',
    ]) {
      const r = await query(appUrl, statement);
      expect(r.error?.code, statement).toMatch(/^(42501)$/);
    }
    expect((await query(ownerUrl, counts)).rows).toEqual(before);
    // What it may do: edit a customer's details, never its number.
    expect((await query(appUrl, `UPDATE customers SET notes = 'Calls on Mondays' WHERE customer_number = 'CL1042'`)).error).toBeUndefined();
    expect((await query(appUrl, `UPDATE customers SET customer_number = 'CL9999'`)).error?.code).toBe('42501');
    // No DELETE right on any table; the removals are the owner's functions, which it may call.
    const deletes = await query(ownerUrl, `SELECT table_name FROM information_schema.role_table_grants WHERE grantee = '${app}' AND privilege_type = 'DELETE'`);
    expect(deletes.rows).toEqual([]);
    const customerId = (await query(ownerUrl, `SELECT id FROM customers WHERE customer_number = 'CL1042'`)).rows[0]!.id;
    expect((await query(ownerUrl, `INSERT INTO customer_name_words (word, customer_id, name_search, customer_number) VALUES ('probe1', ${customerId}, 'probe', 'CL1042'), ('probe2', ${customerId}, 'probe', 'CL1042')`)).error).toBeUndefined();
    const wordCount = (await query(ownerUrl, `SELECT count(*)::int AS n FROM customer_name_words WHERE customer_id = ${customerId}`)).rows[0]!.n as number;
    expect(wordCount).toBeGreaterThanOrEqual(2);
    expect((await query(appUrl, `SELECT ar_desk_clear_name_words(${customerId}) AS n`)).rows).toEqual([{ n: wordCount }]);
    expect((await query(ownerUrl, `SELECT count(*)::int AS n FROM customer_name_words WHERE customer_id = ${customerId}`)).rows).toEqual([{ n: 0 }]);
    expect((await query(appUrl, 'SELECT ar_desk_prune_changes(1) AS n')).error).toBeUndefined();
    expect((await query(appUrl, 'SELECT ar_desk_remove_deposit_item(0, 0) AS n')).rows).toEqual([{ n: 0 }]);
    // Any other role may not call them (PUBLIC's right to execute was taken away).
    const stranger = `${app}_stranger`;
    expect((await query(admin, `CREATE ROLE ${stranger} LOGIN`)).error).toBeUndefined();
    try {
      const refused = await query(asUser(databaseUrlFor(admin, database), stranger), `SELECT ar_desk_clear_name_words(${customerId})`);
      expect(refused.error?.code).toBe('42501');
    } finally {
      await query(admin, `DROP ROLE IF EXISTS ${stranger}`);
    }
    // The test gateway's schema is the owner's; the workstations may make the gateway's tables in it.
    expect((await query(ownerUrl, `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'ar_desk_test_gateway'`)).rows).toEqual([{ owner }]);
    expect((await query(appUrl, 'CREATE TABLE ar_desk_test_gateway.probe (n integer)')).error).toBeUndefined();
    expect((await query(appUrl, 'INSERT INTO ar_desk_test_gateway.probe VALUES (1)')).error).toBeUndefined();
  });

  it('does not let that role migrate: a workstation is told to ask for migrate, and changes nothing', async () => {
    const last = Object.keys(migrationsFor('postgres')).sort().at(-1)!;
    // As if this AR Desk were newer than the ledger: its last change is pending.
    const [row] = (await query(ownerUrl, `DELETE FROM kysely_migration WHERE name = '${last}' RETURNING timestamp`)).rows;
    try {
      const e = await openPostgresLedger(appUrl).then(
        async (l) => {
          await l.close();
          return null;
        },
        (err: unknown) => err as Error & { code: string },
      );
      expect(e?.code).toBe('UNAVAILABLE');
      expect(e?.message).toMatch(new RegExp(`needs 1 schema change\\(s\\) \\(${last}…\\), that the user "${app}" may not make`));
      expect(e?.message).toMatch(/run "npm run cli -- migrate --database-url OWNER_URL" as the database owner\. Nothing was changed\./);
      const info = await cli(['info', '--database-url', appUrl]);
      expect(info.code).toBe(1);
      expect(info.err).toMatch(/may not make: only the database's owner changes the schema/);
      expect((await query(ownerUrl, `SELECT count(*)::int AS n FROM kysely_migration`)).rows).toEqual([{ n: KNOWN - 1 }]);
    } finally {
      await query(ownerUrl, `INSERT INTO kysely_migration (name, timestamp) VALUES ('${last}', '${String(row!.timestamp)}')`);
    }
  });

  it('check finds a broken ledger rule on the server and exits 1, changing nothing', async () => {
    // INV-1 is open again since its payment was voided; marked paid, its cached status no longer matches.
    expect((await query(ownerUrl, `UPDATE invoices SET status = 'paid' WHERE invoice_number = 'INV-1'`)).error).toBeUndefined();
    const r = await cli(['check', '--database-url', ownerUrl]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { ok: boolean; problems: { check: string; message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ check: 'invoice.status_matches_balance', message: expect.stringMatching(/INV-1 is marked paid/) }]);
    expect(r.err).toMatch(/breaks 1 rule\(s\) of the ledger/);
    expect((await query(ownerUrl, `SELECT status FROM invoices WHERE invoice_number = 'INV-1'`)).rows).toEqual([{ status: 'paid' }]);
  });

  it('migrates a new database once when ten open it at the same moment', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const ledgers = await Promise.all(Array.from({ length: 10 }, () => openPostgresLedger(db.url, { pool: { max: 2 } })));
      for (const l of ledgers) expect(l.schema.version).toBe(KNOWN);
      await Promise.all(ledgers.map((l) => l.close()));
      expect((await query(db.url, 'SELECT count(*)::int AS n, count(DISTINCT name)::int AS d FROM kysely_migration')).rows).toEqual([{ n: KNOWN, d: KNOWN }]);
    } finally {
      await db.drop();
    }
  });
});
