import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { Db, Tx } from '../db/types';
import { announceImport, importDone, ledgerWriteFailure } from '../db/write-failure';
import { noteChange, pauseRowChanges, resumeRowChanges } from '../db/change-log';
import { lockCustomers, writeTx } from '../db/dialect';
import { CsvReader, type CsvRecord } from './csv.rules';
import { customersByNumbers, type CustomerKey } from './customers.repo';
import { existingCreditNumbers } from './credits.repo';
import { existingInvoiceNumbers } from './invoices.repo';
import {
  creditRowCheck,
  customerNumberOf,
  customerRowCheck,
  invoiceRowCheck,
  readHeader,
  type CreditImportRow,
  type CustomerImportRow,
  type HeaderIndex,
  type ImportError,
  type ImportKind,
  type InvoiceImportRow,
  type RowCheck,
  type RowFacts,
} from './import.rules';
import { addCounts, insertAudit, withIndexesBuiltAfter, withLargeCache, writeRows, type ImportCounts, type ImportWriteContext } from './import.repo';
import { postingTime } from './posting';

export type { ImportCounts } from './import.repo';

export type ImportResult = { ok: true; counts: ImportCounts } | { ok: false; errors: ImportError[] };

/** How far an import is: `rows` data rows read and checked (first pass) or written (second pass) of `total` (known once checked). */
export interface ImportProgress {
  phase: 'checking' | 'writing';
  rows: number;
  total: number | null;
}

export interface ImportOptions {
  /** Where the rows came from (a file name), for the audit log. */
  source?: string;
  /** Called after each batch of rows checked and of rows written, with growing counts. */
  onProgress?: (progress: ImportProgress) => void;
}

/** The CSV text, read from the start each time it is called (the file is read twice and never held whole). */
type TextSource = () => AsyncIterable<string>;

/** Rows checked, looked up and written together. */
const RECORDS_PER_BATCH = 2000;

type AnyRow = CustomerImportRow | InvoiceImportRow | CreditImportRow;

class CsvRefused extends Error {
  constructor(readonly refusal: ImportError) {
    super(refusal.message);
  }
}

