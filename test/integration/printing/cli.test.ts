import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { openNodeRuntime } from '../../../src/main/runtime';
import { silentLogger } from '../../../src/main/log';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import { tempDir } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { cups, CUPS_SKIP_REASON, pdfPageCount, printedFile } from '../../helpers/cups';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'ledger.db');
  const rt = await openNodeRuntime({ ledgerPath: db, log: silentLogger });
  await buildDocumentScene(rt.ledger.db);
  await rt.close();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function printJobs() {
  const rt = await openNodeRuntime({ ledgerPath: db, log: silentLogger });
  try {
    return await withDocumentTables(rt.ledger.db).selectFrom('print_jobs').selectAll().orderBy('id').execute();
  } finally {
    await rt.close();
  }
}

describe('print commands: what they refuse before printing', () => {
  it('says how to use them (exit 2) and names a document that does not exist (exit 1)', async () => {
    expect(await cli(['--db', db, 'print'])).toMatchObject({ code: 2, err: expect.stringContaining('give what to print and its number') });
    expect(await cli(['--db', db, 'print', 'receipt', 'X1'])).toMatchObject({ code: 2, err: expect.stringContaining('cannot print "receipt"') });
    expect(await cli(['--db', db, 'print', 'statement', 'CL1042'])).toMatchObject({ code: 2, err: expect.stringContaining('--as-of YYYY-MM-DD') });
    expect(await cli(['--db', db, 'print', 'confirmation', 'K7QX4M2P', '--copies', '0'])).toMatchObject({ code: 2, err: expect.stringContaining('--copies must be a whole number from 1 to 99') });
    expect(await cli(['--db', db, 'print', 'confirmation', 'NOPE1234'])).toMatchObject({ code: 1, err: 'NOT_FOUND: There is no payment with confirmation number NOPE1234.\n' });
    expect(await cli(['--db', db, 'print', 'invoice', 'INV-9999'])).toMatchObject({ code: 1, err: expect.stringContaining('NOT_FOUND') });
    expect(await printJobs()).toEqual([]);
  });
});

describe.skipIf(!cups)(cups ? 'print commands through CUPS' : `print commands through CUPS (${CUPS_SKIP_REASON})`, () => {
  it('lists the printers as JSON with the default marked', async () => {
    const res = await cli(['printers']);
    expect(res).toMatchObject({ code: 0, err: '' });
    const listed = JSON.parse(res.out) as { printers: { name: string; isDefault: boolean; state: string }[] };
    expect(listed.printers).toEqual(expect.arrayContaining([{ name: cups!.printer, isDefault: true, state: expect.stringMatching(/idle|printing/) }]));
    expect(Object.keys(listed.printers[0]!).sort()).toEqual(['isDefault', 'name', 'state']);
  });

  it('prints a confirmation, an invoice and a statement and tells the CUPS job of each', async () => {
    const printed: string[] = [];
    for (const args of [
      ['confirmation', 'K7QX4M2P', '--printer', cups!.printer, '--copies', '2'],
      ['invoice', 'INV-1004'],
      ['statement', 'CL1042', '--as-of', '2026-11-20', '--printer', cups!.printer],
    ]) {
      const res = await cli(['--db', db, 'print', ...args]);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      const m = new RegExp(`^Sent (.+) to printer ${cups!.printer} as job (\\d+) \\(AR Desk print job (\\d+)\\)\\. `).exec(res.out);
      expect(m, res.out).not.toBeNull();
      printed.push(m![2]!);
    }
    for (const jobId of printed) expect(pdfPageCount(await printedFile(jobId))).toBe(1);
    const jobs = await printJobs();
    expect(jobs.map((j) => [j.title, j.status, j.system_printer, j.requested_copies])).toEqual([
      ['Payment confirmation K7QX4M2P', expect.stringMatching(/sent|printed/), cups!.printer, 2],
      ['Invoice INV-1004', expect.stringMatching(/sent|printed/), cups!.printer, null],
      ['Statement CL1042 as of 11/20/2026', expect.stringMatching(/sent|printed/), cups!.printer, null],
    ]);
  });

  it('says why a job was not printed and exits 1, leaving it in the print queue', async () => {
    const res = await cli(['--db', db, 'print', 'confirmation', 'K7QX4M2P', '--printer', 'No-Such-Printer']);
    expect(res.code).toBe(1);
    expect(res.out).toBe('');
    expect(res.err).toMatch(
      /^Not printed: There is no printer named "No-Such-Printer" on this computer\. Add it, or choose another printer in Settings\. Payment confirmation K7QX4M2P waits in AR Desk's print queue as print job \d+; the app tries it again, or discard it there\.\n$/,
    );
    expect((await printJobs()).at(-1)).toMatchObject({ status: 'queued', requested_printer: 'No-Such-Printer', attempts: 1 });
  });
});
