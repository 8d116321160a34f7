/**
 * A small RFC 4180 CSV reader: comma separated, fields optionally in double quotes, a quote
 * inside quotes doubled (""), commas and line breaks allowed inside quotes, LF or CRLF line
 * ends, a leading byte-order mark ignored, blank lines skipped. Pure, no I/O: the text comes in
 * pieces of any size (`CsvReader`, so a file of a million rows is never held whole) or at once
 * (`parseCsv`), with the same records and the same refusals either way.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted line break makes a record span lines). */
  line: number;
  fields: string[];
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Where the reader is between two pieces of text. */
enum At {
  Field,
  Quoted,
  /** A quote inside a quoted field: a doubled quote or the field's end, told by the next character. */
  QuoteInQuoted,
  /** A record ended on CR: an LF right after it belongs to the same line end. */
  AfterCr,
}

export class CsvReader {
  #fields: string[] = [];
  #field = '';
  #line = 1;
  #recordLine = 1;
  #quoteLine = 1;
  #quotedRecord = false;
  #at = At.Field;
  #started = false;
  #failed: CsvParseResult | null = null;
  #out: CsvRecord[] = [];

  /** The records completed by this piece of text, or the file's first problem (after which the reader stays refused). */
  feed(text: string): CsvParseResult {
    if (this.#failed) return this.#failed;
    let s = text;
    if (!this.#started && s.length > 0) {
      this.#started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    this.#out = [];
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (this.#at === At.Quoted) {
        const q = s.indexOf('"', i);
        const end = q < 0 ? n : q;
        for (let k = i; k < end; k++) if (s.charCodeAt(k) === LF) this.#line++;
        this.#field += s.slice(i, end);
        i = q < 0 ? n : q + 1;
        if (q >= 0) this.#at = At.QuoteInQuoted;
        continue;
      }
      if (this.#at === At.QuoteInQuoted) {
        if (c === QUOTE) {
          this.#field += '"';
          this.#at = At.Quoted;
          i++;
          continue;
        }
        this.#at = At.Field;
        if (c !== COMMA && c !== LF && c !== CR) {
          return this.#fail(this.#line, 'text after a closing quote; a quote inside a quoted field must be doubled ("")');
        }
      } else if (this.#at === At.AfterCr) {
        this.#at = At.Field;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (c === QUOTE) {
        if (this.#field.length > 0) {
          return this.#fail(this.#line, 'a quote (") in the middle of an unquoted field; put the whole field in quotes and double the quote');
        }
        this.#quotedRecord = true;
        this.#quoteLine = this.#line;
        this.#at = At.Quoted;
        i++;
      } else if (c === COMMA) {
        this.#fields.push(this.#field);
        this.#field = '';
        i++;
      } else if (c === CR || c === LF) {
        this.#endRecord();
        this.#line++;
        this.#recordLine = this.#line;
        if (c === CR) this.#at = At.AfterCr;
        i++;
      } else {
        let k = i + 1;
        for (; k < n; k++) {
          const d = s.charCodeAt(k);
          if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
        }
        this.#field += s.slice(i, k);
        i = k;
      }
    }
    return { ok: true, records: this.#out };
  }

  /** The end of the text: the last record, or the refusal of a quoted field never closed. */
  finish(): CsvParseResult {
    if (this.#failed) return this.#failed;
    if (this.#at === At.Quoted) return this.#fail(this.#quoteLine, 'a quoted field is never closed');
    this.#out = [];
    if (this.#field.length > 0 || this.#fields.length > 0 || this.#quotedRecord) this.#endRecord();
    this.#at = At.Field;
    return { ok: true, records: this.#out };
  }

  #endRecord(): void {
    this.#fields.push(this.#field);
    // A line with nothing on it is not a record; a quoted empty field ("") is.
    if (!(this.#fields.length === 1 && this.#fields[0] === '' && !this.#quotedRecord)) {
      this.#out.push({ line: this.#recordLine, fields: this.#fields });
    }
    this.#fields = [];
    this.#field = '';
    this.#quotedRecord = false;
  }

  #fail(line: number, message: string): CsvParseResult {
    this.#failed = { ok: false, line, message };
    return this.#failed;
  }
}

export function parseCsv(text: string): CsvParseResult {
  const reader = new CsvReader();
  const body = reader.feed(text);
  if (!body.ok) return body;
  const tail = reader.finish();
  return tail.ok ? { ok: true, records: [...body.records, ...tail.records] } : tail;
}
