import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../src/main/db/connection';
import { dispatch } from '../../src/main/ipc/dispatch';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { memorySecretStore, OFFICE_LEDGER_PASSWORD_SECRET } from '../../src/main/documents/ports';
import { migrationsFor } from '../../src/main/db/migrations';
import { jsonFileSettingsStore } from '../../src/main/settings/settings.store';
import { settingsFilePath } from '../../src/main/settings/settings.file';
import type { OfficeLedgerSaved, SettingsView } from '../../src/shared/contract/settings';
import type { Envelope } from '../../src/shared/errors';
import { asStaff } from '../helpers/dispatch';
import { adminDatabaseUrl, createTestDatabase, databaseUrlFor, testEngine } from '../helpers/engine';
import { pgTestUrl } from '../helpers/postgres';
import { openTestRuntime, tempDir, type TestRuntime } from '../helpers/runtime';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const SECRET = 'Office-ledger pass: 7 sea@lions/99%';
const LATEST = Object.keys(migrationsFor('postgres')).length;

/**
 * A runtime whose settings are a real settings file (to read the password is not in it) and whose
 * secrets are in memory (the keychain in the app).
 */
async function runtime(): Promise<TestRuntime & { secrets: ReturnType<typeof memorySecretStore>; settingsFile: string }> {
  const dir = tempDir();
  const settingsFile = settingsFilePath(path.join(dir, 'ledger.db'));
  const secrets = memorySecretStore();
  const rt = await openTestRuntime({ dir, secrets, settings: jsonFileSettingsStore(settingsFile) });
  cleanups.push(() => rt.dispose());
  return Object.assign(rt, { secrets, settingsFile });
}

const call = (rt: TestRuntime, input: unknown, role: 'admin' | 'clerk' = 'admin'): Promise<Envelope<unknown>> =>
  dispatch(createDispatcher(rt.core), 'settings.setOfficeLedger', input, asStaff(role === 'admin' ? 'dana' : 'amy', role));

async function saved(rt: TestRuntime, input: unknown): Promise<OfficeLedgerSaved> {
  const res = await call(rt, input);
  if (!res.ok) throw new Error(`expected the address to be saved: ${res.error.code} ${res.error.message}`);
  return res.data as OfficeLedgerSaved;
}

async function view(rt: TestRuntime): Promise<SettingsView> {
  const res = await dispatch(createDispatcher(rt.core), 'settings.get', {}, asStaff('amy', 'clerk'));
  if (!res.ok) throw new Error(res.error.message);
  return res.data as SettingsView;
}

function officeAuditRows(rt: TestRuntime) {
  return rt.ledger.db.selectFrom('audit_log').selectAll().where('action', 'like', 'settings.%OfficeLedger').orderBy('id').execute();
}

/**
 * An office ledger to point the workstation at. The postgres project copies its migrated template
 * (createTestDatabase); the sqlite project has no template and makes a database of its own
 * (dburl_…, dropped after), migrated as the first workstation to start on it would.
 */
