/**
 * Checking an import file row by row before anything is written. Pure: the service looks up
 * which numbers already exist and passes them in. Every bad row is reported, each with every
 * problem it has, named by its column, so the file can be fixed in one go.
 */
import { isIsoDate } from '../../shared/dates';
import { isAppError } from '../../shared/errors';
import { parseDollarsToCents } from '../../shared/money';
import { IMPORT_COLUMNS } from '../../shared/import-columns';
import {
  MAX_REASON_LENGTH,
  documentNumberProblem,
  normalizeCustomerNumber,
  textLengthProblem,
} from '../../shared/validation';
import type { CsvRecord } from './csv.rules';
import { customerProblems, draftFromCreateInput, type CustomerDraft } from './customers.rules';
import { MAX_LINE_DESCRIPTION } from './invoices.rules';

export type ImportKind = 'customers' | 'invoices' | 'credits';
export const IMPORT_KINDS: readonly ImportKind[] = ['customers', 'invoices', 'credits'];

export { IMPORT_COLUMNS };

export interface ImportError {
  line: number;
  message: string;
}

/** Column name -> position in the header. */
export type HeaderIndex = Map<string, number>;

export type HeaderResult = { ok: true; index: HeaderIndex } | { ok: false; errors: ImportError[] };

/** Column names are matched ignoring case and surrounding spaces; unknown, repeated and missing ones are refused. */
export function readHeader(kind: ImportKind, header: CsvRecord | undefined): HeaderResult {
  return readHeaderOf(kind, IMPORT_COLUMNS[kind], header);
}

/** The same for any import's columns (subscriptions are imported by the billing module). */
export function readHeaderOf(
  kind: string,
  columns: { required: readonly string[]; optional: readonly string[] },
  header: CsvRecord | undefined,
): HeaderResult {
  if (!header) return { ok: false, errors: [{ line: 1, message: 'the file is empty; the first line must name the columns' }] };
  const { required, optional } = columns;
  const known = new Set([...required, ...optional]);
  const index: HeaderIndex = new Map();
  const problems: string[] = [];
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) problems.push(`unknown column "${raw}"`);
    else if (index.has(name)) problems.push(`column ${name} appears twice`);
    else index.set(name, i);
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) problems.push(`missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (problems.length > 0) {
    return {
      ok: false,
      errors: [{ line: header.line, message: `${problems.join('; ')} (columns for ${kind}: ${[...required, ...optional].join(', ')})` }],
    };
  }
  return { ok: true, index };
}

/** One data row's cells by column name, trimmed; absent optional columns read as ''. */
export function cellsOf(record: CsvRecord, index: HeaderIndex): Map<string, string> {
  const cells = new Map<string, string>();
  for (const [name, i] of index) cells.set(name, (record.fields[i] ?? '').trim());
  return cells;
}

function fieldCountProblem(record: CsvRecord, index: HeaderIndex): string | null {
  return record.fields.length === index.size
    ? null
    : `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'} but the header has ${index.size}`;
}

function report(errors: ImportError[], line: number, problems: string[]): void {
  if (problems.length > 0) errors.push({ line, message: problems.join('; ') });
}

function requiredCell(cells: Map<string, string>, column: string, problems: string[]): string {
  const v = cells.get(column) ?? '';
  if (v.length === 0) problems.push(`${column} is missing`);
  return v;
}

function dateCell(cells: Map<string, string>, column: string, problems: string[], required: boolean): string | null {
  const v = cells.get(column) ?? '';
  if (v.length === 0) {
    if (required) problems.push(`${column} is missing`);
    return null;
  }
  if (!isIsoDate(v)) {
    problems.push(`${column} "${v}" is not a calendar date as YYYY-MM-DD`);
    return null;
  }
  return v;
}

function centsCell(
  cells: Map<string, string>,
  column: string,
  problems: string[],
  required: boolean,
): number | null {
  const v = cells.get(column) ?? '';
  if (v.length === 0) {
    if (required) problems.push(`${column} is missing`);
    return null;
  }
  try {
    return parseDollarsToCents(v, { field: column });
  } catch (e) {
    if (isAppError(e)) {
      problems.push(e.message);
      return null;
    }
    throw e;
  }
}

/**
 * A number that must be new: not in the ledger, and not earlier in the file (`seen` remembers the
 * line of the first, so a repeat names it).
 */
