import { AppError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { Db, Tx } from '../db/types';
import { announceImport, importDone, ledgerWriteFailure } from '../db/write-failure';
import { noteChange } from '../db/change-log';
import { raiseCounterPast } from './counters.repo';
import { parseCsv, type CsvRecord } from './csv.rules';
import { customerColumns, customerNameWords } from './customers.rules';
import { customersByNumbers, type CustomerKey } from './customers.repo';
import { existingCreditNumbers } from './credits.repo';
import { existingInvoiceNumbers } from './invoices.repo';
import {
  checkCreditRows,
  checkCustomerRows,
  checkInvoiceRows,
  customerNumberOf,
  readHeader,
  type CreditImportRow,
  type CustomerImportRow,
  type HeaderIndex,
  type ImportError,
  type ImportKind,
  type InvoiceImportRow,
} from './import.rules';
import { postingTime, type PostingTime } from './posting';
import { writeTx } from '../db/dialect';
import { lockCustomers } from '../db/dialect';

export interface ImportCounts {
  kind: ImportKind;
  /** Data rows written: customers, invoices or credits. */
  rows: number;
  /** Sum of invoice or credit amounts (0 for customers). */
  amountCents: number;
  /** Invoices: money received before the import, recorded as payments (kind 'import'). */
  paidCents: number;
  payments: number;
}

export type ImportResult = { ok: true; counts: ImportCounts } | { ok: false; errors: ImportError[] };

export interface ImportOptions {
  /** Where the rows came from (a file name), for the audit log. */
  source?: string;
}

// Multi-row INSERTs stay well under SQLite's limit of bound parameters per statement.
const BATCH = 400;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type AuditRow = { at: string; actor: string; action: string; entity: string; entity_id: string; summary: string };

function auditRowsFor<T>(
  rows: readonly T[],
  time: PostingTime,
  actor: string,
  action: string,
  entity: string,
  describe: (row: T) => [string, Record<string, unknown>],
): AuditRow[] {
  return rows.map((row) => {
    const [id, summary] = describe(row);
    return { at: time.at, actor, action, entity, entity_id: id, summary: JSON.stringify(summary) };
  });
}

async function insertAudit(trx: Tx, rows: AuditRow[]): Promise<void> {
  for (const batch of chunks(rows)) await trx.insertInto('audit_log').values(batch).execute();
}

/** What the checks of a file read from the ledger: which of its numbers are taken, and which of its customers exist. */
interface LedgerFacts {
  taken: Set<string>;
  customers: Map<string, CustomerKey>;
}

async function ledgerFacts(db: Db, kind: ImportKind, records: readonly CsvRecord[], index: HeaderIndex): Promise<LedgerFacts> {
  const customers = await customersByNumbers(db, records.map((r) => customerNumberOf(r, index)));
  if (kind === 'customers') return { taken: new Set(customers.keys()), customers };
  const numbers = records.map((r) => (r.fields[index.get(kind === 'invoices' ? 'invoice_number' : 'credit_number')!] ?? '').trim());
  const taken = kind === 'invoices' ? await existingInvoiceNumbers(db, numbers) : await existingCreditNumbers(db, numbers);
  return { taken, customers };
}

function sameFacts(a: LedgerFacts, b: LedgerFacts): boolean {
  if (a.taken.size !== b.taken.size || a.customers.size !== b.customers.size) return false;
  for (const n of a.taken) if (!b.taken.has(n)) return false;
  for (const [n, c] of a.customers) if (b.customers.get(n)?.id !== c.id) return false;
  return true;
}

type CheckedFile =
  | { ok: true; kind: 'customers'; rows: CustomerImportRow[] }
  | { ok: true; kind: 'invoices'; rows: InvoiceImportRow[] }
  | { ok: true; kind: 'credits'; rows: CreditImportRow[] }
  | { ok: false; errors: ImportError[] };

function checkFile(kind: ImportKind, records: readonly CsvRecord[], index: HeaderIndex, facts: LedgerFacts): CheckedFile {
  if (kind === 'customers') {
    const r = checkCustomerRows(records, index, facts.taken);
    return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, kind, rows: r.rows };
  }
  if (kind === 'invoices') {
    const r = checkInvoiceRows(records, index, facts.customers, facts.taken);
    return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, kind, rows: r.rows };
  }
  const r = checkCreditRows(records, index, facts.customers, facts.taken);
  return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, kind, rows: r.rows };
}

/** How long the writes of a checked file may hold the ledger, told to a clerk refused meanwhile. Generous. */
function expectedWriteMs(file: Extract<CheckedFile, { ok: true }>): number {
  const perRowMs = file.kind === 'invoices' ? 0.4 : file.kind === 'customers' ? 0.3 : 0.15;
  return 1000 + file.rows.length * perRowMs;
}

