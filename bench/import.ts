/**
 * A million-invoice CSV import at office scale: a fresh ledger (on PostgreSQL a database of its own
 * beside the benchmark's, NAME_bigimport) with the benchmark's customers, a CSV of `rows` invoices
 * for them (a third arriving part paid) written to a temp file, then `npm run cli -- import invoices
 * FILE` in a child process under /usr/bin/time, which gives its peak resident memory. The seconds
 * are the whole command's (start-up included). Targets on SQLite: at most 60 s and 1 GB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../src/main/clock';
import { silentLogger } from '../src/main/log';
import { openNodeRuntime } from '../src/main/runtime';
import { memorySettingsStore } from '../src/main/settings/settings.store';
import { benchDatabaseName, databaseUrlFor, dropDatabase, recreateDatabase } from './postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ImportBenchOptions {
  rows: number;
  customers: number;
  asOf: string;
  databaseUrl?: string | undefined;
}

export interface ImportBenchResult {
  rows: number;
  seconds: number;
  peakMb: number;
  /** The command's user and system CPU seconds (on PostgreSQL without the server's): beside the wall seconds on a busy machine. */
  cpuSeconds: number;
  engine: 'sqlite' | 'postgres';
}

const customerNumber = (n: number) => `BI${String(n).padStart(6, '0')}`;

/** The invoices file, written in pieces: INV numbers, spread over the customers, amounts and dates varied. */
function writeInvoicesCsv(file: string, rows: number, customers: number, asOf: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'invoice_number,customer_number,issue_date,due_date,amount,amount_paid,description\n');
    const year = Number(asOf.slice(0, 4)) - 1;
    let piece: string[] = [];
    for (let n = 0; n < rows; n++) {
      const month = String(1 + (n % 12)).padStart(2, '0');
      const day = String(1 + (n % 28)).padStart(2, '0');
      const amount = 1_000 + ((n * 7919) % 500_000);
      const paid = n % 3 === 0 ? (Math.floor(amount / 4) / 100).toFixed(2) : '';
      piece.push(`BI-${n + 1},${customerNumber(n % customers)},${year}-${month}-${day},${year}-${month}-28,${(amount / 100).toFixed(2)},${paid},Services ${month}/${year}`);
      if (piece.length === 10_000) {
        fs.writeSync(fd, `${piece.join('\n')}\n`);
        piece = [];
      }
    }
    if (piece.length > 0) fs.writeSync(fd, `${piece.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the CLI's import under /usr/bin/time -v: its exit code, output, wall seconds and peak RSS. */
function timedCliImport(args: string[]): Promise<{ code: number; out: string; err: string; seconds: number; peakMb: number; cpuSeconds: number }> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', path.join(root, 'bin', 'cli.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const cpu = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([0-9.]+)`).exec(err)?.[1] ?? NaN);
      resolve({ code: code ?? 1, out, err, seconds, peakMb: kb ? Number(kb[1]) / 1024 : NaN, cpuSeconds: cpu('User') + cpu('System') });
    });
  });
}

export async function importBenchmark(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-bench-bigimport-'));
  const ledgerPath = path.join(dir, 'ledger.db');
  const url = options.databaseUrl === undefined ? undefined : databaseUrlFor(options.databaseUrl, `${benchDatabaseName(options.databaseUrl)}_bigimport`);
  if (url) await recreateDatabase(url);
  try {
    const rt = await openNodeRuntime({
      ledgerPath,
      databaseUrl: url,
      clock: fixedClock(`${options.asOf}T17:00:00Z`),
      settings: memorySettingsStore({ timeZone: 'UTC' }),
      log: silentLogger,
    });
    try {
      const people = ['customer_number,legal_name,terms_days'];
      for (let n = 0; n < options.customers; n++) people.push(`${customerNumber(n)},Import Customer ${n},30`);
      const r = await rt.core.imports.importCsv('customers', people.join('\n'), 'bench');
      if (!r.ok) throw new Error(`the import benchmark's customers were refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
    } finally {
      await rt.close();
    }
    const file = path.join(dir, 'invoices.csv');
    writeInvoicesCsv(file, options.rows, options.customers, options.asOf);
    const run = await timedCliImport(['--db', ledgerPath, ...(url ? ['--database-url', url] : []), 'import', 'invoices', file]);
    if (run.code !== 0 || !run.out.includes(`Imported ${options.rows} invoices`)) {
      throw new Error(`the import benchmark's import failed (exit ${run.code}):\n${run.out}\n${run.err.slice(0, 2000)}`);
    }
    return { rows: options.rows, seconds: run.seconds, peakMb: run.peakMb, cpuSeconds: run.cpuSeconds, engine: url ? 'postgres' : 'sqlite' };
  } finally {
    if (url) await dropDatabase(url);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printImportBenchmark(r: ImportBenchResult): void {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const targets = r.engine === 'sqlite' ? `  <= 60 s: ${verdict(r.seconds <= 60)}, <= 1024 MB: ${verdict(r.peakMb <= 1024)}` : '';
  console.log(
    `${`import ${r.rows.toLocaleString('en-US')} invoices from CSV (${r.engine}): s, peak MB`.padEnd(52)} ${r.seconds.toFixed(1).padStart(8)} ${r.peakMb.toFixed(0).padStart(6)}${targets} (CPU ${r.cpuSeconds.toFixed(1)} s, load ${os.loadavg()[0]!.toFixed(1)})`,
  );
}
