/**
 * The writes of an import, a batch of checked rows at a time, inside the import's one transaction.
 * On SQLite the invoices (the file that may hold a million rows) go through statements prepared once
 * on the raw connection, which runs inside that same transaction: building and preparing a Kysely
 * multi-row INSERT per batch costs more than the writes themselves, and one statement a row costs
 * far more again on a table with a trigger. Elsewhere, Kysely's multi-row INSERTs.
 */
import type Database from 'better-sqlite3';
import type { Tx } from '../db/types';
import { raiseCounterPast } from './counters.repo';
import { customerColumns, customerNameWordRows } from './customers.rules';
import type { CreditImportRow, CustomerImportRow, ImportKind, InvoiceImportRow } from './import.rules';
import type { PostingTime } from './posting';

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

export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return { kind: a.kind, rows: a.rows + b.rows, amountCents: a.amountCents + b.amountCents, paidCents: a.paidCents + b.paidCents, payments: a.payments + b.payments };
}

/** Who writes and when, and on SQLite the raw connection the transaction runs on. */
export interface ImportWriteContext {
  actor: string;
  time: PostingTime;
  sqlite: Database.Database | null;
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
  ctx: ImportWriteContext,
  action: string,
  entity: string,
  describe: (row: T) => [string, Record<string, unknown>],
): AuditRow[] {
  return rows.map((row) => {
    const [id, summary] = describe(row);
    return { at: ctx.time.at, actor: ctx.actor, action, entity, entity_id: id, summary: JSON.stringify(summary) };
  });
}

export async function insertAudit(trx: Tx, rows: AuditRow[], sqlite: Database.Database | null = null): Promise<void> {
  if (sqlite && rows.length > 0) {
    sqliteInserter(sqlite, 'audit_log', rows[0]!, false)(rows);
    return;
  }
  for (const batch of chunks(rows)) await trx.insertInto('audit_log').values(batch).execute();
}

/** Runs `fn` with a bigger SQLite page cache (128 MB) for the one large transaction (a million rows and their indexes), put back afterwards. */
export async function withLargeCache<T>(sqlite: Database.Database | null, fn: () => Promise<T>): Promise<T> {
  if (!sqlite) return fn();
  const previous = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -131072');
  try {
    return await fn();
  } finally {
    sqlite.pragma(`cache_size = ${previous}`);
  }
}

/** Below this many rows an import adds to a table, its indexes are kept as they are (withIndexesBuiltAfter). */
const REBUILD_FROM_ROWS = 50_000;

/**
 * On SQLite, for each table that an import at least doubles (`adding`: rows it will add, at least
 * REBUILD_FROM_ROWS), its non-unique indexes are dropped before `fn` writes and created again, from
 * their own CREATE INDEX text, after it: building an index from the finished table sorts it once,
 * where a million multi-row INSERTs update half a dozen indexes at pages all over them. It runs
 * inside the import's transaction: other connections never see a table without its indexes, and if
 * `fn` fails the rollback puts them back. Unique indexes and constraints stay, checking every row.
 */
export async function withIndexesBuiltAfter<T>(
  sqlite: Database.Database | null,
  adding: Record<string, number>,
  fn: () => Promise<T>,
  fromRows = REBUILD_FROM_ROWS,
): Promise<T> {
  if (!sqlite) return fn();
  const dropped: { name: string; sql: string }[] = [];
  for (const [table, rows] of Object.entries(adding)) {
    if (rows < fromRows || rows < (sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number)) continue;
    const indexes = sqlite
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`)
      .all(table) as { name: string; sql: string }[];
    for (const index of indexes) {
      sqlite.exec(`DROP INDEX "${index.name}"`);
      dropped.push(index);
    }
  }
  const result = await fn();
  for (const index of dropped) sqlite.exec(index.sql);
  return result;
}

const ROWS_PER_STATEMENT = 100;
const preparedInserts = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * INSERTs of up to ROWS_PER_STATEMENT rows a statement, with the columns of `shape`, on SQLite's raw
 * connection; the statements are prepared once per connection. With `returningIds`, the new rows'
 * ids, checked to be consecutive (handed out in VALUES order inside the write transaction), so the
 * first id and the row's position give each row's id.
 */
function sqliteInserter<T extends object>(sqlite: Database.Database, table: string, shape: T, returningIds: true): (rows: readonly T[]) => number[];
function sqliteInserter<T extends object>(sqlite: Database.Database, table: string, shape: T, returningIds: false): (rows: readonly T[]) => void;
function sqliteInserter<T extends object>(sqlite: Database.Database, table: string, shape: T, returningIds: boolean) {
  const columns = Object.keys(shape) as (keyof T)[];
  const cache = preparedInserts.get(sqlite) ?? new Map<string, Database.Statement>();
  preparedInserts.set(sqlite, cache);
  const statementFor = (n: number): Database.Statement => {
    const one = `(${columns.map(() => '?').join(', ')})`;
    const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => one).join(', ')}${returningIds ? ' RETURNING id' : ''}`;
    let statement = cache.get(text);
    if (!statement) cache.set(text, (statement = returningIds ? sqlite.prepare(text).pluck() : sqlite.prepare(text)));
    return statement;
  };
  return (rows: readonly T[]) => {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const part = rows.slice(i, i + ROWS_PER_STATEMENT);
      const values = part.flatMap((row) => columns.map((c) => row[c]));
      if (!returningIds) {
        statementFor(part.length).run(values);
        continue;
      }
      const first = firstOfConsecutive(statementFor(part.length).all(values) as number[], part.length);
      for (let k = 0; k < part.length; k++) ids.push(first + k);
    }
    return returningIds ? ids : undefined;
  };
}

