import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { PaperSize } from '../../shared/contract/printers';
import { PrintRefusedError, type Printer, type PrintJobRef, type PrinterList } from './printer.port';

/**
 * The Windows adapter: pdf-to-printer prints the PDF silently to a named printer with the
 * SumatraPDF it carries, and lists the printers through PowerShell (Get-CimInstance Win32_Printer).
 * Windows does not tell when the job is on paper, so a job it took is not followed.
 */

/** The part of pdf-to-printer AR Desk uses (its print, getPrinters and getDefaultPrinter). */
export interface PdfToPrinterApi {
  print(file: string, options: Record<string, unknown>): Promise<void>;
  getPrinters(): Promise<{ deviceId: string; name: string; paperSizes: string[] }[]>;
  getDefaultPrinter(): Promise<{ deviceId: string; name: string; paperSizes: string[] } | null>;
}

export interface WindowsPrinterOptions {
  /** pdf-to-printer itself unless given (tests pass it with a stand-in executable). */
  api?: PdfToPrinterApi;
  /** The SumatraPDF executable; by default the one pdf-to-printer carries, outside the app's asar archive. */
  sumatraPdfPath?: string;
  tempDir?: string;
}

/** SumatraPDF's names for the paper sizes (its -print-settings paper=...). */
const SUMATRA_PAPER: Record<PaperSize, string> = { Letter: 'letter', A4: 'A4' };

/** The SumatraPDF that pdf-to-printer carries; inside a packaged app, its unpacked copy (see electron-builder.yml). */
export function bundledSumatraPath(): string {
  const bundle = createRequire(import.meta.url).resolve('pdf-to-printer');
  return path.join(path.dirname(bundle), 'SumatraPDF-3.4.6-32.exe').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

async function loadApi(): Promise<PdfToPrinterApi> {
  const mod = (await import('pdf-to-printer')) as unknown as PdfToPrinterApi & { default?: PdfToPrinterApi };
  return mod.default ?? mod;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createWindowsPrinter(options: WindowsPrinterOptions = {}): Printer {
  let api: Promise<PdfToPrinterApi> | undefined;
  const pdfToPrinter = () => (api ??= options.api ? Promise.resolve(options.api) : loadApi());

  async function list(): Promise<PrinterList> {
    const p = await pdfToPrinter();
    let printers: Awaited<ReturnType<PdfToPrinterApi['getPrinters']>>;
    let fallback: Awaited<ReturnType<PdfToPrinterApi['getDefaultPrinter']>>;
    try {
      [printers, fallback] = await Promise.all([p.getPrinters(), p.getDefaultPrinter()]);
    } catch (e) {
      throw new PrintRefusedError('spooler-down', `Windows did not list its printers (is the Print Spooler service running?): ${message(e)}`);
    }
    const defaultPrinter = fallback?.name ?? null;
    return {
      printers: printers.map((x) => ({ name: x.name, isDefault: x.name === defaultPrinter, state: 'unknown' as const, accepting: true, reason: null })),
      defaultPrinter,
    };
  }

  return {
    system: 'windows',

    async print(pdf, request): Promise<PrintJobRef> {
      const { printers, defaultPrinter } = await list();
      const target = request.printer ?? defaultPrinter;
      if (!target) throw new PrintRefusedError('no-printer', 'This computer has no default printer. Choose a printer in Settings, or set a default printer in Windows.');
      if (!printers.some((x) => x.name === target)) {
        throw new PrintRefusedError('unknown-printer', `There is no printer named "${target}" on this computer. Add it in Windows, or choose another printer in Settings.`);
      }
      const dir = fs.mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'ar-desk-print-'));
      const file = path.join(dir, 'document.pdf');
      try {
        fs.writeFileSync(file, pdf);
        await (await pdfToPrinter()).print(file, {
          printer: target,
          silent: true,
          // Shrink a page larger than the paper (a Letter page on A4), never enlarge it.
          scale: 'shrink',
          ...(request.paper ? { paperSize: SUMATRA_PAPER[request.paper] } : {}),
          ...(request.copies && request.copies > 1 ? { copies: request.copies } : {}),
          sumatraPdfPath: options.sumatraPdfPath ?? bundledSumatraPath(),
        });
      } catch (e) {
        throw new PrintRefusedError('failed', `Windows did not take the document for "${target}": ${message(e)}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      return { system: 'windows', printer: target, jobId: null };
    },

    listPrinters: list,
  };
}
