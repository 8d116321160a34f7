import fc from 'fast-check';
import { parse } from 'pg-connection-string';
import { describe, expect, it } from 'vitest';
import {
  addressWithPassword,
  addressWithoutPassword,
  afterStartupFailure,
  OPEN_LOCAL,
  officeLedgerView,
  passwordInAddress,
  planLedger,
  problemOf,
  QUIT,
  startupFailureDialog,
} from '../../src/main/settings/office-ledger.rules';
import { AppError } from '../../src/shared/errors';

const SAVED = 'postgres://ar_desk@db.office.example:5432/ar_desk';

describe('the office ledger address', () => {
  it('finds a password in the user part or in a password= parameter, and none in a plain address', () => {
    expect(passwordInAddress('postgres://ar:secret@db:5432/ar')).toBe(true);
    expect(passwordInAddress('postgres://ar@db:5432/ar?password=secret')).toBe(true);
    expect(passwordInAddress(SAVED)).toBe(false);
    expect(passwordInAddress('postgres://ar:@db:5432/ar')).toBe(false);
    expect(passwordInAddress('not a url')).toBe(false);
  });

  it('keeps the address as saved without the password, its parameters kept', () => {
    expect(addressWithoutPassword(' postgres://ar:secret@db:5432/ar?sslmode=verify-full&password=x ')).toBe('postgres://ar@db:5432/ar?sslmode=verify-full');
    expect(addressWithoutPassword('postgres://ar:@db:5432/ar')).toBe('postgres://ar@db:5432/ar');
    expect(addressWithoutPassword(SAVED)).toBe(SAVED);
  });

  it('puts any password into the address so that the PostgreSQL client reads it back exactly', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (password) => {
        const url = addressWithPassword(SAVED, password);
        const read = parse(url);
        expect(read.password).toBe(password);
        expect(read.user).toBe('ar_desk');
        expect(read.host).toBe('db.office.example');
        expect(read.database).toBe('ar_desk');
        expect(addressWithoutPassword(url)).toBe(SAVED);
      }),
    );
    expect(addressWithPassword(SAVED, undefined)).toBe(SAVED);
    expect(addressWithPassword(SAVED, '')).toBe(SAVED);
  });
});

describe('which ledger the app opens at start', () => {
  it('takes AR_DESK_DATABASE_URL first, whatever is saved', () => {
    const plan = planLedger({ environmentUrl: 'postgres://it:pw@server:5432/office', savedAddress: SAVED, savedPassword: 'saved' });
    expect(plan).toEqual({ databaseUrl: 'postgres://it:pw@server:5432/office', origin: { source: 'environment' }, address: 'postgres://it@server:5432/office' });
  });

  it('else the saved address with the keychain password, held in memory only', () => {
    const plan = planLedger({ environmentUrl: undefined, savedAddress: SAVED, savedPassword: 'p@ss word' });
    expect(plan.origin).toEqual({ source: 'settings' });
    expect(plan.address).toBe(SAVED);
    expect(parse(plan.databaseUrl!).password).toBe('p@ss word');
    expect(planLedger({ environmentUrl: undefined, savedAddress: SAVED, savedPassword: undefined }).databaseUrl).toBe(SAVED);
  });

  it('else the SQLite file of this workstation', () => {
    expect(planLedger({ environmentUrl: undefined, savedAddress: null, savedPassword: 'left over' })).toEqual({
      databaseUrl: undefined,
      origin: { source: 'local' },
      address: null,
    });
  });
});

