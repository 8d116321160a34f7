import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/runtime';
import { createWindowsPrinter } from '../../../src/main/printing/windows.printer';
import { PrintRefusedError } from '../../../src/main/printing/printer.port';

/**
 * The Windows adapter's contract, run here without Windows: the real pdf-to-printer package drives
 * stand-ins for the two programs it runs on Windows, SumatraPDF (its PDF printer, given by path)
 * and PowerShell (found on PATH, listing the printers with Get-CimInstance Win32_Printer). The
 * stand-ins record the command lines and keep the PDFs they were handed; os.platform() answers
 * win32 for the package's own check.
 */

const dir = tempDir('ar-desk-windows-');
const log = path.join(dir, 'calls.jsonl');
const out = path.join(dir, 'printed');
const bin = path.join(dir, 'bin');
const sumatra = path.join(bin, 'SumatraPDF-standin');
const savedPath = process.env.PATH;

function standIn(file: string, body: string): void {
  fs.writeFileSync(file, `#!${process.execPath}\nconst fs = require('node:fs');\nconst path = require('node:path');\n${body}\n`, { mode: 0o755 });
}

function calls(): { program: string; args: string[] }[] {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(() => {
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  // SumatraPDF: -print-to NAME | -print-to-default, -silent, -print-settings LIST, then the file.
  standIn(
    sumatra,
    `const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ program: 'SumatraPDF', args }) + '\\n');
const to = args[args.indexOf('-print-to') + 1];
if (to === 'Jammed Laser') { process.stderr.write('Printing failed: the printer did not respond'); process.exit(1); }
const file = args.at(-1);
fs.copyFileSync(file, path.join(${JSON.stringify(out)}, fs.readdirSync(${JSON.stringify(out)}).length + 1 + '.pdf'));`,
  );
  // PowerShell: Get-CimInstance Win32_Printer, the default one with -Filter Default=true.
  standIn(
    path.join(bin, 'Powershell.exe'),
    `const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ program: 'PowerShell', args }) + '\\n');
if (process.env.AR_DESK_STANDIN_SPOOLER === 'down') { process.stderr.write('Get-CimInstance : The RPC server is unavailable.'); process.exit(1); }
const printers = [
  'DeviceID          : Front Desk HP\\r\\nName              : Front Desk HP\\r\\nPrinterPaperNames : {Letter, Legal, A4}',
  'DeviceID          : \\\\\\\\office\\\\Back Office\\r\\nName              : \\\\\\\\office\\\\Back Office\\r\\nPrinterPaperNames : {A4}',
  'DeviceID          : Jammed Laser\\r\\nName              : Jammed Laser\\r\\nPrinterPaperNames : {Letter}',
];
const wantDefault = args.join(' ').includes('-Filter Default=true');
process.stdout.write('\\r\\n\\r\\n' + (wantDefault ? printers[0] : printers.join('\\r\\n\\r\\n')) + '\\r\\n\\r\\n');`,
  );
  process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
  vi.spyOn(os, 'platform').mockReturnValue('win32');
});
afterEach(() => {
  fs.rmSync(log, { force: true });
  delete process.env.AR_DESK_STANDIN_SPOOLER;
});
afterAll(() => {
  vi.restoreAllMocks();
  process.env.PATH = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Windows adapter through pdf-to-printer', () => {
  const printer = createWindowsPrinter({ sumatraPdfPath: sumatra, tempDir: dir });

  it('lists the printers PowerShell reports, with the default marked', async () => {
    expect(await printer.listPrinters()).toEqual({
      defaultPrinter: 'Front Desk HP',
      printers: [
        { name: 'Front Desk HP', isDefault: true, state: 'unknown', accepting: true, reason: null },
        { name: '\\\\office\\Back Office', isDefault: false, state: 'unknown', accepting: true, reason: null },
        { name: 'Jammed Laser', isDefault: false, state: 'unknown', accepting: true, reason: null },
      ],
    });
    expect(calls().map((c) => c.program)).toEqual(['PowerShell', 'PowerShell']);
    expect(calls()[0]!.args.join(' ')).toContain('Get-CimInstance Win32_Printer');
  });

  it('prints silently to the named printer with the paper and copies asked for, handing over the PDF bytes', async () => {
    const ref = await printer.print(PDF, { printer: '\\\\office\\Back Office', copies: 2, paper: 'A4', jobName: 'Statement CL1042' });
    expect(ref).toEqual({ system: 'windows', printer: '\\\\office\\Back Office', jobId: null });
    const sumatraCall = calls().find((c) => c.program === 'SumatraPDF')!;
    expect(sumatraCall.args.slice(0, -1)).toEqual(['-print-to', '\\\\office\\Back Office', '-silent', '-print-settings', 'shrink,paper=A4,2x']);
    expect(fs.readFileSync(path.join(out, '1.pdf')).equals(PDF)).toBe(true);
    // The temporary copy is gone once printed.
    expect(fs.existsSync(sumatraCall.args.at(-1)!)).toBe(false);
    expect(printer.jobStatus).toBeUndefined();
  });

  it('prints to the default printer when none is named, on Letter paper', async () => {
    const ref = await printer.print(PDF, { copies: 1, paper: 'Letter', jobName: 'Payment confirmation K7QX4M2P' });
    expect(ref).toEqual({ system: 'windows', printer: 'Front Desk HP', jobId: null });
    expect(calls().find((c) => c.program === 'SumatraPDF')!.args.slice(0, -1)).toEqual(['-print-to', 'Front Desk HP', '-silent', '-print-settings', 'shrink,paper=letter']);
  });

  it('refuses, with the reason in words, an unknown printer, a spooler that does not answer, and a printer that fails', async () => {
    await expect(printer.print(PDF, { printer: 'Nowhere', jobName: 'x' })).rejects.toMatchObject({
      refusal: 'unknown-printer',
      message: 'There is no printer named "Nowhere" on this computer. Add it in Windows, or choose another printer in Settings.',
    });
    expect(calls().some((c) => c.program === 'SumatraPDF')).toBe(false);

    process.env.AR_DESK_STANDIN_SPOOLER = 'down';
    const down = await printer.print(PDF, { printer: 'Front Desk HP', jobName: 'x' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(PrintRefusedError);
    expect(down).toMatchObject({ refusal: 'spooler-down', message: expect.stringContaining('Windows did not list its printers (is the Print Spooler service running?)') });
    delete process.env.AR_DESK_STANDIN_SPOOLER;

    await expect(printer.print(PDF, { printer: 'Jammed Laser', jobName: 'x' })).rejects.toMatchObject({
      refusal: 'failed',
      message: expect.stringContaining('Windows did not take the document for "Jammed Laser"'),
    });
  });
});