function checkNewNumber(
  what: string,
  number: string,
  existing: ReadonlySet<string>,
  seen: Map<string, number>,
  line: number,
  problems: string[],
): void {
  if (number.length === 0) return;
  if (existing.has(number)) problems.push(`${what} ${number} already exists in the ledger`);
  const first = seen.get(number);
  if (first !== undefined) problems.push(`${what} ${number} appears twice in the file (first on line ${first})`);
  else seen.set(number, line);
}

/** What the checks read from the ledger about the rows at hand: the file's customers that exist, and its numbers that are taken. */
export interface RowFacts {
  customers: ReadonlyMap<string, LedgerCustomer>;
  taken: ReadonlySet<string>;
}

/**
 * Checks a file's data rows, a batch at a time, remembering across batches what the checks of
 * repeats need (the numbers seen, with their lines): a row with the wrong number of fields, or with
 * any problem its check reports, becomes one error line; the others become rows.
 */
export type RowCheck<R> = (records: readonly CsvRecord[], facts: RowFacts) => { rows: R[]; errors: ImportError[] };

/** `checkRow` returns null exactly when it reported a problem. */
function rowCheck<R>(
  index: HeaderIndex,
  checkRow: (cells: Map<string, string>, line: number, problems: string[], facts: RowFacts) => R | null,
): RowCheck<R> {
  return (records, facts) => {
    const rows: R[] = [];
    const errors: ImportError[] = [];
    for (const record of records) {
      const countProblem = fieldCountProblem(record, index);
      if (countProblem) {
        report(errors, record.line, [countProblem]);
        continue;
      }
      const problems: string[] = [];
      const row = checkRow(cellsOf(record, index), record.line, problems, facts);
      if (problems.length > 0) report(errors, record.line, problems);
      else if (row !== null) rows.push(row);
    }
    return { rows, errors };
  };
}

// ---------------------------------------------------------------------------------------------
// Customers

export interface CustomerImportRow {
  line: number;
  draft: CustomerDraft;
  /** The optional autopay column: on (charging the default method on file) or off; undefined when left empty. */
  autopay?: boolean;
}

const CUSTOMER_FIELD_COLUMNS: Record<string, string> = {
  customerNumber: 'customer_number',
  legalName: 'legal_name',
  email: 'email',
  phone: 'phone',
  'address.line1': 'address_line1',
  'address.line2': 'address_line2',
  'address.city': 'city',
  'address.region': 'region',
  'address.postalCode': 'postal_code',
  'address.country': 'country',
  termsDays: 'terms_days',
};

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['', '0', 'false', 'no', 'n', 'f']);

export function customerNumberOf(record: CsvRecord, index: HeaderIndex): string {
  return normalizeCustomerNumber(record.fields[index.get('customer_number') ?? -1] ?? '');
}

export function customerRowCheck(index: HeaderIndex): RowCheck<CustomerImportRow> {
  const seen = new Map<string, number>();
  return rowCheck(index, (cells, line, problems, facts) => {
    const termsText = cells.get('terms_days') ?? '';
    let termsDays: number | undefined;
    if (termsText.length > 0) {
      if (/^[0-9]{1,6}$/.test(termsText)) termsDays = Number(termsText);
      else problems.push(`terms_days "${termsText}" is not a whole number of days`);
    }
    const taxText = (cells.get('tax_exempt') ?? '').toLowerCase();
    let taxExempt = false;
    if (TRUE_WORDS.has(taxText)) taxExempt = true;
    else if (!FALSE_WORDS.has(taxText)) problems.push(`tax_exempt "${cells.get('tax_exempt')}" is not yes/no, true/false or 1/0`);
    const autopayText = (cells.get('autopay') ?? '').trim().toLowerCase();
    let autopay: boolean | undefined;
    if (autopayText === 'true') autopay = true;
    else if (autopayText === 'false') autopay = false;
    else if (autopayText !== '') problems.push(`autopay "${cells.get('autopay')}" is not true or false`);

    const draft = draftFromCreateInput({
      customerNumber: cells.get('customer_number') ?? '',
      legalName: cells.get('legal_name') ?? '',
      email: cells.get('email'),
      phone: cells.get('phone'),
      address: {
        line1: cells.get('address_line1'),
        line2: cells.get('address_line2'),
        city: cells.get('city'),
        region: cells.get('region'),
        postalCode: cells.get('postal_code'),
        country: cells.get('country'),
      },
      termsDays,
      taxExempt,
    });
    for (const [field, problem] of Object.entries(customerProblems(draft))) {
      const column = CUSTOMER_FIELD_COLUMNS[field] ?? field;
      problems.push(`${column} ${problem === 'is required' ? 'is missing' : problem}`);
    }
    checkNewNumber('customer', draft.customerNumber, facts.taken, seen, line, problems);
    return problems.length > 0 ? null : { line, draft, ...(autopay !== undefined ? { autopay } : {}) };
  });
}

