/**
 * Batch statements at office scale (figures, not pass/fail): every statement of the as-of date
 * written as a series of PDF files into a temporary folder, with the peak resident memory sampled
 * every 50 ms while it runs. Targets: the 50,000-customer ledger's (about 30,000 statements) in at
 * most 60 s and 400 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeRuntime } from '../src/main/runtime';
import { loadFonts } from '../src/main/documents/fonts';
import { writeStatementBatch } from '../src/main/documents/statement.batch';

export interface StatementsSpeed {
  count: number;
  files: number;
  pages: number;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
  /** The process's resident memory when the batch started (the ledger open, the fonts not yet read). */
  startMb: number;
  balanceDueCents: number;
}

export async function statementsSpeed(rt: NodeRuntime, asOf: string, options: { onProgress?: (line: string) => void } = {}): Promise<StatementsSpeed> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-bench-statements-'));
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  let lastLine = 0;
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await writeStatementBatch(rt.ledger.db, rt.core.deps.settings.get(), loadFonts(), {
      asOf,
      pastDueOnly: false,
      folder,
      onProgress: (p) => {
        if (!options.onProgress || performance.now() - lastLine < 5000) return;
        lastLine = performance.now();
        options.onProgress(`statements: ${p.statements} drawn, ${p.customersRead} of ${p.customers} customers read, ${p.files} files`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      count: r.statements,
      files: r.files.length,
      pages: r.pages,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakMb: peak / 1024 / 1024,
      startMb: start / 1024 / 1024,
      balanceDueCents: r.balanceDueCents,
    };
  } finally {
    clearInterval(sampler);
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export function printStatements(s: StatementsSpeed): void {
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`${`statements: ${s.count} in ${s.files} files, ${s.pages} pages (s)`.padEnd(52)} ${s.seconds.toFixed(1).padStart(8)}  <= 60: ${verdict(s.seconds <= 60)} (cpu ${s.cpuSeconds.toFixed(1)} s)`);
  console.log(`${'statements: peak resident memory (MB)'.padEnd(52)} ${s.peakMb.toFixed(0).padStart(8)}  <= 400: ${verdict(s.peakMb <= 400)} (${s.startMb.toFixed(0)} MB at its start)`);
}
