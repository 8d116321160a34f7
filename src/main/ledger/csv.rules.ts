/**
 * A small RFC 4180 CSV reader: comma separated, fields optionally in double quotes, a quote
 * inside quotes doubled (""), commas and line breaks allowed inside quotes, LF or CRLF line
 * ends, a leading byte-order mark ignored, blank lines skipped. Pure, no I/O.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted line break makes a record span lines). */
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function parseCsv(text: string): CsvParseResult {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quotedRecord = false;
  let i = 0;
  const n = s.length;

  const endRecord = () => {
    fields.push(field);
    // A line with nothing on it is not a record; a quoted empty field ("") is.
    if (!(fields.length === 1 && fields[0] === '' && !quotedRecord)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedRecord = false;
  };

  while (i < n) {
    const c = s[i]!;
    if (c === '"') {
      if (field.length > 0) {
        return { ok: false, line, message: 'a quote (") in the middle of an unquoted field; put the whole field in quotes and double the quote' };
      }
      quotedRecord = true;
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) return { ok: false, line: startLine, message: 'a quoted field is never closed' };
        const q = s[i]!;
        if (q === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const after = s[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        return { ok: false, line, message: 'text after a closing quote; a quote inside a quoted field must be doubled ("")' };
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field.length > 0 || fields.length > 0 || quotedRecord) endRecord();
  return { ok: true, records };
}
