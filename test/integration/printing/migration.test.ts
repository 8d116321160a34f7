import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOWN_MIGRATIONS, openLedger } from '../../../src/main/db/connection';
import { migrations } from '../../../src/main/db/migrations';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import { tempDir } from '../../helpers/runtime';

/** A ledger from before print tracking keeps every print job when it is opened by this version. */
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 2026_12_01_0002_print_tracking', () => {
  it('keeps the print jobs of an older ledger, adds the tracking columns, and accepts the new status', async () => {
    const file = path.join(dir, 'ledger.db');
    const sqlite = new Database(file);
    sqlite.pragma('foreign_keys = ON');
    const older = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const migrator = new Migrator({ db: older, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('2026_11_22_0005_recent_payments');
    expect(before.error).toBeUndefined();
    const insert = sqlite.prepare(
      `INSERT INTO print_jobs (document_kind, document_ref, title, status, attempts, last_error, printed_at, created_at, created_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '2026-11-20T15:00:00.000Z', 'dana', '2026-11-20T15:00:00.000Z')`,
    );
    insert.run('invoice', '{"invoiceNumber":"INV-1004"}', 'Invoice INV-1004', 'printed', 1, null, '2026-11-20T15:00:01.000Z');
    insert.run('statement', '{"asOf":"2026-11-20","customerNumber":"CL1042"}', 'Statement CL1042', 'queued', 2, 'Printer offline', null);
    expect(() => insert.run('invoice', '{}', 'x', 'sent', 0, null, null)).toThrow(/CHECK constraint failed/);
    await older.destroy();

    const ledger = await openLedger(file);
    try {
      // Migrated to the latest: the tracking migration and any after it ran.
      expect(ledger.schema.migration).toBe(KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1]);
      expect(KNOWN_MIGRATIONS).toContain('2026_12_01_0002_print_tracking');
      const rows = await withDocumentTables(ledger.db).selectFrom('print_jobs').selectAll().orderBy('id').execute();
      expect(rows).toEqual([
        expect.objectContaining({ id: 1, title: 'Invoice INV-1004', status: 'printed', attempts: 1, printed_at: '2026-11-20T15:00:01.000Z', system: null, system_job_id: null }),
        expect.objectContaining({ id: 2, title: 'Statement CL1042', status: 'queued', attempts: 2, last_error: 'Printer offline', requested_printer: null }),
      ]);
      const sql = (ledger.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'print_jobs'`).get() as { sql: string }).sql;
      expect(sql).toMatch(/\)\s*STRICT$/);
      const indexes = (ledger.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'print_jobs' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toEqual(['print_jobs_payment', 'print_jobs_status', 'print_jobs_workstation']);
      // 'sent' needs where the job went.
      const sent = ledger.sqlite.prepare(`UPDATE print_jobs SET status = 'sent' WHERE id = 2`);
      expect(() => sent.run()).toThrow(/CHECK constraint failed/);
      ledger.sqlite
        .prepare(`UPDATE print_jobs SET status = 'sent', system = 'cups', system_printer = 'Front-Desk', system_job_id = '7', system_state = 'queued', sent_at = 'x' WHERE id = 2`)
        .run();
      expect(ledger.sqlite.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});
