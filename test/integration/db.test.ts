import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, KNOWN_MIGRATIONS } from '../../src/main/db/connection';
import { AppError } from '../../src/shared/errors';
import { tempDir } from '../helpers/runtime';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function newFile(): string {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'ledger.db');
}

describe('the ledger database', () => {
  it('creates a fresh file with every migration applied and the pragmas set', async () => {
    const file = newFile();
    const ledger = await openLedger(file);
    expect(ledger.schema.version).toBe(KNOWN_MIGRATIONS.length);
    expect(ledger.schema.migration).toBe(KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1]);
    expect(ledger.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ledger.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(ledger.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ledger.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(ledger.sqlite.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    const tables = ledger.sqlite
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely%' AND name NOT LIKE 'sqlite%'`)
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['customers', 'invoices', 'applications', 'payments', 'audit_log']));
    for (const t of tables) expect(t.sql, `${t.name} is STRICT`).toMatch(/\)\s*STRICT/i);
    await ledger.close();
  });

  it('re-opens an existing file without migrating again and keeps its rows', async () => {
    const file = newFile();
    const first = await openLedger(file);
    first.sqlite
      .prepare(`INSERT INTO customers (customer_number, legal_name, name_search, created_at, updated_at) VALUES ('CL1042', 'Acme', 'acme', 'x', 'x')`)
      .run();
    await first.close();
    const again = await openLedger(file);
    expect(again.schema.version).toBe(KNOWN_MIGRATIONS.length);
    const count = again.sqlite.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number };
    expect(count.n).toBe(KNOWN_MIGRATIONS.length);
    expect((again.sqlite.prepare('SELECT customer_number FROM customers').get() as { customer_number: string }).customer_number).toBe('CL1042');
    await again.close();
  });

  it('refuses a ledger written by a newer version and leaves the file untouched', async () => {
    const file = newFile();
    const ledger = await openLedger(file);
    await ledger.close();
    const raw = new Database(file);
    raw.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('2099_01_01_0001_future', '2099-01-01T00:00:00Z')`).run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const hash = (f: string) => (fs.existsSync(f) ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') : 'absent');
    const before = { db: hash(file), wal: hash(`${file}-wal`), mtime: fs.statSync(file).mtimeMs };

    const error = await openLedger(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SCHEMA_TOO_NEW');
    expect((error as AppError).message).toMatch(/newer version of AR Desk/);
    expect((error as AppError).message).toMatch(/not changed/);
    expect(hash(file)).toBe(before.db);
    expect(hash(`${file}-wal`)).toBe(before.wal);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtime);
  });

  it('rejects edits and deletes of the audit log and of posted applications', async () => {
    const ledger = await openLedger(newFile());
    ledger.sqlite.prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES ('t', 'a', 'x', 'e', '1', '{}')`).run();
    expect(() => ledger.sqlite.prepare(`UPDATE audit_log SET actor = 'b'`).run()).toThrow(/append-only/);
    expect(() => ledger.sqlite.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    await ledger.close();
  });
});