async function writeFile(trx: Tx, file: Extract<CheckedFile, { ok: true }>, actor: string, time: PostingTime): Promise<ImportCounts> {
  if (file.kind === 'customers') {
    await writeCustomers(trx, file.rows, actor, time);
    return { kind: 'customers', rows: file.rows.length, amountCents: 0, paidCents: 0, payments: 0 };
  }
  return file.kind === 'invoices' ? writeInvoices(trx, file.rows, actor, time) : writeCredits(trx, file.rows, actor, time);
}

export function createImportService(deps: CoreDeps) {
  const db = deps.ledger.db;

  /**
   * All or nothing: every row is checked first (against the file and the ledger); any bad row
   * means nothing is written and every bad row comes back with its line. Otherwise all rows are
   * written in one transaction with one 'import' audit entry for the file and one per entity.
   *
   * Clerks keep working meanwhile: the file is read and checked without holding SQLite's write
   * lock, so only the writes hold it. They are announced first (write-failure.ts), so that a
   * payment that cannot wait for them is refused saying for how long the ledger is busy importing.
   */
  async function importCsv(kind: ImportKind, text: string, actor: string, options: ImportOptions = {}): Promise<ImportResult> {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { ok: false, errors: [{ line: parsed.line, message: parsed.message }] };
    const [headerRecord, ...allRecords] = parsed.records;
    // Spreadsheets often save trailing rows of bare commas; they hold nothing to import.
    const records = allRecords.filter((r) => r.fields.some((f) => f.trim().length > 0));
    const header = readHeader(kind, headerRecord);
    if (!header.ok) return { ok: false, errors: header.errors };

    const facts = await ledgerFacts(db, kind, records, header.index);
    const checked = checkFile(kind, records, header.index, facts);
    if (!checked.ok) return { ok: false, errors: checked.errors };

    const time = postingTime(deps);
    await announceImport(db, Date.now() + expectedWriteMs(checked));
    try {
      return await writeTx(db, async (trx): Promise<ImportResult> => {
        // A write first: from here the transaction holds the write lock and reads the latest ledger.
        await importDone(trx);
        // Nothing may slip in between the check and the write: what the check read of the ledger is
        // read again (indexed look-ups only), and the file is checked again if it changed.
        // On PostgreSQL, the customers the file touches are locked (in id order) so no payment moves their money meanwhile.
        await lockCustomers(trx, [...facts.customers.values()].map((c) => c.id));
        const now = await ledgerFacts(trx, kind, records, header.index);
        const file = sameFacts(facts, now) ? checked : checkFile(kind, records, header.index, now);
        if (!file.ok) return { ok: false, errors: file.errors };
        return finish(trx, kind, await writeFile(trx, file, actor, time), actor, time, options);
      });
    } catch (e) {
      await importDone(db).catch(() => undefined);
      if (ledgerWriteFailure(e) === 'busy') {
        throw new AppError('BUSY', 'The ledger is busy (another program is writing to it); nothing was imported. Import the file again in a few seconds.', {
          reason: 'ledger-busy',
        });
      }
      throw e;
    }
  }

  return { importCsv };
}

async function finish(
  trx: Tx,
  kind: ImportKind,
  counts: ImportCounts,
  actor: string,
  time: PostingTime,
  options: ImportOptions,
): Promise<ImportResult> {
  // The invoices' INSERTs have no trigger (an import adds thousands): one change for the whole file.
  await noteChange(trx, { entity: 'import', entityId: 0, customerId: null });
  await insertAudit(trx, [
    {
      at: time.at,
      actor,
      action: 'import',
      entity: 'import',
      entity_id: options.source ?? kind,
      summary: JSON.stringify({ ...counts, source: options.source ?? null }),
    },
  ]);
  return { ok: true, counts };
}

async function writeCustomers(trx: Tx, rows: CustomerImportRow[], actor: string, time: PostingTime): Promise<void> {
  const ids = new Map<string, number>();
  for (const batch of chunks(rows, 200)) {
    const inserted = await trx
      .insertInto('customers')
      .values(batch.map((r) => ({ ...customerColumns(r.draft), created_at: time.at, updated_at: time.at })))
      .returning(['id', 'customer_number'])
      .execute();
    for (const r of inserted) ids.set(r.customer_number, r.id);
  }
  const words = rows.flatMap((r) => customerNameWords(r.draft).map((word) => ({ word, customer_id: ids.get(r.draft.customerNumber)! })));
  for (const batch of chunks(words, 2000)) await trx.insertInto('customer_name_words').values(batch).execute();
  await insertAudit(
    trx,
    auditRowsFor(rows, time, actor, 'customer.import', 'customer', (r) => [r.draft.customerNumber, { legalName: r.draft.legalName }]),
  );
}

