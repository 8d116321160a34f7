import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/cli';
import { testEngine } from '../helpers/engine';
import { addCustomer, addInvoice, call, cardMethod, CARDS, newKey, openPaymentsRuntime } from '../helpers/payments-fixtures';
import { tempDir } from '../helpers/runtime';

/**
 * Backups of the SQLite ledger (`backup`, made while the app has the ledger open, checked, never
 * over an existing file), the check of a backup before it is restored (`restore-check`, read-only),
 * the full `check`, and what `backup` says for the office ledger on PostgreSQL.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function newDir(): string {
  const d = tempDir('ar-desk-backup-');
  dirs.push(d);
  return d;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const besides = (f: string) => fs.readdirSync(path.dirname(f)).filter((n) => n.startsWith(path.basename(f))).sort();

interface Report {
  ok: boolean;
  ledger: string;
  checked: string[];
  problems: { check: string; message: string }[];
}

/** A ledger with a captured payment, left open by the runtime returned. */
async function ledgerInUse(dir: string) {
  const rt = await openPaymentsRuntime({ dir });
  const c = await addCustomer(rt.ledger.db, 'CL1042', 'Harbor Dental Group');
  await addInvoice(rt.ledger.db, c, 'INV-1', 10_000);
  await addInvoice(rt.ledger.db, c, 'INV-2', 25_050);
  const paid = await call(rt, 'payments.submit', {
    customerNumber: 'CL1042',
    invoiceNumbers: ['INV-1'],
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 10_000,
    idempotencyKey: newKey(),
  });
  expect(paid.status).toBe('approved');
  return rt;
}

