import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFor } from '../../src/main/db/migrations';
import { adminDatabaseUrl, createTestDatabase, databaseUrlFor, testEngine, type TestDatabase } from '../helpers/engine';
import { startScramCluster, type ScramCluster } from '../helpers/pg-scram-cluster';
import { asUser, cli, query } from '../helpers/office-cli';

/**
 * Bad configuration of the office ledger gets a plain message and exit 1, and changes nothing: a
 * server that cannot be reached, a wrong password, a ledger of a newer AR Desk, a role without the
 * rights. Each through the command line, as the office's IT person meets it.
 */

const KNOWN = Object.keys(migrationsFor('postgres')).length;
const PASSWORD = 'workstations-secret-1';

/** The commands a workstation or the IT person runs against a server, each with what it reads on standard input. */
function commandsFor(url: string): { args: string[]; stdin?: string }[] {
  return [
    { args: ['migrate', '--database-url', url] },
    { args: ['check', '--database-url', url] },
    { args: ['info', '--database-url', url] },
    { args: ['server', 'prepare', '--database-url', url, '--app-user', `ops_never_${crypto.randomBytes(3).toString('hex')}`, '--password-stdin'], stdin: PASSWORD },
  ];
}

describe.runIf(testEngine === 'postgres')('bad configuration of the office ledger', () => {
  it('a server that cannot be reached', async () => {
    for (const c of commandsFor('postgres://ardesk_app:secret-password@127.0.0.1:1/ardesk')) {
      const r = await cli(c.args, c.stdin);
      expect(r.code, c.args[0]).toBe(1);
      expect(r.err).toMatch(/UNAVAILABLE: AR Desk cannot reach the office's database server at 127\.0\.0\.1:1 \(ECONNREFUSED\)\. .*Nothing was changed\./);
      expect(r.err).not.toContain('secret-password');
    }
  });

  it('a database that does not exist', async () => {
    const url = databaseUrlFor(adminDatabaseUrl()!, `ops_missing_${crypto.randomBytes(3).toString('hex')}`);
    const r = await cli(['migrate', '--database-url', url]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist on .*Nothing was changed\./);
  });

  describe('a ledger migrated by a newer AR Desk', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      await query(db.url, `INSERT INTO kysely_migration (name, timestamp) VALUES ('2099_01_01_0001_future', '2099-01-01T00:00:00.000Z')`);
    });
    afterAll(async () => db.drop());

    it('is refused by every command, and left as it is', async () => {
      const tables = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;
      const before = (await query(db.url, tables)).rows;
      for (const c of commandsFor(db.url)) {
        const r = await cli(c.args, c.stdin);
        expect(r.code, c.args[0]).toBe(1);
        expect(r.err).toMatch(new RegExp(`SCHEMA_TOO_NEW: The ledger at .* was written by a newer version of AR Desk \\(schema ${KNOWN + 1}, latest change 2099_01_01_0001_future\\); this version knows schema ${KNOWN}\\.`));
        expect(r.err).toMatch(/Nothing was changed\./);
      }
      expect((await query(db.url, 'SELECT count(*)::int AS n FROM kysely_migration')).rows).toEqual([{ n: KNOWN + 1 }]);
      expect((await query(db.url, tables)).rows).toEqual(before);
      expect((await query(db.url, `SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'ops\\_never\\_%'`)).rows).toEqual([{ n: 0 }]);
    });
  });

  describe('a role with no right but CONNECT', () => {
    const role = `ops_conn_${crypto.randomBytes(4).toString('hex')}`;
    let migrated: TestDatabase;
    let empty: TestDatabase;
    beforeAll(async () => {
      migrated = await createTestDatabase();
      empty = await createTestDatabase({ empty: true });
      expect((await query(adminDatabaseUrl()!, `CREATE ROLE ${role} LOGIN`)).error).toBeUndefined();
      for (const d of [migrated, empty]) await query(adminDatabaseUrl()!, `GRANT CONNECT ON DATABASE ${d.name} TO ${role}`);
    });
    afterAll(async () => {
      await migrated.drop();
      await empty.drop();
      await query(adminDatabaseUrl()!, `DROP ROLE IF EXISTS ${role}`);
    });

    it('cannot open the ledger: told to ask for server prepare', async () => {
      const url = asUser(migrated.url, role);
      for (const args of [['check', '--database-url', url], ['info', '--database-url', url]]) {
        const r = await cli(args);
        expect(r.code, args[0]).toBe(1);
        expect(r.err).toMatch(new RegExp(`UNAVAILABLE: The user "${role}" lacks a right AR Desk needs on the database "${migrated.name}" \\(permission denied for table kysely_migration\\)\\. Ask the office's IT person to run "server prepare" and "migrate" as the database owner\\. Nothing was changed\\.`));
      }
    });

    it('does not migrate a new database, nor prepare one', async () => {
      const url = asUser(empty.url, role);
      const r = await cli(['migrate', '--database-url', url]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`needs ${KNOWN} schema change\\(s\\) .*that the user "${role}" may not make: only the database's owner changes the schema`));
      const p = await cli(['server', 'prepare', '--database-url', url, '--app-user', `${role}_app`, '--password-stdin'], PASSWORD);
      expect(p.code).toBe(1);
      expect(p.err).toMatch(/server prepare runs as the owner of the database/);
      expect((await query(empty.url, `SELECT to_regclass('kysely_migration') AS t, to_regnamespace('ar_desk_test_gateway') AS g`)).rows).toEqual([{ t: null, g: null }]);
    });
  });

  describe('a wrong password, on a server that checks passwords', () => {
    let cluster: ScramCluster | null = null;
    beforeAll(async () => {
      cluster = await startScramCluster();
      if (cluster) await query(cluster.url, 'CREATE DATABASE office');
    }, 120_000);
    afterAll(() => cluster?.stop());

    it('is refused plainly, without the password, and nothing is created', async ({ skip }) => {
      if (!cluster) return skip('PostgreSQL is not installed here (/usr/lib/postgresql/*/bin)');
      const office = databaseUrlFor(cluster.url, 'office');
      const wrong = asUser(office, 'postgres', 'not-the-password');
      for (const c of commandsFor(wrong)) {
        const r = await cli(c.args, c.stdin);
        expect(r.code, c.args[0]).toBe(1);
        expect(r.err).toMatch(/UNAVAILABLE: The database server at 127\.0\.0\.1:\d+ refused the user "postgres": the password or the user is wrong\. Nothing was changed\./);
        expect(r.err).not.toContain('not-the-password');
      }
      expect((await query(office, `SELECT to_regclass('kysely_migration') AS t`)).rows).toEqual([{ t: null }]);
      const none = await cli(['check', '--database-url', asUser(office, 'postgres')]);
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/asks for the password of the user "postgres", and none was given: put it in the address, or in the PGPASSWORD variable\. Nothing was changed\./);
    });

    it("sets the workstations' password so that it, and only it, signs in", async ({ skip }) => {
      if (!cluster) return skip('PostgreSQL is not installed here (/usr/lib/postgresql/*/bin)');
      const office = databaseUrlFor(cluster.url, 'office');
      expect((await cli(['migrate', '--database-url', office])).code).toBe(0);
      const r = await cli(['server', 'prepare', '--database-url', office, '--app-user', 'ardesk_app', '--password-stdin'], `${PASSWORD}\n`);
      expect(r.code, r.err).toBe(0);
      const ok = await cli(['check', '--database-url', asUser(office, 'ardesk_app', PASSWORD)]);
      expect(ok.code, ok.err).toBe(0);
      const bad = await cli(['check', '--database-url', asUser(office, 'ardesk_app', `${PASSWORD}x`)]);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/refused the user "ardesk_app": the password or the user is wrong/);
    });
  });
});
