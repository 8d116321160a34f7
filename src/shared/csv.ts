/**
 * The one CSV writer, for every export (the aging screen's and the CLI's). RFC 4180 as
 * spreadsheets read it: a field is quoted when it holds the separator, a quote or a line break, a
 * quote inside is doubled, and every record ends with CRLF, the last one too.
 *
 * Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return as a formula. Every text cell that begins so is written
 * with a leading `'`, which the spreadsheet shows as text. Amounts are not text: an exporter
 * passes them as numberCell("-12.50"), which is written as it is so the spreadsheet reads a
 * negative number, and which accepts only a plain decimal, so no text can pass as a number.
 * No NUL byte is ever written.
 */

/** Comma, or semicolon for spreadsheets in comma-decimal locales. */
export type CsvSeparator = ',' | ';';

/** A cell known to be a number, written without the formula guard. Made only by numberCell. */
export interface CsvNumber {
  readonly csvNumber: string;
}

/** A text cell (a string, guarded) or a number cell. */
export type CsvCell = string | CsvNumber;

/** A plain decimal as the exports write amounts: optional minus, digits, a point or comma and decimals. */
const PLAIN_NUMBER = /^-?[0-9]+(?:[.,][0-9]+)?$/;

/** Marks `text` as a number cell; throws when it is not a plain decimal such as "-12.50" or "1234,56". */
export function numberCell(text: string): CsvNumber {
  if (!PLAIN_NUMBER.test(text)) throw new Error(`"${text}" is not a plain decimal number for a CSV number cell`);
  return { csvNumber: text };
}

/** The characters that make a spreadsheet read a cell as a formula when the cell begins with one. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as it is safe to open in a spreadsheet: NUL bytes dropped, a formula-like start prefixed with `'`. */
export function neutralizeCsvText(value: string): string {
  const text = value.replaceAll('\0', '');
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quoted(value: string, separator: CsvSeparator): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvField(value: CsvCell, separator: CsvSeparator = ','): string {
  return quoted(typeof value === 'string' ? neutralizeCsvText(value) : value.csvNumber, separator);
}

export function csvRecord(fields: readonly CsvCell[], separator: CsvSeparator = ','): string {
  return fields.map((f) => csvField(f, separator)).join(separator);
}

export function csvText(records: readonly (readonly CsvCell[])[], separator: CsvSeparator = ','): string {
  return records.map((r) => `${csvRecord(r, separator)}\r\n`).join('');
}
