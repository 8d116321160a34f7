import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/main/cli/cli';
import { commands } from '../../src/main/cli/commands';
import { OutFileError, writeOutFile } from '../../src/main/cli/out-file';
import { openNodeRuntime } from '../../src/main/runtime';
import { silentLogger } from '../../src/main/log';
import { tempDir } from '../helpers/runtime';
import { buildDocumentScene } from '../helpers/documents-fixtures';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** The arguments besides --out that make each command with --out write a file. */
const WRITES: Record<string, string[]> = {
  statements: ['--as-of', '2026-11-20'],
  confirmation: ['K7QX4M2P'],
  'invoice-pdf': ['INV-1001'],
};

let dir: string;
let db: string;
let n = 0;
/** A fresh folder for each case, so leftovers are easy to see. */
const caseDir = () => {
  const d = path.join(dir, `case-${++n}`);
  fs.mkdirSync(d);
  return d;
};
const isPdf = (file: string) => fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-';

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

/** Commands whose --out never replaces a file, not even with --force, each with the reason (tested in their own files). */
const NEVER_REPLACES: Record<string, string> = {
  backup: 'a backup written over another could destroy the only good copy (test/integration/backup.test.ts)',
};

describe('--out in every CLI command', () => {
  it('covers every command that takes --out', () => {
    const withOut = commands.filter((c) => c.usage.includes('--out') && !NEVER_REPLACES[c.name]).map((c) => c.name);
    expect(withOut.length).toBeGreaterThan(0);
    expect(withOut.sort()).toEqual(Object.keys(WRITES).sort());
    for (const c of commands.filter((c) => c.usage.includes('--out'))) expect(c.usage).toContain(NEVER_REPLACES[c.name] ? '--out FILE' : '[--force]');
    for (const name of Object.keys(NEVER_REPLACES)) expect(commands.find((c) => c.name === name)?.usage).not.toContain('--force');
  });

  describe.each(Object.entries(WRITES))('%s --out', (name, args) => {
    const run = (out: string, ...more: string[]) => cli(['--db', db, name, ...args, '--out', out, ...more]);

    it('writes a new file and leaves no temporary file behind', async () => {
      const d = caseDir();
      const out = path.join(d, 'new.pdf');
      const res = await run(out);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(isPdf(out)).toBe(true);
      expect(fs.readdirSync(d)).toEqual(['new.pdf']);
    });

    it('refuses to replace an existing file without --force, and leaves it as it was', async () => {
      const d = caseDir();
      const out = path.join(d, 'existing.pdf');
      fs.writeFileSync(out, 'keep me');
      const res = await run(out);
      expect(res.code).toBe(1);
      expect(res.err).toContain(`${out} already exists; add --force to replace it.`);
      expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
      expect(fs.readdirSync(d)).toEqual(['existing.pdf']);
    });

    it('replaces an existing file with --force', async () => {
      const d = caseDir();
      const out = path.join(d, 'existing.pdf');
      fs.writeFileSync(out, 'old');
      const res = await run(out, '--force');
      expect(res.code).toBe(0);
      expect(isPdf(out)).toBe(true);
      expect(fs.readdirSync(d)).toEqual(['existing.pdf']);
    });

    it('refuses a symbolic link, with or without --force, and writes nothing through it', async () => {
      const d = caseDir();
      const victim = path.join(d, 'victim.txt');
      fs.writeFileSync(victim, 'precious');
      const link = path.join(d, 'link.pdf');
      fs.symlinkSync(victim, link);
      for (const extra of [[], ['--force']]) {
        const res = await run(link, ...extra);
        expect(res.code).toBe(1);
        expect(res.err).toContain(`${link} is a symbolic link`);
        expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
        expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      }
      // A link to nowhere is refused too: nothing is created where it points.
      const dangling = path.join(d, 'dangling.pdf');
      const nowhere = path.join(d, 'nowhere.pdf');
      fs.symlinkSync(nowhere, dangling);
      expect((await run(dangling, '--force')).code).toBe(1);
      expect(fs.existsSync(nowhere)).toBe(false);
      expect(fs.readdirSync(d).sort()).toEqual(['dangling.pdf', 'link.pdf', 'victim.txt']);
    });

    it('never writes through a link planted where a temporary file might go', async () => {
      const d = caseDir();
      const out = path.join(d, 'out.pdf');
      const victim = path.join(d, 'victim.txt');
      fs.writeFileSync(victim, 'precious');
      // The old writer used OUT.tmp, a name anyone could guess and plant a link at.
      fs.symlinkSync(victim, `${out}.tmp`);
      const res = await run(out);
      expect(res.code).toBe(0);
      expect(isPdf(out)).toBe(true);
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
      expect(fs.lstatSync(`${out}.tmp`).isSymbolicLink()).toBe(true);
    });

    it('says clearly when the target is a folder', async () => {
      const d = caseDir();
      const res = await run(d);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(new RegExp(`${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a folder; give a file name inside it, e\\.g\\. --out ${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+\\.pdf`));
      expect(fs.readdirSync(d)).toEqual([]);
    });
  });
});

describe('writeOutFile', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('creates its temporary file exclusively (wx) in the target folder, then moves it into place', () => {
    const d = caseDir();
    const out = path.join(d, 'report.csv');
    const open = vi.spyOn(fs, 'openSync');
    writeOutFile(out, 'a,b\r\n');
    const [tmp, flags] = open.mock.calls[0]!;
    expect(path.dirname(String(tmp))).toBe(d);
    expect(String(tmp)).not.toBe(`${out}.tmp`);
    expect(flags).toBe('wx');
    expect(fs.readFileSync(out, 'utf8')).toBe('a,b\r\n');
    expect(fs.existsSync(String(tmp))).toBe(false);
  });

  it('does not overwrite a file that appears while it writes, and cleans up', () => {
    const d = caseDir();
    const out = path.join(d, 'race.pdf');
    const fsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      fsync(fd);
      fs.writeFileSync(out, 'written by someone else meanwhile');
    });
    expect(() => writeOutFile(out, '%PDF-1.7')).toThrow(OutFileError);
    expect(fs.readFileSync(out, 'utf8')).toBe('written by someone else meanwhile');
    expect(fs.readdirSync(d)).toEqual(['race.pdf']);
  });

  it('leaves the old file whole and no temporary file when the write fails', () => {
    const d = caseDir();
    const out = path.join(d, 'keep.pdf');
    fs.writeFileSync(out, 'old contents');
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => writeOutFile(out, 'new contents', { force: true })).toThrow(/ENOSPC/);
    expect(fs.readFileSync(out, 'utf8')).toBe('old contents');
    expect(fs.readdirSync(d)).toEqual(['keep.pdf']);
  });

  it('says so when the folder it should write in is a file', () => {
    const d = caseDir();
    fs.writeFileSync(path.join(d, 'notafolder'), '');
    expect(() => writeOutFile(path.join(d, 'notafolder', 'x.pdf'), 'x')).toThrow(/notafolder is not a folder/);
  });
});
