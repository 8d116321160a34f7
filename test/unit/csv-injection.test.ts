import { describe, expect, it } from 'vitest';
import { agingReportCsv } from '../../src/main/cli/commands/aging.commands';
import { csvField, csvText, numberCell } from '../../src/shared/csv';
import type { AgingCustomerRow, AgingReport } from '../../src/shared/contract/aging';

// Expected texts are written out by hand: a leading ' on every text cell that a spreadsheet would
// run as a formula (OWASP: = + - @ tab CR), numbers written as they are.

describe('the CSV writer against formula injection', () => {
  it('prefixes a text cell that begins with = + - @ tab or carriage return with a quote mark', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvField('+1-555-0100')).toBe("'+1-555-0100");
    expect(csvField('-12.50')).toBe("'-12.50");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1+2')).toBe("'\t=1+2");
    expect(csvField('\r=1+2')).toBe(`"'\r=1+2"`);
    expect(csvField("=cmd|' /C calc'!A0", ';')).toBe("'=cmd|' /C calc'!A0");
  });

  it('leaves text that only holds those characters later alone', () => {
    expect(csvField('Smith-Jones & Partners')).toBe('Smith-Jones & Partners');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('billing@harbor.example')).toBe('billing@harbor.example');
    expect(csvField(' =1')).toBe(' =1');
  });

  it('writes number cells as numbers, negative ones too, and refuses text passed as a number', () => {
    expect(csvText([[numberCell('-12.50'), numberCell('0.05'), numberCell('1234,56')]], ';')).toBe('-12.50;0.05;1234,56\r\n');
    expect(csvText([[numberCell('1234,56')]], ',')).toBe('"1234,56"\r\n');
    for (const text of ['=1+2', '-1+2', '12.50 ', '', '1e5', '@1']) expect(() => numberCell(text)).toThrow(/not a plain decimal/);
  });

  it('never writes a NUL byte', () => {
    const text = csvText([['Harbor\0 Dental', '\0=1+2'], ['\0']]);
    expect(text).not.toContain('\0');
    expect(text).toBe("Harbor Dental,'=1+2\r\n\r\n");
  });
});

const amounts = { current: 0, days_1_30: -1250, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: -1250, unapplied_credits_cents: 1250 };
const evil: AgingCustomerRow = { customer_number: 'CL1042', legal_name: '=HYPERLINK("http://evil.example")', ...amounts, disputed_cents: 0 };
const plus: AgingCustomerRow = { customer_number: 'CL2000', legal_name: '+Plus Dental', ...amounts, disputed_cents: 0 };

// The screen's export (renderer agingCsv, the same writer) is checked end to end in test/e2e/aging.spec.ts.
describe('the aging export of the command line', () => {
  it('the command-line export guards names and writes negative amounts as numbers', () => {
    const report: AgingReport = { asOf: '2026-11-20', basis: 'due', totals: { ...amounts, total: -2500, days_1_30: -2500, unapplied_credits_cents: 2500 }, customers: [evil, plus] };
    expect(agingReportCsv(report).split('\r\n').slice(1)).toEqual([
      `CL1042,"'=HYPERLINK(""http://evil.example"")",0.00,-12.50,0.00,0.00,0.00,-12.50,12.50,0.00`,
      "CL2000,'+Plus Dental,0.00,-12.50,0.00,0.00,0.00,-12.50,12.50,0.00",
      'TOTAL,,0.00,-25.00,0.00,0.00,0.00,-25.00,25.00,0.00',
      '',
    ]);
  });
});