// ---------------------------------------------------------------------------------------------
// Invoices

export interface LedgerCustomer {
  id: number;
}

export interface InvoiceImportRow {
  line: number;
  invoiceNumber: string;
  customerId: number;
  customerNumber: string;
  issueDate: string;
  dueDate: string;
  amountCents: number;
  /** Money received before the import, 0 when none. */
  paidCents: number;
  description: string;
  periodStart: string | null;
  periodEnd: string | null;
}

export const IMPORTED_INVOICE_DESCRIPTION = 'Imported invoice';

function documentNumberCell(cells: Map<string, string>, column: string, problems: string[]): string {
  const v = requiredCell(cells, column, problems);
  if (v.length > 0) {
    const p = documentNumberProblem(v);
    if (p) problems.push(`${column} ${p}`);
  }
  return v;
}

function customerCell(
  cells: Map<string, string>,
  customers: ReadonlyMap<string, LedgerCustomer>,
  problems: string[],
): { number: string; customer: LedgerCustomer | undefined } {
  const number = normalizeCustomerNumber(requiredCell(cells, 'customer_number', problems));
  const customer = customers.get(number);
  if (number.length > 0 && !customer) problems.push(`customer ${number} is not in the ledger (import customers first)`);
  return { number, customer };
}

export function invoiceRowCheck(index: HeaderIndex): RowCheck<InvoiceImportRow> {
  const seen = new Map<string, number>();
  return rowCheck(index, (cells, line, problems, facts) => {
    const invoiceNumber = documentNumberCell(cells, 'invoice_number', problems);
    checkNewNumber('invoice', invoiceNumber, facts.taken, seen, line, problems);
    const { number: customerNumber, customer } = customerCell(cells, facts.customers, problems);
    const issueDate = dateCell(cells, 'issue_date', problems, true);
    const dueDate = dateCell(cells, 'due_date', problems, true);
    if (issueDate && dueDate && dueDate < issueDate) problems.push(`due_date ${dueDate} is before issue_date ${issueDate}`);
    const amountCents = centsCell(cells, 'amount', problems, true);
    const paidCents = centsCell(cells, 'amount_paid', problems, false) ?? 0;
    if (amountCents !== null && paidCents > amountCents) {
      problems.push(`amount_paid ${cells.get('amount_paid')} is more than the amount ${cells.get('amount')}`);
    }
    const description = cells.get('description') || IMPORTED_INVOICE_DESCRIPTION;
    const tooLong = textLengthProblem(description, MAX_LINE_DESCRIPTION);
    if (tooLong) problems.push(`description ${tooLong}`);
    const periodStart = dateCell(cells, 'period_start', problems, false);
    const periodEnd = dateCell(cells, 'period_end', problems, false);
    if (periodStart && periodEnd && periodEnd < periodStart) problems.push(`period_end ${periodEnd} is before period_start ${periodStart}`);

    if (problems.length > 0) return null;
    return {
      line,
      invoiceNumber,
      customerId: customer!.id,
      customerNumber,
      issueDate: issueDate!,
      dueDate: dueDate!,
      amountCents: amountCents!,
      paidCents,
      description,
      periodStart,
      periodEnd,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Credits

export interface CreditImportRow {
  line: number;
  creditNumber: string;
  customerId: number;
  customerNumber: string;
  issueDate: string;
  amountCents: number;
  reason: string;
}

export function creditRowCheck(index: HeaderIndex): RowCheck<CreditImportRow> {
  const seen = new Map<string, number>();
  return rowCheck(index, (cells, line, problems, facts) => {
    const creditNumber = documentNumberCell(cells, 'credit_number', problems);
    checkNewNumber('credit', creditNumber, facts.taken, seen, line, problems);
    const { number: customerNumber, customer } = customerCell(cells, facts.customers, problems);
    const issueDate = dateCell(cells, 'issue_date', problems, true);
    const amountCents = centsCell(cells, 'amount', problems, true);
    if (amountCents === 0) problems.push('amount must be more than 0.00');
    const reason = cells.get('reason') ?? '';
    const tooLong = textLengthProblem(reason, MAX_REASON_LENGTH);
    if (tooLong) problems.push(`reason ${tooLong}`);

    if (problems.length > 0) return null;
    return {
      line,
      creditNumber,
      customerId: customer!.id,
      customerNumber,
      issueDate: issueDate!,
      amountCents: amountCents!,
      reason,
    };
  });
}