/** The file's records in batches, the header first; a CSV problem ends it with CsvRefused. Every piece of text goes into `hash`. */
async function* recordBatches(source: TextSource, hash: Hash): AsyncGenerator<CsvRecord[]> {
  const reader = new CsvReader();
  let batch: CsvRecord[] = [];
  for await (const text of source()) {
    hash.update(text);
    const r = reader.feed(text);
    if (!r.ok) throw new CsvRefused({ line: r.line, message: r.message });
    for (const record of r.records) {
      batch.push(record);
      if (batch.length === RECORDS_PER_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  const tail = reader.finish();
  if (!tail.ok) throw new CsvRefused({ line: tail.line, message: tail.message });
  yield [...batch, ...tail.records];
}

/** A data row of the file: spreadsheets often save trailing rows of bare commas, which hold nothing to import. */
const holdsData = (r: CsvRecord) => r.fields.some((f) => f.trim().length > 0);

function rowCheckFor(kind: ImportKind, index: HeaderIndex): RowCheck<AnyRow> {
  return kind === 'customers' ? customerRowCheck(index) : kind === 'invoices' ? invoiceRowCheck(index) : creditRowCheck(index);
}

/**
 * What the checks of a batch read from the ledger: which of its numbers are taken and which of its
 * customers exist. `known` keeps the customers found so far, so each is looked up once a pass.
 */
async function factsFor(db: Db, kind: ImportKind, records: readonly CsvRecord[], index: HeaderIndex, known: Map<string, CustomerKey>): Promise<RowFacts> {
  const customerNumbers = records.map((r) => customerNumberOf(r, index));
  if (kind === 'customers') return { customers: known, taken: new Set((await customersByNumbers(db, customerNumbers)).keys()) };
  for (const [n, c] of await customersByNumbers(db, customerNumbers.filter((n) => !known.has(n)))) known.set(n, c);
  const numbers = records.map((r) => (r.fields[index.get(kind === 'invoices' ? 'invoice_number' : 'credit_number')!] ?? '').trim());
  const taken = kind === 'invoices' ? await existingInvoiceNumbers(db, numbers) : await existingCreditNumbers(db, numbers);
  return { customers: known, taken };
}

/** One pass over the file: the header read, then every data row checked against the ledger and handed to `each`. */
interface Pass {
  index: HeaderIndex;
  rows: number;
  errors: ImportError[];
  digest: string;
}

async function passOver(
  db: Db,
  kind: ImportKind,
  source: TextSource,
  each: (rows: AnyRow[], records: number, errorsSoFar: number) => Promise<void>,
  known: Map<string, CustomerKey>,
): Promise<{ ok: true; pass: Pass } | { ok: false; errors: ImportError[] }> {
  const hash = createHash('sha256');
  let index: HeaderIndex | null = null;
  let headerErrors: ImportError[] | null = null;
  let check: RowCheck<AnyRow> | null = null;
  const errors: ImportError[] = [];
  let rows = 0;
  try {
    for await (const batch of recordBatches(source, hash)) {
      let records = batch;
      if (index === null && headerErrors === null) {
        const header = readHeader(kind, records[0]);
        if (!header.ok) headerErrors = header.errors;
        else {
          index = header.index;
          check = rowCheckFor(kind, index);
        }
        records = records.slice(1);
      }
      // A bad header refuses the file; it is still read to the end, as a CSV problem anywhere is told first.
      if (index === null || check === null) continue;
      records = records.filter(holdsData);
      const r = check(records, await factsFor(db, kind, records, index, known));
      for (const e of r.errors) errors.push(e);
      rows += r.rows.length;
      await each(r.rows, records.length, errors.length);
    }
  } catch (e) {
    if (e instanceof CsvRefused) return { ok: false, errors: [e.refusal] };
    throw e;
  }
  if (headerErrors) return { ok: false, errors: headerErrors };
  if (index === null) {
    const empty = readHeader(kind, undefined);
    return { ok: false, errors: empty.ok ? [] : empty.errors };
  }
  return { ok: true, pass: { index, rows, errors, digest: hash.digest('hex') } };
}

/** How long the writes of a checked file may hold the ledger, told to a clerk refused meanwhile. Generous. */
function expectedWriteMs(kind: ImportKind, rows: number): number {
  const perRowMs = kind === 'invoices' ? 0.4 : kind === 'customers' ? 0.3 : 0.15;
  return 1000 + rows * perRowMs;
}

/** Ends the write transaction without writing anything, carrying why. */
class WritesRefused extends Error {
  constructor(readonly errors: ImportError[]) {
    super('import refused');
  }
}

export function createImportService(deps: CoreDeps) {
  const db = deps.ledger.db;

  /**
   * All or nothing, in two passes over the file, so that it is never held whole. The first checks
   * every row (against the file and the ledger) without holding the ledger, keeping only what the
   * checks across rows need (the numbers seen, the customers found); any bad row means nothing is
   * written and every bad row comes back with its line. The second reads the file again inside one
   * transaction, checks each batch again against the ledger as it is now, and writes it, with one
   * 'import' audit entry for the file and one per entity; a row refused now (the ledger changed
   * between the passes) or a file changed since the first pass rolls everything back.
   *
   * Clerks keep working during the first pass; the writes are announced first (write-failure.ts), so
   * that a payment that cannot wait for them is refused saying for how long the ledger is busy importing.
   */
  async function importFrom(kind: ImportKind, source: TextSource, actor: string, options: ImportOptions): Promise<ImportResult> {
    const progress = options.onProgress ?? (() => undefined);
    let checked = 0;
    const customers = new Map<string, CustomerKey>();
    let paid = 0;
    const first = await passOver(
      db,
      kind,
      source,
      async (rows, records) => {
        if (kind === 'invoices') paid += (rows as InvoiceImportRow[]).filter((r) => r.paidCents > 0).length;
        progress({ phase: 'checking', rows: (checked += records), total: null });
      },
      customers,
    );
    if (!first.ok) return first;
    if (first.pass.errors.length > 0) return { ok: false, errors: first.pass.errors };
    const total = first.pass.rows;

    const time = postingTime(deps);
    const ctx: ImportWriteContext = { actor, time, sqlite: deps.ledger.dialect === 'sqlite' ? deps.ledger.sqlite : null };
    await announceImport(db, Date.now() + expectedWriteMs(kind, total));
    try {
      return await withLargeCache(ctx.sqlite, () => writeTx(db, async (trx): Promise<ImportResult> => {
        // A write first: from here the transaction holds the write lock and reads the latest ledger.
        await importDone(trx);
        // The file's rows are one change (noted in finish), not one per payment and application written.
        await pauseRowChanges(trx);
        // On PostgreSQL, the customers the file touches are locked (in id order) so no payment moves their money meanwhile.
        await lockCustomers(trx, [...customers.values()].map((c) => c.id));
        let counts: ImportCounts = { kind, rows: 0, amountCents: 0, paidCents: 0, payments: 0 };
        // A large file's invoices, payments and audit rows: their tables' indexes built once after the writes (SQLite).
        const adding: Record<string, number> = kind === 'invoices' ? { invoices: total, payments: paid, applications: paid, audit_log: total } : {};
        await withIndexesBuiltAfter(ctx.sqlite, adding, async () => {
          const second = await passOver(
            trx,
            kind,
            source,
            async (rows, _records, errorsSoFar) => {
              if (errorsSoFar > 0) return;
              counts = addCounts(counts, await writeRows(trx, kind, rows, ctx));
              progress({ phase: 'writing', rows: counts.rows, total });
            },
            new Map(),
          );
          if (!second.ok || second.pass.digest !== first.pass.digest) {
            throw new AppError('CONFLICT', 'The file changed while it was being imported; nothing was imported. Import it again.', { reason: 'file-changed' });
          }
          if (second.pass.errors.length > 0) throw new WritesRefused(second.pass.errors);
        });
        await finish(trx, counts, ctx, options);
        return { ok: true, counts };
      }));
    } catch (e) {
      await importDone(db).catch(() => undefined);
      if (e instanceof WritesRefused) return { ok: false, errors: e.errors };
      if (ledgerWriteFailure(e) === 'busy') {
        throw new AppError('BUSY', 'The ledger is busy (another program is writing to it); nothing was imported. Import the file again in a few seconds.', {
          reason: 'ledger-busy',
        });
      }
      throw e;
    }
  }

  return {
    /** Imports CSV text held in memory. */
    importCsv(kind: ImportKind, text: string, actor: string, options: ImportOptions = {}): Promise<ImportResult> {
      return importFrom(kind, async function* () { yield text; }, actor, options);
    },
    /** Imports a CSV file (UTF-8), streamed: it is read twice and never held in memory whole. */
    importCsvFile(kind: ImportKind, file: string, actor: string, options: ImportOptions = {}): Promise<ImportResult> {
      return importFrom(kind, () => fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), actor, options);
    },
  };
}

async function finish(trx: Tx, counts: ImportCounts, ctx: ImportWriteContext, options: ImportOptions): Promise<void> {
  // The invoices' INSERTs have no trigger, and the payments' and applications' note nothing while
  // paused (an import adds thousands): one change for the whole file.
  await resumeRowChanges(trx);
  await noteChange(trx, { entity: 'import', entityId: 0, customerId: null });
  await insertAudit(trx, [
    {
      at: ctx.time.at,
      actor: ctx.actor,
      action: 'import',
      entity: 'import',
      entity_id: options.source ?? counts.kind,
      summary: JSON.stringify({ ...counts, source: options.source ?? null }),
    },
  ]);
}

export type ImportService = ReturnType<typeof createImportService>;