/** The first of the ids a multi-row INSERT handed out, refusing to go on unless they are `count` consecutive ones. */
function firstOfConsecutive(ids: number[], count: number): number {
  const sorted = [...ids].sort((a, b) => a - b);
  const first = sorted[0]!;
  if (sorted.length !== count || sorted[sorted.length - 1]! - first !== count - 1) {
    throw new Error('imported rows did not receive consecutive ids; nothing was imported');
  }
  return first;
}

export async function writeRows(
  trx: Tx,
  kind: ImportKind,
  rows: readonly (CustomerImportRow | InvoiceImportRow | CreditImportRow)[],
  ctx: ImportWriteContext,
): Promise<ImportCounts> {
  if (kind === 'customers') {
    await writeCustomers(trx, rows as CustomerImportRow[], ctx);
    return { kind, rows: rows.length, amountCents: 0, paidCents: 0, payments: 0 };
  }
  return kind === 'invoices' ? writeInvoices(trx, rows as InvoiceImportRow[], ctx) : writeCredits(trx, rows as CreditImportRow[], ctx);
}

async function writeCustomers(trx: Tx, rows: CustomerImportRow[], ctx: ImportWriteContext): Promise<void> {
  const ids = new Map<string, number>();
  for (const batch of chunks(rows, 200)) {
    const inserted = await trx
      .insertInto('customers')
      .values(batch.map((r) => ({ ...customerColumns(r.draft), created_at: ctx.time.at, updated_at: ctx.time.at })))
      .returning(['id', 'customer_number'])
      .execute();
    for (const r of inserted) ids.set(r.customer_number, r.id);
  }
  // The autopay column: on with the importing person's consent recorded as 'import', charging the default method on file.
  const autopay = rows.filter((r) => r.autopay !== undefined);
  for (const batch of chunks(autopay, 500)) {
    await trx
      .insertInto('autopay_settings')
      .values(
        batch.map((r) => ({
          customer_id: ids.get(r.draft.customerNumber)!,
          enabled: r.autopay ? 1 : 0,
          payment_method_id: null,
          consent_via: r.autopay ? ('import' as const) : null,
          consent_by: r.autopay ? ctx.actor : null,
          consent_at: r.autopay ? ctx.time.at : null,
          updated_at: ctx.time.at,
          updated_by: ctx.actor,
        })),
      )
      .execute();
  }
  const words = rows.flatMap((r) => customerNameWordRows(ids.get(r.draft.customerNumber)!, r.draft));
  for (const batch of chunks(words, 2000)) await trx.insertInto('customer_name_words').values(batch).execute();
  await insertAudit(
    trx,
    auditRowsFor(rows, ctx, 'customer.import', 'customer', (r) => [r.draft.customerNumber, { legalName: r.draft.legalName, ...(r.autopay !== undefined ? { autopay: r.autopay } : {}) }]),
  );
}

const invoiceValues = (r: InvoiceImportRow, ctx: ImportWriteContext) => ({
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
  created_at: ctx.time.at,
  created_by: ctx.actor,
});

// The imported amount is already tax-inclusive: one untaxed line carries it.
const lineValues = (r: InvoiceImportRow, invoiceId: number) => ({
  invoice_id: invoiceId,
  line_no: 1,
  description: r.description,
  quantity: 1,
  unit_price_cents: r.amountCents,
  amount_cents: r.amountCents,
  taxable: 0,
});

// Money received before the import: a captured payment of kind 'import' and its application per
// invoice, dated the issue date (the real date is unknown; never later than today).
const receivedOn = (r: InvoiceImportRow, ctx: ImportWriteContext) => (r.issueDate < ctx.time.businessDate ? r.issueDate : ctx.time.businessDate);

const paymentValues = (r: InvoiceImportRow, ctx: ImportWriteContext) => ({
  customer_id: r.customerId,
  kind: 'import' as const,
  status: 'captured' as const,
  amount_cents: r.paidCents,
  received_on: receivedOn(r, ctx),
  created_at: ctx.time.at,
  created_by: ctx.actor,
  settled_at: ctx.time.at,
});

