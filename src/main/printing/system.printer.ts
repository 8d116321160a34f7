import { createCupsPrinter, type CupsPrinterOptions } from './cups.printer';
import { createWindowsPrinter, type WindowsPrinterOptions } from './windows.printer';
import { noPrinter, PrintRefusedError, type Printer, type PrintRequest } from './printer.port';

/** The print system of this operating system: CUPS on Linux, macOS and the BSDs, pdf-to-printer on Windows. */
export function systemPrinter(
  platform: NodeJS.Platform = process.platform,
  options: { cups?: CupsPrinterOptions; windows?: WindowsPrinterOptions } = {},
): Printer {
  if (platform === 'win32') return createWindowsPrinter(options.windows);
  if (platform === 'linux' || platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd') {
    return createCupsPrinter(options.cups);
  }
  return noPrinter;
}

/**
 * Shows the system's print dialog for one document; resolves with the printer chosen when known,
 * rejects when the clerk cancelled or printing failed. The Electron shell provides it.
 */
export type PrintDialog = (pdf: Uint8Array, request: PrintRequest) => Promise<{ printer: string | null }>;

/**
 * The system printer, except that a request with `silent: false` goes through the print dialog.
 * A job printed from the dialog cannot be followed: it is recorded as sent to the printer chosen.
 */
export function withPrintDialog(system: Printer, dialog: PrintDialog): Printer {
  return {
    system: system.system,
    async print(pdf, request) {
      if (request.silent !== false) return system.print(pdf, request);
      try {
        const chosen = await dialog(pdf, request);
        return { system: 'dialog', printer: chosen.printer ?? 'the printer chosen in the print dialog', jobId: null };
      } catch (e) {
        if (e instanceof PrintRefusedError) throw e;
        const reason = e instanceof Error ? e.message : String(e);
        throw /cancel/i.test(reason)
          ? new PrintRefusedError('cancelled', 'The print dialog was closed without printing.')
          : new PrintRefusedError('failed', `The print dialog did not print: ${reason}`);
      }
    },
    listPrinters: () => system.listPrinters(),
    ...(system.jobStatus ? { jobStatus: system.jobStatus.bind(system) } : {}),
  };
}
