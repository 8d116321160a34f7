import { describe, expect, it } from 'vitest';
import { ledgerWriteFailure } from '../../../src/main/db/write-failure';
import { isRetryableConflict } from '../../../src/main/db/dialect';
import { parseDatabaseUrl, parseSafeInteger, redactDatabaseUrl } from '../../../src/main/db/postgres';

describe('the two engines named once', () => {
  it('tells write failures apart in either engine’s words', () => {
    expect(ledgerWriteFailure({ code: 'SQLITE_FULL' })).toBe('full');
    expect(ledgerWriteFailure({ code: 'SQLITE_IOERR_WRITE' })).toBe('io');
    expect(ledgerWriteFailure({ code: 'SQLITE_BUSY' })).toBe('busy');
    expect(ledgerWriteFailure({ code: '53100' })).toBe('full');
    expect(ledgerWriteFailure({ code: '57P01' })).toBe('io');
    expect(ledgerWriteFailure({ code: 'ECONNRESET' })).toBe('io');
    expect(ledgerWriteFailure({ code: '55P03' })).toBe('busy');
    expect(ledgerWriteFailure({ code: '23505' })).toBeNull();
    expect(ledgerWriteFailure(new Error('x'))).toBeNull();
  });

  it('retries only serialization failures and deadlocks', () => {
    expect(isRetryableConflict({ code: '40001' })).toBe(true);
    expect(isRetryableConflict({ code: '40P01' })).toBe(true);
    expect(isRetryableConflict({ code: '23505' })).toBe(false);
    expect(isRetryableConflict(null)).toBe(false);
  });

  it('reads bigint and integral sums as safe integers and refuses what JavaScript cannot hold', () => {
    expect(parseSafeInteger('2682089068')).toBe(2_682_089_068);
    expect(parseSafeInteger('-5')).toBe(-5);
    expect(() => parseSafeInteger('9007199254740993')).toThrow(/not a whole number JavaScript can hold/);
    expect(() => parseSafeInteger('12.5')).toThrow(/not a whole number/);
  });

  it('reads an office ledger address and never shows its password', () => {
    expect(parseDatabaseUrl('postgres://ar:secret@db.office.lan:5433/ledger')).toMatchObject({ host: 'db.office.lan', port: 5433, database: 'ledger', user: 'ar' });
    expect(parseDatabaseUrl('postgresql://ar@10.0.0.5/ledger').port).toBe(5432);
    expect(() => parseDatabaseUrl('mysql://ar@h/db')).toThrow(/must start with postgres:\/\//);
    expect(() => parseDatabaseUrl('postgres://h:5432/')).toThrow(/needs a user, a host and a database/);
    expect(() => parseDatabaseUrl('not a url')).toThrow(/not a URL/);
    expect(redactDatabaseUrl('postgres://ar:secret@h:5432/db')).toBe('postgres://ar:***@h:5432/db');
    expect(redactDatabaseUrl('postgres://ar:secret@h:5432/db')).not.toContain('secret');
  });
});
