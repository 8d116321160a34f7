import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, csvText } from '../../src/shared/csv';

describe('the CSV writer', () => {
  it('leaves a plain field as it is and quotes one holding a comma, a quote or a line break', () => {
    expect(csvField('Harbor Lane Dental LLC')).toBe('Harbor Lane Dental LLC');
    expect(csvField('Smith, Jones & "Partners"')).toBe('"Smith, Jones & ""Partners"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvField('')).toBe('');
  });

  it('quotes for the separator in use: a semicolon file leaves commas alone', () => {
    expect(csvField('1234,56', ';')).toBe('1234,56');
    expect(csvField('Smith; Jones', ';')).toBe('"Smith; Jones"');
    expect(csvField('Smith; Jones', ',')).toBe('Smith; Jones');
    expect(csvRecord(['CL1042', 'Café; Rouge', '0,05'], ';')).toBe('CL1042;"Café; Rouge";0,05');
  });

  it('ends every record with CRLF, the last one too', () => {
    expect(csvText([['a', 'b'], ['c', '']])).toBe('a,b\r\nc,\r\n');
    expect(csvText([['a', 'b;c']], ';')).toBe('a;"b;c"\r\n');
  });
});
