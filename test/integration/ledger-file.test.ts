import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/cli';
import { openLedger } from '../../src/main/db/connection';
import { migrations } from '../../src/main/db/migrations';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { AppError } from '../../src/shared/errors';
import { callError, call, cardMethod, CARDS, newKey, openPaymentsRuntime } from '../helpers/payments-fixtures';
import { tempDir } from '../helpers/runtime';

/**
 * A ledger file that is not a ledger (empty, text, another program's database) is refused with a
 * clear message and left exactly as it was; only a missing file becomes a new ledger. A ledger
 * damaged mid-file is found by the start-up check, takes no payment (nothing is charged) and says
 * to restore a backup, and the CLI's full check lists the damage; neither changes the file.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function newDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** The file's bytes and time stamp, and whether a write-ahead log holds changes for it: all must stay as they were. */
function snapshot(file: string) {
  const wal = `${file}-wal`;
  return { hash: sha(file), size: fs.statSync(file).size, mtime: fs.statSync(file).mtimeMs, walBytes: fs.existsSync(wal) ? fs.statSync(wal).size : 0 };
}

async function refusal(file: string): Promise<AppError> {
  const e = await openLedger(file).then(
    async (l) => {
      await l.close();
      return null;
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

/** Overwrites one whole page in the middle of the file with text, as a bad disk sector or a stray write would. */
function garbageMidFile(file: string): number {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.readSync(fd, header, 0, 100, 0);
    const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
    const pages = fs.fstatSync(fd).size / pageSize;
    const page = Math.floor(pages / 2);
    const garbage = Buffer.alloc(pageSize, 'NOT A LEDGER PAGE - overwritten by a failing disk. ');
    fs.writeSync(fd, garbage, 0, pageSize, page * pageSize);
    return page + 1;
  } finally {
    fs.closeSync(fd);
  }
}

/** A real ledger with a few thousand rows, written through the app and closed (checkpointed). */
async function realLedger(dir: string): Promise<{ paymentId: number }> {
  const rt = await openPaymentsRuntime({ dir });
  const customers = ['customer_number,legal_name,email,phone'];
  const invoices = ['invoice_number,customer_number,issue_date,due_date,amount'];
  for (let i = 1; i <= 1500; i++) {
    customers.push(`CL${String(i).padStart(4, '0')},Customer Number ${i} Holdings,ap@customer${i}.example,(503) 555-${String(i).padStart(4, '0')}`);
    invoices.push(`INV-${i},CL${String(i).padStart(4, '0')},2026-09-01,2026-10-01,${100 + i}.25`);
  }
  expect(await rt.core.imports.importCsv('customers', customers.join('\n'), 'admin')).toMatchObject({ ok: true });
  expect(await rt.core.imports.importCsv('invoices', invoices.join('\n'), 'admin')).toMatchObject({ ok: true });
  const paid = await call(rt, 'payments.submit', {
    customerNumber: 'CL0001',
    invoiceNumbers: 'all',
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 10_125,
    idempotencyKey: newKey(),
  });
  expect(paid.status).toBe('approved');
  await rt.close();
  return { paymentId: (paid as { paymentId: number }).paymentId };
}

describe('a ledger file that is not a ledger', () => {
  it('refuses an existing empty (0-byte) file and leaves it as it is', async () => {
    const file = path.join(newDir(), 'ledger.db');
    fs.writeFileSync(file, '');
    const before = snapshot(file);
    const e = await refusal(file);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.details).toMatchObject({ reason: 'empty' });
    expect(e.message).toMatch(/is empty \(0 bytes\): it is not an AR Desk ledger/);
    expect(e.message).toMatch(/left it exactly as it is/);
    expect(snapshot(file)).toEqual(before);
  });

  it('refuses a text file and leaves it as it is', async () => {
    const file = path.join(newDir(), 'ledger.db');
    fs.writeFileSync(file, 'customer_number,legal_name\nCL1042,Harbor Lane Dental LLC\n');
    const before = snapshot(file);
    const e = await refusal(file);
    expect(e.details).toMatchObject({ reason: 'not-sqlite' });
    expect(e.message).toMatch(/is not an AR Desk ledger: it is not a database file/);
    expect(snapshot(file)).toEqual(before);
  });

  it("refuses another program's database and leaves it as it is", async () => {
    const file = path.join(newDir(), 'ledger.db');
    const other = new Database(file);
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello')`);
    other.close();
    const before = snapshot(file);
    const e = await refusal(file);
    expect(e.details).toMatchObject({ reason: 'not-ar-desk' });
    expect(e.message).toMatch(/is a database, but not an AR Desk ledger \(it holds notes\)/);
    expect(snapshot(file)).toEqual(before);
    // The CLI says the same and exits 1.
    const r = await cli(['--db', file, 'lookup', 'harbor']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not an AR Desk ledger/);
    expect(snapshot(file)).toEqual(before);
  });

  it('creates a new ledger only where no file exists', async () => {
    const file = path.join(newDir(), 'new', 'ledger.db');
    const ledger = await openLedger(file);
    expect(await ledger.health.verdict).toEqual({ ok: true });
    await ledger.close();
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });
});

describe('a ledger damaged in the middle of the file', () => {
  it('is found by the start-up check, takes no payment (nothing charged), and is left as it is', async () => {
    const dir = newDir();
    const file = path.join(dir, 'ledger.db');
    const { paymentId } = await realLedger(dir);
    expect(await cli(['--db', file, 'check'])).toMatchObject({ code: 0, out: expect.stringMatching(/: ok \(integrity_check/) });

    const page = garbageMidFile(file);
    const before = snapshot(file);
    expect(before.walBytes).toBe(0);

    const rt = await openPaymentsRuntime({ dir });
    const verdict = await rt.ledger.health.verdict;
    expect(verdict.ok, `page ${page} overwritten`).toBe(false);
    const charges = (await rt.gateway.records()).length;
    const refused = await callError(rt, 'payments.submit', {
      customerNumber: 'CL0002',
      invoiceNumbers: 'all',
      creditNumbers: [],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 10_225,
      idempotencyKey: newKey(),
    });
    expect(refused.code).toBe('UNAVAILABLE');
    expect(refused.message).toMatch(/ledger file is damaged/);
    expect(refused.message).toMatch(/nothing was charged/);
    expect(refused.message).toMatch(/Restore the ledger from your latest backup/);
    expect((await callError(rt, 'payments.void', { paymentId, reason: 'Wrong card' })).message).toMatch(/ledger file is damaged/);
    expect(await rt.gateway.records()).toHaveLength(charges);
    await rt.close();
    expect(snapshot(file)).toEqual(before);

    // The full check lists the damage and changes nothing either.
    const r = await cli(['--db', file, 'check']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is damaged: integrity_check found \d+/);
    expect(r.err).toMatch(/Restore the ledger from your latest backup/);
    expect(snapshot(file)).toEqual(before);
  });

  it('is not upgraded when a schema change is due: refused, and left as it is', async () => {
    const dir = newDir();
    const file = path.join(dir, 'ledger.db');
    // A ledger of the previous release (one schema change behind), with enough rows to span many pages.
    const sqlite = new Database(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const names = Object.keys(migrations).sort();
    expect((await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(names[names.length - 2]!)).error).toBeUndefined();
    const add = sqlite.prepare(`INSERT INTO customers (customer_number, legal_name, name_search, created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')`);
    sqlite.transaction(() => {
      for (let i = 1; i <= 3000; i++) add.run(`CL${i}`, `Customer Number ${i} Holdings of Portland`, `customer number ${i} holdings of portland`);
    })();
    await db.destroy();
    garbageMidFile(file);
    const before = snapshot(file);

    const e = await refusal(file);
    expect(e.details).toMatchObject({ reason: 'ledger-damaged' });
    expect(e.message).toMatch(/is damaged .* did not upgrade or open it/);
    expect(e.message).toMatch(/Restore the ledger from your latest backup/);
    expect(snapshot(file)).toEqual(before);
  });
});
