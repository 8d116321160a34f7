import type { PrinterListView } from '../../shared/contract/printers';
import type { Logger } from '../log';
import type { Printer } from './printer.port';

/** The printers of this workstation, for the settings (choose a printer) and the CLI. */
export function createPrintersService(deps: { printer: Printer; log: Logger }) {
  return {
    /** The system's printers with the default marked; when the print system does not answer, none and why. */
    async list(): Promise<PrinterListView> {
      try {
        const { printers } = await deps.printer.listPrinters();
        return { system: deps.printer.system, printers, problem: null };
      } catch (e) {
        const problem = e instanceof Error ? e.message : String(e);
        deps.log.warn('The printers could not be listed', { problem });
        return { system: deps.printer.system, printers: [], problem };
      }
    },
  };
}

export type PrintersService = ReturnType<typeof createPrintersService>;
