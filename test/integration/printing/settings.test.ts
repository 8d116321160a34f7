import { afterEach, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { asStaff } from '../../helpers/dispatch';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { PrintRefusedError, type Printer } from '../../../src/main/printing/printer.port';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

/** This workstation's printing settings: printers chosen from the system's list, copies, paper, silent or dialog. */
function twoPrinters(): { printer: Printer } {
  const printer: Printer = {
    system: 'cups',
    print: async () => {
      throw new Error('not used');
    },
    listPrinters: async () => ({
      printers: ['Front-Desk', 'Back-Office'].map((name) => ({ name, isDefault: name === 'Front-Desk', state: 'idle' as const, accepting: true, reason: null })),
      defaultPrinter: 'Front-Desk',
    }),
  };
  return { printer };
}

const open: TestRuntime[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.dispose();
});

async function runtime(printer: Printer) {
  const rt = await openTestRuntime({ printer });
  open.push(rt);
  const call = async (channel: string, input: unknown) => {
    const res = await dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));
    if (!res.ok) throw Object.assign(new Error(res.error.message), res.error);
    return res.data as never;
  };
  return { rt, call };
}

describe('printing settings of the workstation', () => {
  it('takes printers from the system list, copies and paper, and audits each change', async () => {
    const { printer } = twoPrinters();
    const { rt, call } = await runtime(printer);
    expect(await call('printers.list', {})).toEqual({
      system: 'cups',
      problem: null,
      printers: [
        { name: 'Front-Desk', isDefault: true, state: 'idle', accepting: true, reason: null },
        { name: 'Back-Office', isDefault: false, state: 'idle', accepting: true, reason: null },
      ],
    });
    expect(rt.core.settings.get().settings.printing).toEqual(DEFAULT_SETTINGS.printing);
    expect(DEFAULT_SETTINGS.printing).toEqual({ silent: true, confirmationPrinter: null, statementPrinter: null, copies: 1, paper: 'Letter' });

    await call('settings.update', { changes: { printing: { statementPrinter: 'Back-Office', copies: 3, paper: 'A4' }, dateFormat: 'YYYY-MM-DD' } });
    expect(rt.core.settings.get().settings).toMatchObject({ dateFormat: 'YYYY-MM-DD', printing: { statementPrinter: 'Back-Office', copies: 3, paper: 'A4', silent: true, confirmationPrinter: null } });
    const rows = await rt.ledger.db.selectFrom('audit_log').select('summary').where('action', '=', 'settings.update').execute();
    expect(JSON.parse(rows[0]!.summary)).toEqual({
      changes: {
        dateFormat: { from: 'MM/DD/YYYY', to: 'YYYY-MM-DD' },
        'printing.statementPrinter': { from: null, to: 'Back-Office' },
        'printing.copies': { from: 1, to: 3 },
        'printing.paper': { from: 'Letter', to: 'A4' },
      },
    });

    await expect(call('settings.update', { changes: { printing: { confirmationPrinter: 'Basement' } } })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { 'printing.confirmationPrinter': '"Basement" is not a printer of this computer; choose one of Front-Desk, Back-Office' } },
    });
    await expect(call('settings.update', { changes: { printing: { copies: 0 } } })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { 'changes.printing.copies': 'must be a whole number of copies from 1 to 99' } },
    });
    await expect(call('settings.update', { changes: { printing: { paper: 'Legal' } } })).rejects.toMatchObject({ code: 'VALIDATION' });
    // Back to the system default printer.
    await call('settings.update', { changes: { printing: { statementPrinter: null } } });
    expect(rt.core.settings.get().settings.printing.statementPrinter).toBeNull();
  });

  it('keeps a typed printer when the print system cannot list its printers, and says why the list is empty', async () => {
    const { printer } = twoPrinters();
    printer.listPrinters = async () => {
      throw new PrintRefusedError('spooler-down', 'The print system (CUPS) of this computer is not running.');
    };
    const { rt, call } = await runtime(printer);
    expect(await call('printers.list', {})).toEqual({ system: 'cups', printers: [], problem: 'The print system (CUPS) of this computer is not running.' });
    await call('settings.update', { changes: { printing: { confirmationPrinter: 'Front-Desk' } } });
    expect(rt.core.settings.get().settings.printing.confirmationPrinter).toBe('Front-Desk');
  });
});
