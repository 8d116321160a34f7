import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { openNodeRuntime } from '../../../src/main/runtime';
import { silentLogger } from '../../../src/main/log';
import { tempDir } from '../../helpers/runtime';
import { buildDocumentScene, pdfPages, pdfText } from '../../helpers/documents-fixtures';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

const flat = (s: string) => s.replace(/[ \t]+/g, ' ');
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

describe('document commands', () => {
  it('writes the statements of every customer with a balance, or only past due ones, to one PDF', async () => {
    const out = path.join(dir, 'out', 'statements.pdf');
    const all = await cli(['--db', db, 'statements', '--as-of', '2026-11-20', '--out', out]);
    expect(all.err).toBe('');
    expect(all.code).toBe(0);
    expect(all.out).toContain(`Wrote 2 statements (2 pages) as of 2026-11-20 to ${out}; balance due in all $874.17.`);
    const pages = pdfPages(out).map(flat);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Customer number CL1042');
    expect(pages[1]).toContain('Customer number TO0007');

    const pastDueFile = path.join(dir, 'past-due.pdf');
    const pastDue = await cli(['--db', db, 'statements', '--as-of', '2026-11-20', '--past-due-only', '--out', pastDueFile]);
    expect(pastDue.out).toContain('Wrote 1 statement (1 page)');
    expect(flat(pdfText(pastDueFile))).toContain('Balance due $795.17');
  });

  it('writes the statements as a series of files into a folder, replacing an earlier series only with --force', async () => {
    const folder = path.join(dir, 'series');
    const run = (...more: string[]) => cli(['--db', db, 'statements', '--as-of', '2026-11-20', '--out-dir', folder, '--per-file', '1', ...more]);
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Wrote 2 statements (2 pages) as of 2026-11-20 in 2 files to ${folder}`);
    expect(first.out).toContain('balance due in all $874.17.');
    expect(first.out).toContain('statements-001.pdf: 1 statement, 1 page, CL1042 to CL1042');
    expect(first.out).toContain('statements-002.pdf: 1 statement, 1 page, TO0007 to TO0007');
    expect(fs.readdirSync(folder).sort()).toEqual(['statements-001.pdf', 'statements-002.pdf']);
    expect(flat(pdfText(path.join(folder, 'statements-002.pdf')))).toContain('Customer number TO0007');

    const again = await run();
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds statements-001.pdf; add --force/);
    const forced = await cli(['--db', db, 'statements', '--as-of', '2026-11-20', '--past-due-only', '--out-dir', folder, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readdirSync(folder)).toEqual(['statements-001.pdf']);
    expect((await run('--out', path.join(dir, 'z.pdf'))).code).toBe(2);
    expect((await cli(['--db', db, 'statements', '--as-of', '2026-11-20', '--out-dir', folder, '--per-file', '1001'])).code).toBe(2);
  });

  it('writes a payment confirmation by its confirmation number', async () => {
    const out = path.join(dir, 'k7.pdf');
    const res = await cli(['--db', db, 'confirmation', 'K7QX4M2P', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.out).toContain(`Wrote Payment confirmation K7QX4M2P (1 page) to ${out}.`);
    expect(flat(pdfText(out))).toContain('Amount charged $379.00');
    const voided = path.join(dir, 'void.pdf');
    expect((await cli(['--db', db, 'confirmation', 'v9void23', '--out', voided])).code).toBe(0);
    expect(flat(pdfText(voided))).toContain('PAYMENT VOIDED');
  });

  it('exits 1 for an unknown confirmation number and 2 for missing or bad options', async () => {
    const unknown = await cli(['--db', db, 'confirmation', 'NOPE1234', '--out', path.join(dir, 'x.pdf')]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/NOT_FOUND: There is no payment with confirmation number NOPE1234/);
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
    const noOut = await cli(['--db', db, 'statements', '--as-of', '2026-11-20']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out FILE.pdf is required/);
    const badDate = await cli(['--db', db, 'statements', '--as-of', '2026-02-30', '--out', path.join(dir, 'y.pdf')]);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/Usage: npm run cli -- statements --as-of YYYY-MM-DD/);
  });
});
