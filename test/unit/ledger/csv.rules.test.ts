import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvReader, parseCsv, type CsvParseResult } from '../../../src/main/ledger/csv.rules';

function records(text: string) {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(`line ${r.line}: ${r.message}`);
  return r.records;
}

/** The way spreadsheets write CSV: quote a field only when it needs it. */
function writeCsv(rows: string[][], eol: string): string {
  const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);
  return rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
}

describe('parseCsv', () => {
  it('reads plain and quoted fields, doubled quotes, commas and line breaks inside quotes', () => {
    expect(records('a,b,c\n1,"two, too","say ""hi"""\n"multi\nline",x,\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, too', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'x', ''] },
    ]);
  });

  it('numbers records by the line they start on, past quoted line breaks and blank lines', () => {
    expect(records('h\r\n"a\r\nb\r\nc"\r\n\r\nlast').map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('ignores a byte-order mark and accepts CRLF, LF and a missing final line end', () => {
    expect(records('\uFEFFid,name\r\n1,x')).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['1', 'x'] },
    ]);
    expect(records('a\rb\r')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
    ]);
  });

  it('keeps a line holding only a quoted empty field, unlike a blank line', () => {
    expect(records('""\n\n')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('reports an unclosed quote at the line it opened and stray quotes where they are', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toEqual({ ok: false, line: 2, message: 'a quoted field is never closed' });
    expect(parseCsv('a\n1"2\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a\n"1"2\n')).toMatchObject({ ok: false, line: 2, message: expect.stringMatching(/after a closing quote/) });
  });

  it('reads back exactly what a spreadsheet writes, whatever the fields hold', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\n', '\r\n', 'é', ';') });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 })),
        fc.constantFrom('\n', '\r\n'),
        (rows, eol) => {
          expect(records(writeCsv(rows, eol)).map((r) => r.fields)).toEqual(rows);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** The text fed to a CsvReader in pieces cut at `cuts`: its records, or its refusal. */
function readInPieces(text: string, cuts: number[]): CsvParseResult {
  const reader = new CsvReader();
  const out = [];
  let from = 0;
  for (const at of [...cuts.filter((c) => c > 0 && c < text.length).sort((a, b) => a - b), text.length]) {
    const r = reader.feed(text.slice(from, at));
    if (!r.ok) return r;
    out.push(...r.records);
    from = at;
  }
  const tail = reader.finish();
  return tail.ok ? { ok: true, records: [...out, ...tail.records] } : tail;
}

describe('CsvReader', () => {
  it('reads a text cut anywhere (inside quotes, between CR and LF, after a BOM) as parseCsv reads it whole', () => {
    const samples = [
      '\ufeffa,b\r\n1,"x\r\ny"\r\n"say ""hi""",2\r\n',
      'a,b\n1,"open\n2,3\n',
      'a\n"1"2\n',
      'a\n1"2\n',
      'a,b\r\r\n"",\n,\n',
    ];
    for (const text of samples) {
      for (let cut = 0; cut <= text.length; cut++) expect(readInPieces(text, [cut]), `${JSON.stringify(text)} cut at ${cut}`).toEqual(parseCsv(text));
      expect(readInPieces(text, Array.from(text, (_, i) => i))).toEqual(parseCsv(text));
    }
  });

  it('gives the same records or refusal for any text and any cuts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ') }), fc.array(fc.nat(40)), (text, cuts) => {
        expect(readInPieces(text, cuts)).toEqual(parseCsv(text));
      }),
      { numRuns: 2000 },
    );
  });
});
