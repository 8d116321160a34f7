import { describe, expect, it } from 'vitest';
import { systemPrinter, withPrintDialog } from '../../../src/main/printing/system.printer';
import { PrintRefusedError, type Printer } from '../../../src/main/printing/printer.port';

const silentOnes: string[] = [];
const system: Printer = {
  system: 'cups',
  print: async (_pdf, request) => {
    silentOnes.push(request.jobName);
    return { system: 'cups', printer: request.printer ?? 'Front-Desk', jobId: '5' };
  },
  listPrinters: async () => ({ printers: [], defaultPrinter: null }),
  jobStatus: async () => ({ state: 'completed', reason: null }),
};

describe('the printer of this computer', () => {
  it('is CUPS on Linux and macOS, pdf-to-printer on Windows, none elsewhere', () => {
    expect(systemPrinter('linux').system).toBe('cups');
    expect(systemPrinter('darwin').system).toBe('cups');
    expect(systemPrinter('win32').system).toBe('windows');
    expect(systemPrinter('aix').system).toBe('none');
  });

  it('prints silently through the system and asks the dialog only when silent is false', async () => {
    const dialogs: string[] = [];
    const printer = withPrintDialog(system, async (_pdf, request) => {
      dialogs.push(request.jobName);
      return { printer: null };
    });
    expect(await printer.print(new Uint8Array(), { jobName: 'A', silent: true })).toEqual({ system: 'cups', printer: 'Front-Desk', jobId: '5' });
    expect(await printer.print(new Uint8Array(), { jobName: 'B', silent: false })).toEqual({ system: 'dialog', printer: 'the printer chosen in the print dialog', jobId: null });
    expect([silentOnes, dialogs]).toEqual([['A'], ['B']]);
    expect(printer.jobStatus).toBeDefined();
  });

  it('keeps a job whose dialog was cancelled or failed, with the reason', async () => {
    const cancelled = withPrintDialog(system, async () => {
      throw new Error('cancelled');
    });
    const failed = withPrintDialog(system, async () => {
      throw new Error('Invalid printer settings');
    });
    await expect(cancelled.print(new Uint8Array(), { jobName: 'C', silent: false })).rejects.toEqual(new PrintRefusedError('cancelled', 'The print dialog was closed without printing.'));
    await expect(failed.print(new Uint8Array(), { jobName: 'D', silent: false })).rejects.toMatchObject({ refusal: 'failed', message: 'The print dialog did not print: Invalid printer settings' });
  });
});