async function officeLedger(options: { empty?: boolean } = {}): Promise<string> {
  if (testEngine === 'postgres') {
    const db = await createTestDatabase(options);
    cleanups.push(() => db.drop());
    return db.url;
  }
  const name = `dburl_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await onServer(adminDatabaseUrl()!, `CREATE DATABASE ${name}`);
  cleanups.push(() => onServer(adminDatabaseUrl()!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = databaseUrlFor(adminDatabaseUrl()!, name);
  if (!options.empty) await (await openPostgresLedger(url)).close();
  return url;
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The address as the Settings screen is given it: the test cluster's, without a password. */
const withoutPassword = (url: string) => {
  const u = new URL(url);
  u.password = '';
  return u.toString();
};

describe.skipIf(!pgTestUrl)('the office ledger: saving an address', () => {
  it('tries a good address, saves it with the password kept in the secret store only, and says a restart is needed', async () => {
    const rt = await runtime();
    const address = withoutPassword(await officeLedger());
    const result = await saved(rt, { databaseUrl: address, password: SECRET });
    expect(result.checked).toEqual({ schemaVersion: LATEST, latestVersion: LATEST });
    expect(result.officeLedger).toMatchObject({ databaseUrl: address, passwordSet: true, restartNeeded: testEngine === 'sqlite' });
    expect(rt.core.settings.get().settings.officeLedger).toEqual({ databaseUrl: address });
    expect(await rt.secrets.get(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(SECRET);

    // The password is in no answer, no settings file and no audit row.
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(await view(rt))).not.toContain(SECRET);
    const file = fs.readFileSync(rt.settingsFile, 'utf8');
    expect(JSON.parse(file).settings.officeLedger).toEqual({ databaseUrl: address });
    expect(file).not.toContain(SECRET);
    expect(file).not.toContain(encodeURIComponent(SECRET));
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => [r.action, r.actor, r.entity_id, r.outcome])).toEqual([['settings.setOfficeLedger', 'dana', 'workstation', 'success']]);
    expect(JSON.parse(rows[0]!.summary)).toEqual({
      changes: { 'officeLedger.databaseUrl': { from: null, to: address } },
      passwordSet: true,
      wasSet: false,
      schemaVersion: LATEST,
    });
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  it('keeps the saved password when only the address is saved again, and Clear forgets both', async () => {
    const rt = await runtime();
    const address = withoutPassword(await officeLedger());
    await saved(rt, { databaseUrl: address, password: SECRET });
    const again = await saved(rt, { databaseUrl: `  ${address}  ` });
    expect(again.officeLedger).toMatchObject({ databaseUrl: address, passwordSet: true });
    expect(await rt.secrets.get(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(SECRET);
    // Nothing changed: no second row.
    expect(await officeAuditRows(rt)).toHaveLength(1);

    const cleared = await saved(rt, { databaseUrl: null });
    expect(cleared).toEqual({
      officeLedger: expect.objectContaining({ databaseUrl: null, passwordSet: false }),
      checked: null,
    });
    expect(rt.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
    expect(rt.secrets.has(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(false);
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => r.action)).toEqual(['settings.setOfficeLedger', 'settings.clearOfficeLedger']);
    expect(JSON.parse(rows[1]!.summary)).toEqual({ changes: { 'officeLedger.databaseUrl': { from: address, to: null } }, passwordSet: false, wasSet: true });
  });

  it('takes an empty database, saying it has no schema yet (AR Desk sets it up at the next start)', async () => {
    const rt = await runtime();
    const address = withoutPassword(await officeLedger({ empty: true }));
    const result = await saved(rt, { databaseUrl: address });
    expect(result.checked).toEqual({ schemaVersion: 0, latestVersion: LATEST });
    expect(result.officeLedger.passwordSet).toBe(false);
  });

  it('refuses a database that does not exist, and one written by a newer AR Desk, saving nothing', async () => {
    const rt = await runtime();
    const missing = new URL(withoutPassword(pgTestUrl!));
    missing.pathname = '/dburl_no_such_database';
    const res = await call(rt, { databaseUrl: missing.toString() });
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('The database "dburl_no_such_database" does not exist') } });

    const newer = await officeLedger();
    await onServer(newer, `INSERT INTO kysely_migration (name, timestamp) VALUES ('2099_01_01_0001_from_the_future', now()::text)`);
    const refused = await call(rt, { databaseUrl: withoutPassword(newer) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SCHEMA_TOO_NEW', message: expect.stringContaining('newer version of AR Desk') } });
    expect(rt.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
  });
});

describe('the office ledger: refusals', () => {
  it('refuses an address with the password inside, saying to type it in its own field, and saves nothing', async () => {
    const rt = await runtime();
    for (const databaseUrl of [`postgres://ar_desk:${encodeURIComponent(SECRET)}@127.0.0.1:5432/ar_desk`, 'postgres://ar_desk@127.0.0.1:5432/ar_desk?password=x']) {
      const res = await call(rt, { databaseUrl });
      expect(res, databaseUrl).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', details: { fields: { databaseUrl: expect.stringContaining('type the password in its own field') } } },
      });
      expect(JSON.stringify(res)).not.toContain(encodeURIComponent(SECRET));
    }
    expect(rt.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
    expect(fs.existsSync(rt.settingsFile)).toBe(false);
  });

  it('refuses what is not a PostgreSQL address, naming the field', async () => {
    const rt = await runtime();
    for (const [databaseUrl, words] of [
      ['db.office.example', 'not a URL'],
      ['mysql://ar@db:3306/ar', 'must start with postgres://'],
      ['postgres://db.office.example:5432/ar', 'needs a user, a host and a database'],
      ['   ', "enter the office ledger's address"],
    ] as const) {
      const res = await call(rt, { databaseUrl });
      expect(res, databaseUrl).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: { databaseUrl: expect.stringContaining(words) } } } });
    }
    expect(rt.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
  });

  it('refuses a server that cannot be reached with the plain message, saves nothing, and audits the attempt', async () => {
    const rt = await runtime();
    const res = await call(rt, { databaseUrl: 'postgres://ar_desk@127.0.0.1:1/ar_desk', password: SECRET });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message:
          "AR Desk cannot reach the office's database server at 127.0.0.1:1 (ECONNREFUSED). Check that the server is running and that this workstation can reach it. Nothing was changed.",
        details: expect.objectContaining({ reason: 'unreachable', host: '127.0.0.1', port: 1 }),
      },
    });
    expect(rt.core.settings.get().settings.officeLedger.databaseUrl).toBeNull();
    expect(rt.secrets.has(OFFICE_LEDGER_PASSWORD_SECRET)).toBe(false);
    expect(fs.existsSync(rt.settingsFile)).toBe(false);
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => [r.action, r.outcome, r.error_code, r.entity_id])).toEqual([['settings.setOfficeLedger', 'failure', 'UNAVAILABLE', 'workstation']]);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  it('answers FORBIDDEN to a clerk, who may still read which ledger is in use', async () => {
    const rt = await runtime();
    const res = await call(rt, { databaseUrl: null }, 'clerk');
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { needs: 'admin' } } });
    const shown = (await view(rt)).officeLedger;
    expect(shown).toMatchObject({ databaseUrl: null, passwordSet: false, restartNeeded: false });
    // The test runtime is on the engine of its project, chosen outside Settings (like --database-url) on PostgreSQL.
    expect(shown.current).toMatchObject(
      testEngine === 'postgres' ? { engine: 'postgres', origin: { source: 'environment' } } : { engine: 'sqlite', where: path.join(rt.dir, 'ledger.db'), origin: { source: 'local' } },
    );
    if (testEngine === 'postgres') expect(shown.current.where).not.toContain(':***@');
  });
});
