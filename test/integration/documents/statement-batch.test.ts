import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { pdfPages } from '../../helpers/documents-fixtures';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { createAgingService } from '../../../src/main/ledger/aging.service';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { loadFonts } from '../../../src/main/documents/fonts';
import { writeStatementBatch } from '../../../src/main/documents/statement.batch';
import { createStatementBatchService } from '../../../src/main/documents/statement-batch.service';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { asStaff } from '../../helpers/dispatch';

const AS_OF = '2026-11-20';
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');
const money = (c: number) => `${c < 0 ? '-' : ''}$${(Math.abs(c) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

let rt: TestRuntime;
let owing: { customer_number: string; total: number; unapplied_credits_cents: number }[];

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T20:00:00Z', settings: memorySettingsStore() });
  await seedDemoLedger(rt.ledger, { customers: 110, seed: 7, asOf: AS_OF });
  const aging = await createAgingService(rt.core.deps).report({ asOf: AS_OF, basis: 'due' });
  owing = aging.customers.filter((c) => c.total > 0);
});
afterAll(async () => {
  await rt.dispose();
});

const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' }))![1]);

describe('streamed statements', () => {
  it('writes every customer with a balance exactly once, in customer order, across files of at most the per-file size, with the aging totals', async () => {
    expect(owing.length).toBeGreaterThan(50);
    const folder = tempDir('ar-desk-statements-');
    const progress: number[] = [];
    const r = await writeStatementBatch(rt.ledger.db, rt.core.deps.settings.get(), loadFonts(), {
      asOf: AS_OF,
      pastDueOnly: false,
      folder,
      perFile: 25,
      round: 17,
      onProgress: (p) => progress.push(p.customersRead),
    });
    expect(r.cancelled).toBe(false);
    expect(r.files.map((f) => f.name)).toEqual(Array.from({ length: Math.ceil(owing.length / 25) }, (_, i) => `statements-${String(i + 1).padStart(3, '0')}.pdf`));
    expect(fs.readdirSync(folder).sort()).toEqual(r.files.map((f) => f.name));
    expect(r.files.slice(0, -1).every((f) => f.statements === 25)).toBe(true);
    expect(r.statements).toBe(owing.length);
    expect(progress.at(-1)).toBe(110);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    // Read back: pages, and each statement's first page names its customer; every total is the aging's.
    const seen: string[] = [];
    const text: string[] = [];
    for (const f of r.files) {
      const file = path.join(folder, f.name);
      expect(pageCount(file)).toBe(f.pages);
      const pages = pdfPages(file).map(flat);
      expect(pages).toHaveLength(f.pages);
      for (const p of pages) {
        const m = /Customer number (\S+)/.exec(p);
        if (m) seen.push(m[1]!);
      }
      text.push(pages.join('\n'));
    }
    expect(seen).toEqual(owing.map((c) => c.customer_number));
    expect(r.balanceDueCents).toBe(owing.reduce((s, c) => s + c.total - c.unapplied_credits_cents, 0));
    const all = text.join('\n');
    for (const c of owing) expect(all).toContain(`Statement for ${c.customer_number}`);
    for (const c of owing.slice(0, 10)) expect(all).toContain(`Total open invoices ${money(c.total)}`);

    // The same statements as the one-file batch draws.
    const whole = await rt.core.documents.build({ kind: 'statements', asOf: AS_OF, pastDueOnly: false });
    expect(whole.statements!.map((s) => s.customerNumber)).toEqual(seen);
    expect(whole.pageCount).toBe(r.pages);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('past due only leaves out customers with nothing past due', async () => {
    const folder = tempDir('ar-desk-statements-');
    const r = await writeStatementBatch(rt.ledger.db, rt.core.deps.settings.get(), loadFonts(), { asOf: AS_OF, pastDueOnly: true, folder, perFile: 1000 });
    const whole = await rt.core.documents.build({ kind: 'statements', asOf: AS_OF, pastDueOnly: true });
    expect(r.files).toHaveLength(1);
    expect(r.statements).toBe(whole.statements!.length);
    expect(r.statements).toBeLessThan(owing.length);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a cancel after the first file keeps that file whole, writes no other and leaves no temporary file', async () => {
    const folder = tempDir('ar-desk-statements-');
    const abort = new AbortController();
    const r = await writeStatementBatch(rt.ledger.db, rt.core.deps.settings.get(), loadFonts(), {
      asOf: AS_OF,
      pastDueOnly: false,
      folder,
      perFile: 25,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.files >= 1) abort.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.files.map((f) => f.name)).toEqual(['statements-001.pdf']);
    expect(r.statements).toBe(25);
    expect(fs.readdirSync(folder)).toEqual(['statements-001.pdf']);
    expect(pageCount(path.join(folder, 'statements-001.pdf'))).toBe(r.files[0]!.pages);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('runs from the screen through the channels: progress, result, one at a time, cancel, and an audit row for each start', async () => {
    const root = tempDir('ar-desk-statements-');
    const core = { ...rt.core, statementBatches: createStatementBatchService({ ...rt.core.deps, statementsDir: root }, { perFile: 25 }) };
    const call = async (channel: string, input: unknown) => {
      const res = await dispatch(createDispatcher(core), channel, input, asStaff('dana'));
      if (!res.ok) throw Object.assign(new Error(res.error.message), res.error);
      return res.data as never as { id: number; status: string; folder: string; files: { name: string }[]; statements: number; customers: number };
    };
    const started = await call('documents.startStatementBatch', { asOf: AS_OF, pastDueOnly: false });
    expect(started.status).toBe('running');
    expect(path.dirname(started.folder)).toBe(root);
    await expect(call('documents.startStatementBatch', { asOf: AS_OF, pastDueOnly: false })).rejects.toMatchObject({ code: 'CONFLICT' });
    const done = await core.statementBatches.settled(started.id);
    expect(done.status).toBe('done');
    expect(done.statements).toBe(owing.length);
    expect((await call('documents.statementBatch', { batchId: started.id })).files).toHaveLength(Math.ceil(owing.length / 25));

    const second = await call('documents.startStatementBatch', { asOf: AS_OF, pastDueOnly: false });
    expect(second.folder).not.toBe(started.folder);
    const cancelled = await call('documents.cancelStatementBatch', { batchId: second.id });
    expect(cancelled.id).toBe(second.id);
    const after = await core.statementBatches.settled(second.id);
    expect(after.status).toBe('cancelled');
    expect(fs.readdirSync(second.folder).filter((n) => !/^statements-\d{3}\.pdf$/.test(n))).toEqual([]);
    expect(fs.readdirSync(second.folder)).toHaveLength(after.files.length);

    const audit = await rt.ledger.db.selectFrom('audit_log').select(['action', 'outcome']).where('action', 'like', '%StatementBatch%').execute();
    // An export: every start is audited, the refused one too.
    expect(audit.filter((a) => a.action === 'documents.startStatementBatch')).toHaveLength(3);
    expect(new Set(audit.map((a) => a.outcome)).size).toBe(2);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
