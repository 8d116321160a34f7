import { sql } from 'kysely';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import {
  addCustomer,
  addInvoice,
  applicationRows,
  call,
  callError,
  cardMethod,
  CARDS,
  expectHealthy,
  invoiceStatus,
  newKey,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

// The disk fills up while the card is at the gateway: the ledger file may not grow by one page
// (PRAGMA max_page_count, the page count SQLite allows the file) and what free room it had is
// taken. The approval's transaction then fails with SQLITE_FULL.

let rt: PaymentsRuntime | undefined;
afterEach(async () => {
  await rt?.dispose();
  rt = undefined;
});

const UNLIMITED_PAGES = 1_073_741_823;

function fillTheDisk(sqlite: Database.Database): void {
  sqlite.exec('CREATE TABLE IF NOT EXISTS disk_filler (x BLOB)');
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  sqlite.pragma(`max_page_count = ${pages}`);
  const insert = sqlite.prepare('INSERT INTO disk_filler (x) VALUES (zeroblob(?))');
  for (const size of [4096, 512, 64, 1]) {
    try {
      for (;;) insert.run(size);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_FULL') throw e;
    }
  }
}

function freeTheDisk(sqlite: Database.Database): void {
  sqlite.pragma(`max_page_count = ${UNLIMITED_PAGES}`);
  sqlite.exec('DROP TABLE disk_filler');
}

/** A gateway that fills the disk once it has approved a charge, before the ledger hears of it. */
function diskFillsAfterCharge(inner: PaymentGateway, fill: () => void): PaymentGateway {
  return {
    name: inner.name,
    testMode: inner.testMode,
    tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
    tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
    lookup: (k) => inner.lookup(k),
    void: (t, k) => inner.void(t, k),
    refund: (t, a, k) => inner.refund(t, a, k),
    charge: async (request) => {
      const result = await inner.charge(request);
      if (result.outcome === 'approved') fill();
      return result;
    },
  };
}

describe('a full disk after the gateway approved', () => {
  it('tells the clerk the card was charged and not to charge again, logs the SQLite error, and recovery posts it once when space is freed', async () => {
    let full = false;
    const opened = await openPaymentsRuntime({
      wrap: (g) =>
        diskFillsAfterCharge(g, () => {
          full = true;
          fillTheDisk(opened.ledger.sqlite);
        }),
    });
    rt = opened;
    const db = opened.ledger.db;
    const c = await addCustomer(db, 'CL1042', 'Harbor Lane Dental');
    // Pay All on 80 invoices: the approval posts 80 applications, more than the free room the file has left.
    const invoices = Array.from({ length: 80 }, (_, i) => `INV-${1001 + i}`);
    for (const [i, number] of invoices.entries()) await addInvoice(db, c, number, 1_000 + i, { dueDate: '2026-09-01' });
    const total = invoices.reduce((s, _, i) => s + 1_000 + i, 0);
    const input = {
      customerNumber: 'CL1042',
      invoiceNumbers: 'all' as const,
      creditNumbers: [],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: total,
      idempotencyKey: newKey(),
    };

    const error = await callError(opened, 'payments.submit', input);
    expect(full).toBe(true);
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message:
        'The card was charged but the ledger could not record it: the disk is full. Do not charge again; the payment will be recorded when space is freed.',
      details: { reason: 'ledger-full', charged: true, status: 'pending' },
    });
    const paymentId = (error.details as { paymentId: number }).paymentId;
    const logged = opened.log.lines.join('\n');
    expect(logged).toMatch(/^error .*could not record.*"code":"SQLITE_FULL".*database or disk is full/m);
    expect(logged).not.toMatch(/cannot rollback|no such savepoint/);

    // The payment stays pending on the account, whatever the window does.
    expect(await call(opened, 'payments.get', { paymentId })).toMatchObject({ status: 'pending', confirmationNumber: null });
    expect((await opened.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    // Still full: recovery tries, fails the same way and leaves it pending.
    await expect(recoverPendingPayments(opened.core)).rejects.toThrow(/disk is full/);
    expect(await call(opened, 'payments.get', { paymentId })).toMatchObject({ status: 'pending' });

    freeTheDisk(opened.ledger.sqlite);
    const report = await recoverPendingPayments(opened.core);
    expect(report.payments).toEqual([
      { paymentId, customerNumber: 'CL1042', outcome: 'captured', amountCents: total, confirmationNumber: expect.stringMatching(/^\w{4}-\w{4}$/), message: null },
    ]);
    expect(total).toBe(83_160);
    const applied = await applicationRows(db, paymentId);
    expect(applied.map((a) => [a.invoice, a.source, a.cents])).toEqual(invoices.map((n, i) => [n, 'payment', 1_000 + i]));
    for (const n of invoices) expect(await invoiceStatus(db, n)).toBe('paid');
    const audit = await db.selectFrom('audit_log').select('action').where('entity', '=', 'payment').where('entity_id', '=', String(paymentId)).execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.submit', 'payment.capture']);

    // The clerk presses Submit again: the same answer, nothing charged twice.
    expect(await call(opened, 'payments.submit', input)).toMatchObject({ status: 'approved', paymentId, confirmationNumber: report.payments[0]!.confirmationNumber });
    expect((await opened.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    await expectHealthy(db);
  });
});

describe('a ledger transaction that SQLite ended itself', () => {
  it('fails with SQLite’s own error, not with the failed rollback after it', async () => {
    rt = await openPaymentsRuntime();
    const { sqlite, db } = rt.ledger;
    sqlite.exec('CREATE TABLE disk_filler (x BLOB)');
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    let ended: boolean | undefined;
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 1000; i++) {
          await sql`INSERT INTO disk_filler (x) VALUES (zeroblob(300))`.execute(trx).catch((e: unknown) => {
            ended = !sqlite.inTransaction;
            throw e;
          });
        }
      })
      .then(
        () => null,
        (e: unknown) => e as { code?: string; message: string },
      );
    expect(ended).toBe(true);
    expect(failure).toMatchObject({ code: 'SQLITE_FULL', message: 'database or disk is full' });
    sqlite.pragma(`max_page_count = ${UNLIMITED_PAGES}`);
    expect(sqlite.inTransaction).toBe(false);
    expect(sqlite.prepare('SELECT count(*) AS n FROM disk_filler').get()).toEqual({ n: 0 });
  });
});