const applicationValues = (r: InvoiceImportRow, invoiceId: number, paymentId: number, ctx: ImportWriteContext) => ({
  invoice_id: invoiceId,
  customer_id: r.customerId,
  source: 'payment' as const,
  payment_id: paymentId,
  credit_id: null,
  amount_cents: r.paidCents,
  reverses_id: null,
  applied_on: receivedOn(r, ctx),
  reason: 'received before import',
  created_at: ctx.time.at,
  created_by: ctx.actor,
});

async function writeInvoices(trx: Tx, rows: InvoiceImportRow[], ctx: ImportWriteContext): Promise<ImportCounts> {
  const paid = rows.filter((r) => r.paidCents > 0);
  if (ctx.sqlite) writeInvoicesSqlite(ctx.sqlite, rows, paid, ctx);
  else await writeInvoicesInBatches(trx, rows, paid, ctx);
  await raiseCounterPast(trx, 'invoice', rows.map((r) => r.invoiceNumber));
  await insertAudit(
    trx,
    auditRowsFor(rows, ctx, 'invoice.import', 'invoice', (r) => [
      r.invoiceNumber,
      { customerNumber: r.customerNumber, totalCents: r.amountCents, paidCents: r.paidCents },
    ]),
    ctx.sqlite,
  );
  return {
    kind: 'invoices',
    rows: rows.length,
    amountCents: rows.reduce((s, r) => s + r.amountCents, 0),
    paidCents: paid.reduce((s, r) => s + r.paidCents, 0),
    payments: paid.length,
  };
}

function writeInvoicesSqlite(sqlite: Database.Database, rows: InvoiceImportRow[], paid: InvoiceImportRow[], ctx: ImportWriteContext): void {
  if (rows.length === 0) return;
  const invoices = rows.map((r) => invoiceValues(r, ctx));
  const invoiceIds = sqliteInserter(sqlite, 'invoices', invoices[0]!, true)(invoices);
  const ids = new Map(rows.map((r, i) => [r.invoiceNumber, invoiceIds[i]!]));
  const lines = rows.map((r) => lineValues(r, ids.get(r.invoiceNumber)!));
  sqliteInserter(sqlite, 'invoice_lines', lines[0]!, false)(lines);
  if (paid.length === 0) return;
  const payments = paid.map((r) => paymentValues(r, ctx));
  const paymentIds = sqliteInserter(sqlite, 'payments', payments[0]!, true)(payments);
  const applications = paid.map((r, i) => applicationValues(r, ids.get(r.invoiceNumber)!, paymentIds[i]!, ctx));
  sqliteInserter(sqlite, 'applications', applications[0]!, false)(applications);
}

async function writeInvoicesInBatches(trx: Tx, rows: InvoiceImportRow[], paid: InvoiceImportRow[], ctx: ImportWriteContext): Promise<void> {
  const ids = new Map<string, number>();
  for (const batch of chunks(rows)) {
    const inserted = await trx
      .insertInto('invoices')
      .values(batch.map((r) => invoiceValues(r, ctx)))
      .returning(['id', 'invoice_number'])
      .execute();
    for (const r of inserted) ids.set(r.invoice_number, r.id);
  }
  for (const batch of chunks(rows)) {
    await trx
      .insertInto('invoice_lines')
      .values(batch.map((r) => lineValues(r, ids.get(r.invoiceNumber)!)))
      .execute();
  }
  for (const batch of chunks(paid)) {
    const inserted = await trx
      .insertInto('payments')
      .values(batch.map((r) => paymentValues(r, ctx)))
      .returning('id')
      .execute();
    // Ids of one multi-row INSERT are handed out in VALUES order inside our write transaction;
    // the check below refuses to post anything if that ever did not hold.
    const first = firstOfConsecutive(inserted.map((r) => r.id), batch.length);
    await trx
      .insertInto('applications')
      .values(batch.map((r, i) => applicationValues(r, ids.get(r.invoiceNumber)!, first + i, ctx)))
      .execute();
  }
}

async function writeCredits(trx: Tx, rows: CreditImportRow[], ctx: ImportWriteContext): Promise<ImportCounts> {
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
          created_at: ctx.time.at,
          created_by: ctx.actor,
        })),
      )
      .execute();
  }
  await raiseCounterPast(trx, 'credit', rows.map((r) => r.creditNumber));
  await insertAudit(
    trx,
    auditRowsFor(rows, ctx, 'credit.import', 'credit', (r) => [r.creditNumber, { customerNumber: r.customerNumber, amountCents: r.amountCents }]),
  );
  return { kind: 'credits', rows: rows.length, amountCents: rows.reduce((s, r) => s + r.amountCents, 0), paidCents: 0, payments: 0 };
}