describe('when the office ledger cannot be opened', () => {
  const problem = "AR Desk cannot reach the office's database server at db.office.example:5432 (ECONNREFUSED). Check that the server is running and that this workstation can reach it. Nothing was changed.";
  const saved = planLedger({ environmentUrl: undefined, savedAddress: SAVED, savedPassword: 'pw' });

  it('offers Quit (the default) and the workstation\'s own ledger for an address saved in Settings, saying why in words', () => {
    const dialog = startupFailureDialog(saved, problem)!;
    expect(dialog.buttons).toEqual([QUIT, OPEN_LOCAL]);
    expect(OPEN_LOCAL).toBe("Open settings with this workstation's own ledger");
    expect(dialog).toMatchObject({ type: 'error', defaultId: 0, cancelId: 0, message: "AR Desk could not open the office's ledger" });
    expect(dialog.detail).toContain(problem);
    expect(dialog.detail).toContain(SAVED);
    expect(dialog.detail).not.toContain('pw@');
  });

  it('quits on Quit, on closing the dialog, and on any answer it does not know', () => {
    const dialog = startupFailureDialog(saved, problem)!;
    for (const response of [0, -1, 7]) expect(afterStartupFailure(dialog, response, problem)).toEqual({ action: 'quit' });
  });

  it("opens the workstation's own file on the second button, remembering the problem for the Settings screen", () => {
    const dialog = startupFailureDialog(saved, problem)!;
    expect(afterStartupFailure(dialog, 1, problem)).toEqual({
      action: 'open-local',
      plan: { databaseUrl: undefined, origin: { source: 'fallback', problem }, address: null },
    });
  });

  it('offers only Quit when AR_DESK_DATABASE_URL chose the server, naming the variable and never the password', () => {
    const env = planLedger({ environmentUrl: 'postgres://it:hunter2@server:5432/office', savedAddress: null, savedPassword: undefined });
    const dialog = startupFailureDialog(env, problem)!;
    expect(dialog.buttons).toEqual([QUIT]);
    expect(dialog.detail).toContain('AR_DESK_DATABASE_URL');
    expect(dialog.detail).not.toContain('hunter2');
    expect(afterStartupFailure(dialog, 0, problem)).toEqual({ action: 'quit' });
  });

  it('leaves a failure of the SQLite file itself to the usual error box', () => {
    expect(startupFailureDialog(planLedger({ environmentUrl: undefined, savedAddress: null, savedPassword: undefined }), 'disk full')).toBeNull();
  });

  it('words a failure from its message', () => {
    expect(problemOf(new AppError('UNAVAILABLE', 'The database "ar" does not exist on db:5432.'))).toBe('The database "ar" does not exist on db:5432.');
    expect(problemOf('plain')).toBe('plain');
  });
});

describe('what the Settings screen says about the ledger in use', () => {
  const sqlite = { engine: 'sqlite' as const, where: '/home/kim/.config/AR Desk/ledger.db' };
  const server = { engine: 'postgres' as const, where: 'postgres://ar_desk:***@db.office.example:5432/ar_desk' };

  it('on its own file with nothing saved: nothing waits for a restart', () => {
    expect(officeLedgerView({ savedAddress: null, passwordSet: false, running: sqlite, origin: { source: 'local' } })).toEqual({
      databaseUrl: null,
      passwordSet: false,
      current: { engine: 'sqlite', where: sqlite.where, origin: { source: 'local' } },
      restartNeeded: false,
    });
  });

  it('an address saved while on the own file waits for a restart', () => {
    expect(officeLedgerView({ savedAddress: SAVED, passwordSet: true, running: sqlite, origin: { source: 'local' } }).restartNeeded).toBe(true);
  });

  it('on the saved address: the server is shown without its password, and nothing waits', () => {
    const view = officeLedgerView({ savedAddress: SAVED, passwordSet: true, running: server, origin: { source: 'settings' } });
    expect(view.current).toEqual({ engine: 'postgres', where: SAVED, origin: { source: 'settings' } });
    expect(view.restartNeeded).toBe(false);
    expect(officeLedgerView({ savedAddress: null, passwordSet: false, running: server, origin: { source: 'settings' } }).restartNeeded).toBe(true);
    expect(officeLedgerView({ savedAddress: 'postgres://ar_desk@db2:5432/ar_desk', passwordSet: true, running: server, origin: { source: 'settings' } }).restartNeeded).toBe(true);
  });

  it('under AR_DESK_DATABASE_URL a restart changes nothing', () => {
    expect(officeLedgerView({ savedAddress: SAVED, passwordSet: false, running: server, origin: { source: 'environment' } }).restartNeeded).toBe(false);
  });

  it('on the own file after the saved address failed: a restart tries the saved address again', () => {
    const origin = { source: 'fallback' as const, problem: 'refused' };
    expect(officeLedgerView({ savedAddress: SAVED, passwordSet: true, running: sqlite, origin }).restartNeeded).toBe(true);
    expect(officeLedgerView({ savedAddress: null, passwordSet: false, running: sqlite, origin }).restartNeeded).toBe(false);
  });
});
