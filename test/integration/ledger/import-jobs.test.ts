import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { IMPORT_PIECE_BYTES, type ImportJobView } from '../../../src/shared/contract/imports';
import { asStaff } from '../../helpers/dispatch';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';

/**
 * Importing from the screen: the file's bytes come in numbered pieces, main keeps them in a private
 * file, imports it as the CLI does (all or nothing) and reports the progress; the file goes after.
 */
let rt: TestRuntime;
let d: ReturnType<typeof createDispatcher>;
let importsDir: string;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'ar-desk-import-jobs-'));
  importsDir = path.join(dir, 'imports');
  rt = await openTestRuntime({ dir, importsDir });
  d = createDispatcher(rt.core);
});
afterAll(async () => {
  await rt.dispose();
});

const SUPER = asStaff('sam.super', 'supervisor');

async function ok<T>(channel: Parameters<typeof dispatch>[1], input: unknown, as = SUPER): Promise<T> {
  const r = await dispatch(d, channel, input, as);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}
async function refused(channel: Parameters<typeof dispatch>[1], input: unknown, as = SUPER): Promise<{ code: string; message: string }> {
  const r = await dispatch(d, channel, input, as);
  if (r.ok) throw new Error(`${channel} was answered`);
  return r.error;
}

/** Sends `bytes` as the page does: pieces in base64, numbered from 0 (smaller than the page's, so a test file has several). */
const PIECE = 64 * 1024;
async function send(kind: 'customers' | 'invoices', fileName: string, bytes: Buffer): Promise<ImportJobView> {
  const begun = await ok<ImportJobView>('imports.begin', { kind, fileName, bytes: bytes.length });
  let view = begun;
  for (let piece = 0, at = 0; at < bytes.length; piece++, at += PIECE) {
    view = await ok<ImportJobView>('imports.append', { importId: begun.id, piece, data: bytes.subarray(at, at + PIECE).toString('base64') });
  }
  return view;
}

function customersCsv(count: number, from = 1): Buffer {
  const lines = ['customer_number,legal_name,email'];
  for (let i = from; i < from + count; i++) lines.push(`IJ${String(i).padStart(5, '0')},Import Job Customer ${i} Ltd,billing${i}@example.com`);
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

describe('importing a file sent from the screen', () => {
  it('receives a file of several pieces, imports every row once, and removes the file', async () => {
    const file = customersCsv(4_000);
    expect(file.length).toBeGreaterThan(3 * PIECE);
    const received = await send('customers', 'customers.csv', file);
    expect(received).toMatchObject({ status: 'receiving', bytes: file.length, receivedBytes: file.length });
    expect(fs.readdirSync(importsDir)).toHaveLength(1);

    const started = await ok<ImportJobView>('imports.start', { importId: received.id });
    expect(started.status).toBe('checking');
    const done = await rt.core.importJobs.settled(received.id);
    expect(done).toMatchObject({ status: 'done', rows: 4_000, totalRows: 4_000, counts: { rows: 4_000 }, errorCount: 0 });
    expect(await ok<ImportJobView>('imports.get', { importId: received.id })).toMatchObject({ status: 'done' });
    const count = await rt.ledger.db.selectFrom('customers').where('customer_number', 'like', 'IJ%').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4_000);
    const audit = await rt.ledger.db.selectFrom('audit_log').select(['actor', 'summary']).where('action', '=', 'import').execute();
    expect(audit.map((a) => [a.actor, JSON.parse(a.summary).source])).toContainEqual(['sam.super', 'customers.csv']);
    expect(fs.readdirSync(importsDir)).toHaveLength(0);
  });

  it('refuses the whole file for a bad line near its end, listing it, and writes nothing', async () => {
    const good = customersCsv(3_000, 50_000).toString('utf8');
    const bytes = Buffer.from(`${good}IJ99999,,late@example.com\n`, 'utf8');
    const sent = await send('customers', 'bad-end.csv', bytes);
    await ok('imports.start', { importId: sent.id });
    const done = await rt.core.importJobs.settled(sent.id);
    expect(done.status).toBe('refused');
    expect(done.errorCount).toBe(1);
    expect(done.errors[0]!.line).toBe(3_002);
    expect(done.errors[0]!.message).toMatch(/legal_name/);
    const count = await rt.ledger.db.selectFrom('customers').where('customer_number', '>=', 'IJ50000').where('customer_number', 'like', 'IJ%').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect(fs.readdirSync(importsDir)).toHaveLength(0);
  });

  it('refuses a piece out of order, more bytes than announced, a start before every byte, and someone else’s import', async () => {
    const bytes = customersCsv(10, 70_000);
    const begun = await ok<ImportJobView>('imports.begin', { kind: 'customers', fileName: 'x.csv', bytes: bytes.length });
    expect(await refused('imports.append', { importId: begun.id, piece: 1, data: bytes.toString('base64') })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/piece 0 was expected/) });
    expect(await refused('imports.start', { importId: begun.id })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Only 0 of the file's \d+ bytes arrived/) });
    expect(await refused('imports.append', { importId: begun.id, piece: 0, data: Buffer.concat([bytes, Buffer.from('more')]).toString('base64') })).toMatchObject({ code: 'VALIDATION' });
    expect(await refused('imports.append', { importId: begun.id, piece: 0, data: 'not base64!' })).toMatchObject({ code: 'VALIDATION' });
    // The page's pieces fit the bridge's body limit.
    expect(Math.ceil(IMPORT_PIECE_BYTES / 3) * 4 + 100).toBeLessThan(1024 * 1024);
    expect(await refused('imports.get', { importId: begun.id }, asStaff('other.super', 'supervisor'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused('imports.begin', { kind: 'customers', fileName: 'x.csv', bytes: 10 }, asStaff('pat.clerk', 'clerk'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused('imports.get', { importId: 999 })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
