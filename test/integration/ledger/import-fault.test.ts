import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../../../src/main/db/dialect';
import { withIndexesBuiltAfter } from '../../../src/main/ledger/import.repo';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { expectHealthy } from './fixtures';

/**
 * An import that fails part-way through writing (a full disk, an I/O error, a bug) leaves nothing
 * behind. The fault is injected with a temporary trigger on the ledger's own connection, so it
 * strikes inside the import's writes wherever the import code puts them: after some rows of a
 * table are written, or at the very last write.
 */
let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime();
});
afterEach(async () => {
  await rt.dispose();
});

const TABLES = ['customers', 'customer_name_words', 'invoices', 'invoice_lines', 'credit_memos', 'payments', 'applications', 'audit_log', 'counters'];

/** Every row of every table the imports write, as one digest per table. */
function contents(): Record<string, string> {
  return Object.fromEntries(
    TABLES.map((t) => [t, crypto.createHash('sha256').update(JSON.stringify(rt.ledger.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all())).digest('hex')]),
  );
}

/** Makes the next write to `table` fail once `when` holds (a SQL condition on NEW and the tables). */
function faultOn(table: string, when: string): void {
  rt.ledger.sqlite.exec(`CREATE TEMP TRIGGER import_fault BEFORE INSERT ON main.${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
}
function clearFault(): void {
  rt.ledger.sqlite.exec('DROP TRIGGER IF EXISTS temp.import_fault');
}

function customersCsv(count: number): string {
  const rows = ['customer_number,legal_name,email,phone'];
  for (let i = 1; i <= count; i++) rows.push(`CL${String(i).padStart(4, '0')},Łódź Customer ${i},ap@customer${i}.example,(503) 555-${String(i).padStart(4, '0')}`);
  return rows.join('\n');
}

function invoicesCsv(count: number): string {
  const rows = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
  // Every other invoice arrives part paid, so the import also writes payments and applications.
  for (let i = 1; i <= count; i++) rows.push(`INV-${i},CL${String(1 + (i % 50)).padStart(4, '0')},2026-09-01,2026-10-01,${100 + i}.00,${i % 2 === 0 ? '40.00' : ''}`);
  return rows.join('\n');
}

const CREDITS = ['credit_number,customer_number,issue_date,amount,reason', 'CR-1,CL0001,2026-11-02,40.10,Missed visit', 'CR-2,CL0002,2026-11-03,5,'].join('\n');

const faults: { kind: 'customers' | 'invoices' | 'credits'; where: string; table: string; when: string }[] = [
  { kind: 'customers', where: 'half-way through the customers', table: 'customers', when: `(SELECT count(*) FROM customers) >= 300` },
  { kind: 'customers', where: 'on the lookup words, after every customer row', table: 'customer_name_words', when: '1' },
  { kind: 'customers', where: 'at the last write (the import audit entry)', table: 'audit_log', when: `NEW.action = 'import'` },
  { kind: 'invoices', where: 'half-way through the invoice lines', table: 'invoice_lines', when: `(SELECT count(*) FROM invoice_lines) >= 500` },
  { kind: 'invoices', where: 'on the money received before the import', table: 'applications', when: `(SELECT count(*) FROM applications) >= 100` },
  { kind: 'invoices', where: 'at the last write (the import audit entry)', table: 'audit_log', when: `NEW.action = 'import'` },
  { kind: 'credits', where: 'at the last write (the import audit entry)', table: 'audit_log', when: `NEW.action = 'import'` },
];

describe('an import that fails while writing', () => {
  for (const f of faults) {
    it(`leaves nothing behind when ${f.kind} fail ${f.where}`, async () => {
      const file = f.kind === 'customers' ? customersCsv(600) : f.kind === 'invoices' ? invoicesCsv(1000) : CREDITS;
      if (f.kind !== 'customers') expect(await rt.core.imports.importCsv('customers', customersCsv(60), 'admin')).toMatchObject({ ok: true });
      const before = contents();

      faultOn(f.table, f.when);
      await expect(rt.core.imports.importCsv(f.kind, file, 'admin', { source: `${f.kind}.csv` })).rejects.toThrow(/injected fault/);
      clearFault();

      expect(contents()).toEqual(before);
      await expectHealthy(rt);
      // Nothing half-written stands in the way: the same file imports whole once the fault is gone.
      expect(await rt.core.imports.importCsv(f.kind, file, 'admin')).toMatchObject({ ok: true });
      await expectHealthy(rt);
    });
  }
});

describe("a large import's indexes, built after its writes", () => {
  const schema = () => rt.ledger.sqlite.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name`).all();
  const invoiceIndexes = () => rt.ledger.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY name`).pluck().all();
  const adding = { invoices: 1000, payments: 500, applications: 500, audit_log: 1000 };

  it('drops only the non-unique indexes of the tables it at least doubles, and builds each again as it was', async () => {
    expect(await rt.core.imports.importCsv('customers', customersCsv(60), 'admin')).toMatchObject({ ok: true });
    const before = schema();
    let during: unknown[] = [];
    await writeTx(rt.ledger.db, () =>
      withIndexesBuiltAfter(rt.ledger.sqlite, { ...adding, customers: 1 }, async () => (during = invoiceIndexes()), 2),
    );
    // The unique index on the invoice number stays, checking every row.
    expect(during).toEqual(['sqlite_autoindex_invoices_1']);
    expect(schema()).toEqual(before);
  });

  it('leaves a table it would not double, or a small file, with its indexes', async () => {
    let during: unknown[] = [];
    await writeTx(rt.ledger.db, () => withIndexesBuiltAfter(rt.ledger.sqlite, { invoices: 10 }, async () => (during = invoiceIndexes())));
    expect(during).toEqual(invoiceIndexes());
    expect(during.length).toBeGreaterThan(1);
  });

  it('keeps every index and writes nothing when the import fails after its rows are written', async () => {
    expect(await rt.core.imports.importCsv('customers', customersCsv(60), 'admin')).toMatchObject({ ok: true });
    const beforeSchema = schema();
    const before = contents();
    const failed = writeTx(rt.ledger.db, () =>
      withIndexesBuiltAfter(
        rt.ledger.sqlite,
        adding,
        async () => {
          const audit = rt.ledger.sqlite.prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES ('2026-11-01T10:00:00Z', 'admin', 'invoice.import', 'invoice', ?, '{}')`);
          for (let i = 1; i <= 20; i++) audit.run(`INV-${i}`);
          throw new Error('failed after the writes');
        },
        2,
      ),
    );
    await expect(failed).rejects.toThrow(/failed after the writes/);
    expect(schema()).toEqual(beforeSchema);
    expect(contents()).toEqual(before);
    await expectHealthy(rt);
  });
});