describe.runIf(testEngine === 'sqlite')('backup and restore-check of the SQLite ledger', () => {
  it('copies the ledger while the app has it open, checks the copy, and never overwrites a file', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const ledger = path.join(dir, 'ledger.db');
    const out = path.join(dir, 'backups', 'ledger-2026-11-20.db');
    const r = await cli(['--db', ledger, 'backup', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+\\.\\d MB, integrity_check ok`));
    // One file, with the payment the open ledger holds, in rollback-journal mode (no -wal beside it).
    expect(besides(out)).toEqual([path.basename(out)]);
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare(`SELECT count(*) AS n FROM payments WHERE status = 'captured'`).get()).toEqual({ n: 1 });
    copy.close();
    await rt.close();

    const before = sha(out);
    const again = await cli(['--db', ledger, 'backup', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists, and a backup never overwrites a file/);
    expect(sha(out)).toBe(before);
    expect(fs.readdirSync(path.dirname(out))).toEqual([path.basename(out)]);
  });

  it('refuses a folder and a symbolic link (even a dangling one) as the backup file', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    await rt.close();
    const ledger = path.join(dir, 'ledger.db');
    const elsewhere = newDir();
    const folder = await cli(['--db', ledger, 'backup', '--out', elsewhere]);
    expect(folder.code).toBe(1);
    expect(folder.err).toMatch(/is a folder: give the backup's file name/);
    const link = path.join(elsewhere, 'link.db');
    fs.symlinkSync(path.join(elsewhere, 'nowhere.db'), link);
    const linked = await cli(['--db', ledger, 'backup', '--out', link]);
    expect(linked.code).toBe(1);
    expect(linked.err).toMatch(/already exists, and a backup never overwrites a file/);
    expect(fs.readdirSync(elsewhere)).toEqual(['link.db']);
  });

  it('checks a backup read-only: integrity, foreign keys and the ledger invariants, as JSON', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const out = path.join(newDir(), 'b.db');
    expect((await cli(['--db', path.join(dir, 'ledger.db'), 'backup', '--out', out])).code).toBe(0);
    await rt.dispose();
    const before = sha(out);
    const r = await cli(['restore-check', out]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ok: true, ledger: out, checked: ['integrity_check', 'foreign_key_check', 'invariants'], problems: [] });
    expect(sha(out)).toBe(before);
    expect(besides(out)).toEqual(['b.db']);
  });

  it('finds a broken ledger rule in a backup, and exits 1', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const out = path.join(newDir(), 'b.db');
    expect((await cli(['--db', path.join(dir, 'ledger.db'), 'backup', '--out', out])).code).toBe(0);
    await rt.dispose();
    // INV-2 is open, but marked paid (the cached status no longer matches its applications).
    const db = new Database(out);
    db.prepare(`UPDATE invoices SET status = 'paid' WHERE invoice_number = 'INV-2'`).run();
    db.close();
    const before = sha(out);
    const r = await cli(['restore-check', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ check: 'invoice.status_matches_balance', message: expect.stringMatching(/INV-2 is marked paid/) }]);
    expect(r.err).toMatch(/breaks 1 rule\(s\) of the ledger/);
    expect(sha(out)).toBe(before);
  });

  it('finds a damaged backup, and leaves it as it is', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const out = path.join(newDir(), 'b.db');
    expect((await cli(['--db', path.join(dir, 'ledger.db'), 'backup', '--out', out])).code).toBe(0);
    await rt.dispose();
    // A page of the invoices' rows goes bad (not the schema's, which would make the file unreadable at once).
    const copy = new Database(out, { readonly: true });
    const { pageno } = copy.prepare("SELECT pageno FROM dbstat WHERE name = 'invoices' AND pagetype = 'leaf' LIMIT 1").get() as { pageno: number };
    const pageSize = (copy.pragma('page_size', { simple: true }) as number);
    copy.close();
    const fd = fs.openSync(out, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 'overwritten by a failing disk. '), 0, pageSize, (pageno - 1) * pageSize);
    fs.closeSync(fd);
    const before = sha(out);
    const r = await cli(['restore-check', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.ok).toBe(false);
    expect(report.checked).toEqual(['integrity_check']);
    expect(report.problems[0]?.check).toBe('integrity_check');
    expect(r.err).toMatch(/is damaged: integrity_check found/);
    expect(sha(out)).toBe(before);
  });

  it('refuses a backup from a newer AR Desk plainly, and never migrates or writes one', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const out = path.join(newDir(), 'b.db');
    expect((await cli(['--db', path.join(dir, 'ledger.db'), 'backup', '--out', out])).code).toBe(0);
    await rt.dispose();
    const db = new Database(out);
    db.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('2099_01_01_0001_future', '2099-01-01T00:00:00.000Z')`).run();
    db.close();
    const before = sha(out);
    const r = await cli(['restore-check', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SCHEMA_TOO_NEW: .*written by a newer version of AR Desk/);
    expect(sha(out)).toBe(before);

    // A backup of an older schema is checked as it is: not upgraded.
    const older = path.join(path.dirname(out), 'older.db');
    fs.copyFileSync(out, older);
    const o = new Database(older);
    o.prepare(`DELETE FROM kysely_migration WHERE name IN ('2099_01_01_0001_future', '2026_12_01_0005_office_ledger')`).run();
    o.close();
    const olderHash = sha(older);
    expect((await cli(['restore-check', older])).code).toBe(0);
    expect(sha(older)).toBe(olderHash);
  });

  it('tells a pg_dump archive and a missing file from a SQLite backup', async () => {
    const dir = newDir();
    const dump = path.join(dir, 'office.dump');
    fs.writeFileSync(dump, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(64)]));
    const r = await cli(['restore-check', dump]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is a pg_dump archive of an office ledger, not a SQLite backup: restore it into a new database with pg_restore/);
    const missing = await cli(['restore-check', path.join(dir, 'nothing.db')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/There is no ledger at/);
    expect(fs.existsSync(path.join(dir, 'nothing.db'))).toBe(false);
    expect((await cli(['restore-check'])).code).toBe(2);
    expect((await cli(['backup', '--db', path.join(dir, 'ledger.db')])).code).toBe(2);
  });

  it('check runs integrity_check, foreign_key_check and the invariants on the ledger file', async () => {
    const dir = newDir();
    const rt = await ledgerInUse(dir);
    const ledger = path.join(dir, 'ledger.db');
    const r = await cli(['--db', ledger, 'check']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ ok: true, ledger, checked: ['integrity_check', 'foreign_key_check', 'invariants'], problems: [] });
    // An orphan row (written with foreign keys off, as a damaged import might leave one).
    rt.ledger.sqlite.pragma('foreign_keys = OFF');
    rt.ledger.sqlite.prepare(`INSERT INTO customer_name_words (word, customer_id, name_search, customer_number) VALUES ('ghost', 999999, 'ghost', 'GH999999')`).run();
    rt.ledger.sqlite.pragma('foreign_keys = ON');
    const broken = await cli(['--db', ledger, 'check']);
    expect(broken.code).toBe(1);
    expect((JSON.parse(broken.out) as Report).problems).toEqual([
      { check: 'foreign_key_check', message: expect.stringMatching(/^a customer_name_words row refers to a customers row that does not exist$/) },
    ]);
    await rt.dispose();
  });
});

describe('backup of the office ledger on PostgreSQL', () => {
  it('prints the pg_dump command for the address, without its password, and writes nothing', async () => {
    const dir = newDir();
    const out = path.join(dir, 'office.dump');
    const r = await cli(['backup', '--out', out, '--database-url', 'postgres://ardesk_owner:s3cret-Pass@db.office.example:5433/ardesk']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`pg_dump --format=custom --file=${out} postgres://ardesk_owner@db.office.example:5433/ardesk`);
    expect(r.out).toMatch(/PGPASSWORD/);
    // The restore's new database is made by the superuser, owned by the ledger's owner.
    expect(r.out).toContain('sudo -u postgres createdb --owner=ardesk_owner ardesk_restored');
    expect(r.out).toContain('pg_restore --exit-on-error --dbname=postgres://ardesk_owner@db.office.example:5433/ardesk_restored');
    expect(r.out).not.toContain('s3cret');
    expect(fs.existsSync(out)).toBe(false);
  });
});
