import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
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
/** When set, the next charge waits for this before it reaches the gateway. */
let chargeGate: Promise<void> | null = null;
let atGateway: () => void = () => {};
beforeEach(async () => {
  chargeGate = null;
  rt = await openPaymentsRuntime({
    wrap: (g): PaymentGateway => ({
      name: g.name,
      testMode: g.testMode,
      tokenizeCard: (c, b) => g.tokenizeCard(c, b),
      tokenizeBank: (c, b) => g.tokenizeBank(c, b),
      lookup: (k) => g.lookup(k),
      void: (t, k) => g.void(t, k),
      refund: (t, a, k) => g.refund(t, a, k),
      charge: async (request) => {
        if (chargeGate) {
          const gate = chargeGate;
          chargeGate = null;
          atGateway();
          await gate;
        }
        return g.charge(request);
      },
    }),
  });
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
    expect(await rt.gateway.records()).toEqual([]);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(0);
    expect(rt.log.lines.filter((l) => l.startsWith('error'))).toEqual([]);

    // All or nothing: the import writes every row; then the clerk's same payment goes through.
    expect(await child.done).toBe(importedAll);
    expect(await importedInvoices()).toBe(ROWS);
    expect(await call(rt, 'payments.submit', payment(key))).toMatchObject({ status: 'approved', amountCents: 10_000 });
    expect(await rt.gateway.records()).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });

  it('records a payment charged while the import writes once the import is done, and tells the clerk not to charge again meanwhile', async () => {
    // The charge is at the gateway (its pending row written) when the import takes the ledger.
    let release!: () => void;
    chargeGate = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (atGateway = resolve));
    const key = newKey();
    const submitting = callError(rt, 'payments.submit', payment(key));
    await reached;
    const child = startImport({ HOLD_WRITE_MS: 4000 });
    await child.reached('writing');
    // A short busy timeout, so the approval gives up waiting within the test's time.
    rt.ledger.sqlite.pragma('busy_timeout = 300');
    release();
    const refused = await submitting;
    expect(refused).toMatchObject({
      code: 'UNAVAILABLE',
      message:
        'The card was charged but the ledger could not record it: the ledger is busy importing. Do not charge again; the payment will be recorded as soon as the ledger is free.',
      details: { reason: 'ledger-busy', charged: true, status: 'pending' },
    });
    expect(rt.log.lines.join('\n')).toMatch(/"code":"SQLITE_BUSY"/);

    expect(await child.done).toBe(importedAll);
    rt.ledger.sqlite.pragma('busy_timeout = 5000');
    expect((await recoverPendingPayments(rt.core)).payments).toMatchObject([{ outcome: 'captured', amountCents: 10_000 }]);
    expect(await call(rt, 'payments.submit', payment(key))).toMatchObject({ status: 'approved', amountCents: 10_000 });
    expect((await rt.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    expect(await importedInvoices()).toBe(ROWS);
    await expectHealthy(rt.ledger.db);
  });
});
