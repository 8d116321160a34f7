import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCustomer,
  addInvoice,
  call,
  callError,
  cardMethod,
  CARDS,
  countRows,
  expectHealthy,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

/**
 * An import running in another process (the command line beside the app) while a clerk takes a
 * payment. The import is the real one; its child process only pauses at a given phase
 * (import-child.ts) so the payment lands there.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(import.meta.dirname, 'import-child.ts');
const ROWS = 300;

let rt: PaymentsRuntime;
let file: string;
beforeEach(async () => {
  rt = await openPaymentsRuntime();
  const c = await addCustomer(rt.ledger.db, 'CL1042', 'Harbor Lane Dental');
  await addInvoice(rt.ledger.db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
  file = path.join(rt.dir, 'invoices.csv');
  const lines = ['invoice_number,customer_number,issue_date,due_date,amount'];
  for (let i = 1; i <= ROWS; i++) lines.push(`INV-${5000 + i},CL1042,2026-10-01,2026-10-31,${i}.00`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
});
afterEach(async () => {
  await rt.dispose();
});

interface ImportChild {
  lines: string[];
  /** Resolves with the line once the child printed `word`. */
  reached(word: string): Promise<void>;
  /** The child's last line ("result …" or "error …") once it exited. */
  done: Promise<string>;
}

function startImport(env: { SLOW_CHECK_MS?: number; HOLD_WRITE_MS?: number }): ImportChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: root,
    env: {
      ...process.env,
      IMPORT_DB: rt.ledger.path,
      IMPORT_KIND: 'invoices',
      IMPORT_FILE: file,
      SLOW_CHECK_MS: String(env.SLOW_CHECK_MS ?? 0),
      HOLD_WRITE_MS: String(env.HOLD_WRITE_MS ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiting: { word: string; resolve: () => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiting.filter((x) => x.word === line)) w.resolve();
    }
  });
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) => {
      const last = lines.at(-1) ?? '';
      if (/^(result|error) /.test(last)) resolve(last);
      else reject(new Error(`the import child exited ${code} without a result:\n${lines.join('\n')}\n${stderr}`));
    }),
  );
  return {
    lines,
    reached: (word) =>
      lines.includes(word)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiting.push({ word, resolve })),
            done.then(() => {
              throw new Error(`the import finished without reaching "${word}": ${lines.join(' | ')}`);
            }),
          ]),
    done,
  };
}

const payment = (key: string) => ({
  customerNumber: 'CL1042',
  invoiceNumbers: ['INV-1'],
  creditNumbers: [],
  method: cardMethod(CARDS.visa),
  confirmedAmountCents: 10_000,
  idempotencyKey: key,
});

const importedAll = `result ${JSON.stringify({ ok: true, counts: { kind: 'invoices', rows: ROWS, amountCents: (ROWS * (ROWS + 1) * 100) / 2, paidCents: 0, payments: 0 } })}`;

async function importedInvoices(): Promise<number> {
  const r = await rt.ledger.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('invoice_number', 'like', 'INV-5%').executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('an import in another process while a clerk takes a payment', () => {
  it('checks its file without holding the ledger: a payment meanwhile is taken, and the import still writes every row', async () => {
    const child = startImport({ SLOW_CHECK_MS: 3000 });
    await child.reached('checking');
    expect(await call(rt, 'payments.submit', payment(newKey()))).toMatchObject({ status: 'approved', amountCents: 10_000 });
    // The payment was taken before the import began to write.
    expect(child.lines).not.toContain('writing');
    expect(await child.done).toBe(importedAll);
    expect(await importedInvoices()).toBe(ROWS);
    await expectHealthy(rt.ledger.db);
  });

  it('holds the ledger only while it writes: a payment then waits for it and is taken', async () => {
    const child = startImport({ HOLD_WRITE_MS: 1500 });
    await child.reached('writing');
    expect(await call(rt, 'payments.submit', payment(newKey()))).toMatchObject({ status: 'approved', amountCents: 10_000 });
    expect(await child.done).toBe(importedAll);
    expect(await importedInvoices()).toBe(ROWS);
    await expectHealthy(rt.ledger.db);
  });

  it('refuses a payment that cannot wait for the writes with BUSY, saying for how long, before anything is charged', async () => {
    const child = startImport({ HOLD_WRITE_MS: 8000 });
    await child.reached('writing');
    const key = newKey();
    const refused = await callError(rt, 'payments.submit', payment(key));
    expect(refused).toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(/^The ledger is busy importing; try again in \d+ seconds?\. Nothing was charged or changed\.$/),
      details: { reason: 'ledger-busy', importing: true, retryAfterSeconds: expect.any(Number) },
    });
    expect(rt.gateway.records()).toEqual([]);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(rt.log.lines.filter((l) => l.startsWith('error'))).toEqual([]);

    // All or nothing: the import writes every row; then the clerk's same payment goes through.
    expect(await child.done).toBe(importedAll);
    expect(await importedInvoices()).toBe(ROWS);
    expect(await call(rt, 'payments.submit', payment(key))).toMatchObject({ status: 'approved', amountCents: 10_000 });
    expect(rt.gateway.records()).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });
});