async function writeInvoices(trx: Tx, rows: InvoiceImportRow[], actor: string, time: PostingTime): Promise<ImportCounts> {
  const ids = new Map<string, number>();
  for (const batch of chunks(rows)) {
    const inserted = await trx
      .insertInto('invoices')
      .values(
        batch.map((r) => ({
          invoice_number: r.invoiceNumber,
          customer_id: r.customerId,
          issue_date: r.issueDate,
          due_date: r.dueDate,
          period_start: r.periodStart,
          period_end: r.periodEnd,
          tax_rate_bp: 0,
          subtotal_cents: r.amountCents,
          tax_cents: 0,
          total_cents: r.amountCents,
          status: r.amountCents - r.paidCents === 0 ? ('paid' as const) : ('open' as const),
          created_at: time.at,
          created_by: actor,
        })),
      )
      .returning(['id', 'invoice_number'])
      .execute();
    for (const r of inserted) ids.set(r.invoice_number, r.id);
  }
  // The imported amount is already tax-inclusive: one untaxed line carries it.
  for (const batch of chunks(rows)) {
    await trx
      .insertInto('invoice_lines')
      .values(
        batch.map((r) => ({
          invoice_id: ids.get(r.invoiceNumber)!,
          line_no: 1,
          description: r.description,
          quantity: 1,
          unit_price_cents: r.amountCents,
          amount_cents: r.amountCents,
          taxable: 0,
        })),
      )
      .execute();
  }

  // Money received before the import: a captured payment of kind 'import' and its application
  // per invoice, dated the issue date (the real date is unknown; never later than today).
  const paid = rows.filter((r) => r.paidCents > 0);
  const receivedOn = (r: InvoiceImportRow) => (r.issueDate < time.businessDate ? r.issueDate : time.businessDate);
  for (const batch of chunks(paid)) {
    const inserted = await trx
      .insertInto('payments')
      .values(
        batch.map((r) => ({
          customer_id: r.customerId,
          kind: 'import' as const,
          status: 'captured' as const,
          amount_cents: r.paidCents,
          received_on: receivedOn(r),
          created_at: time.at,
          created_by: actor,
          settled_at: time.at,
        })),
      )
      .returning('id')
      .execute();
    // Rowids of one multi-row INSERT are handed out in VALUES order inside our write transaction;
    // the check below refuses to post anything if that ever did not hold.
    const paymentIds = inserted.map((r) => r.id).sort((a, b) => a - b);
    const first = paymentIds[0]!;
    if (paymentIds.length !== batch.length || paymentIds[paymentIds.length - 1]! - first !== batch.length - 1) {
      throw new Error('imported payments did not receive consecutive ids; nothing was imported');
    }
    await trx
      .insertInto('applications')
      .values(
        batch.map((r, i) => ({
          invoice_id: ids.get(r.invoiceNumber)!,
          customer_id: r.customerId,
          source: 'payment' as const,
          payment_id: first + i,
          credit_id: null,
          amount_cents: r.paidCents,
          reverses_id: null,
          applied_on: receivedOn(r),
          reason: 'received before import',
          created_at: time.at,
          created_by: actor,
        })),
      )
      .execute();
  }
  await raiseCounterPast(trx, 'invoice', rows.map((r) => r.invoiceNumber));
  await insertAudit(
    trx,
    auditRowsFor(rows, time, actor, 'invoice.import', 'invoice', (r) => [
      r.invoiceNumber,
      { customerNumber: r.customerNumber, totalCents: r.amountCents, paidCents: r.paidCents },
    ]),
  );
  return {
    kind: 'invoices',
    rows: rows.length,
    amountCents: rows.reduce((s, r) => s + r.amountCents, 0),
    paidCents: paid.reduce((s, r) => s + r.paidCents, 0),
    payments: paid.length,
  };
}

async function writeCredits(trx: Tx, rows: CreditImportRow[], actor: string, time: PostingTime): Promise<ImportCounts> {
  for (const batch of chunks(rows)) {
    await trx
      .insertInto('credit_memos')
      .values(
        batch.map((r) => ({
          credit_number: r.creditNumber,
          customer_id: r.customerId,
          issue_date: r.issueDate,
          amount_cents: r.amountCents,
          reason: r.reason,
          created_at: time.at,
          created_by: actor,
        })),
      )
      .execute();
  }
  await raiseCounterPast(trx, 'credit', rows.map((r) => r.creditNumber));
  await insertAudit(
    trx,
    auditRowsFor(rows, time, actor, 'credit.import', 'credit', (r) => [
      r.creditNumber,
      { customerNumber: r.customerNumber, amountCents: r.amountCents },
    ]),
  );
  return { kind: 'credits', rows: rows.length, amountCents: rows.reduce((s, r) => s + r.amountCents, 0), paidCents: 0, payments: 0 };
}

export type ImportService = ReturnType<typeof createImportService>;
