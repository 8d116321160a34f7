/**
 * The one CSV writer, for every export (the aging screen's and the CLI's). RFC 4180 as
 * spreadsheets read it: a field is quoted when it holds the separator, a quote or a line break, a
 * quote inside is doubled, and every record ends with CRLF, the last one too.
 */

/** Comma, or semicolon for spreadsheets in comma-decimal locales. */
export type CsvSeparator = ',' | ';';

export function csvField(value: string, separator: CsvSeparator = ','): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly string[], separator: CsvSeparator = ','): string {
  return fields.map((f) => csvField(f, separator)).join(separator);
}

export function csvText(records: readonly (readonly string[])[], separator: CsvSeparator = ','): string {
  return records.map((r) => `${csvRecord(r, separator)}\r\n`).join('');
}
