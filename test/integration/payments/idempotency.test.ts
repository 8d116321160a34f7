import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
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
  openCents,
  openPaymentsRuntime,
  type PaymentsRuntime,
} from '../../helpers/payments-fixtures';

const runtimes: PaymentsRuntime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.dispose();
});

async function setUp(options: Parameters<typeof openPaymentsRuntime>[0] = {}): Promise<PaymentsRuntime> {
  const rt = await openPaymentsRuntime(options);
  runtimes.push(rt);
  if (!options.dir) {
    const c = await addCustomer(rt.ledger.db, 'CL1042');
    await addInvoice(rt.ledger.db, c, 'INV-1', 10_000, { dueDate: '2026-09-01' });
    await addInvoice(rt.ledger.db, c, 'INV-2', 20_000, { dueDate: '2026-10-01' });
  }
  return rt;
}

const submit = (key: string, invoiceNumbers: string[] | 'all' = ['INV-1'], confirmedAmountCents = 10_000) => ({
  customerNumber: 'CL1042',
  invoiceNumbers,
  creditNumbers: [],
  method: cardMethod(CARDS.visa),
  confirmedAmountCents,
  idempotencyKey: key,
});

/** Holds every charge until released, so tests can act while a payment is at the gateway. */
function gated(inner: PaymentGateway) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const atGateway = new Promise<void>((resolve) => (reached = resolve));
  const gateway: PaymentGateway = {
    ...inner,
    name: inner.name,
    testMode: inner.testMode,
    tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
    tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
    lookup: (k) => inner.lookup(k),
    void: (t, k) => inner.void(t, k),
    refund: (t, a, k) => inner.refund(t, a, k),
    charge: async (request) => {
      reached();
      await gate;
      return inner.charge(request);
    },
  };
  return { gateway, release, atGateway };
}

describe('the same idempotency key', () => {
  it('returns the first result when submitted again and charges once', async () => {
    const rt = await setUp();
    const key = newKey();
    const first = await call(rt, 'payments.submit', submit(key));
    const again = await call(rt, 'payments.submit', submit(key));
    expect(again).toEqual(first);
    expect(first.status).toBe('approved');
    expect((await rt.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(1);
    await expectHealthy(rt.ledger.db);
  });

  it('returns one result to five concurrent submits and charges once', async () => {
    const rt = await setUp({ gateway: { latencyMs: 20 } });
    const key = newKey();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => call(rt, 'payments.submit', submit(key))));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]!.status).toBe('approved');
    expect(await rt.gateway.records()).toHaveLength(1);
    expect(await openCents(rt.ledger.db, 'INV-1')).toBe(0);
    await expectHealthy(rt.ledger.db);
  });

  it('returns the first result after the runtime is closed and reopened, and charges once', async () => {
    const rt = await setUp();
    const key = newKey();
    const first = await call(rt, 'payments.submit', submit(key));
    await rt.close();
    runtimes.pop();
    const reopened = await setUp({ dir: rt.dir });
    expect(await call(reopened, 'payments.submit', submit(key))).toEqual(first);
    expect(await reopened.gateway.records()).toHaveLength(1);
    await expectHealthy(reopened.ledger.db);
  });

  it('settles a payment left pending by a crash when the same key comes back after a restart, without charging again', async () => {
    const rt = await setUp();
    const key = newKey();
    rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
    const pending = await call(rt, 'payments.submit', submit(key));
    expect(pending.status).toBe('pending');
    await rt.close();
    runtimes.pop();
    const reopened = await setUp({ dir: rt.dir });
    const again = await call(reopened, 'payments.submit', submit(key));
    expect(again).toMatchObject({ status: 'approved', paymentId: pending.paymentId, amountCents: 10_000 });
    expect(await reopened.gateway.records()).toHaveLength(1);
    await expectHealthy(reopened.ledger.db);
  });

  it('refuses a key already used for another customer', async () => {
    const rt = await setUp();
    const other = await addCustomer(rt.ledger.db, 'CL2000');
    await addInvoice(rt.ledger.db, other, 'INV-9', 500);
    const key = newKey();
    await call(rt, 'payments.submit', submit(key));
    const e = await callError(rt, 'payments.submit', { ...submit(key, ['INV-9'], 500), customerNumber: 'CL2000' });
    expect(e.code).toBe('CONFLICT');
    expect(await rt.gateway.records()).toHaveLength(1);
  });
});

describe('two payments for the same invoice', () => {
  it('lets one win and refuses the other with CONFLICT before any charge', async () => {
    const rt = await setUp({ gateway: { latencyMs: 20 } });
    const results = await Promise.allSettled([
      call(rt, 'payments.submit', submit(newKey(), ['INV-1', 'INV-2'], 30_000)),
      call(rt, 'payments.submit', submit(newKey(), ['INV-1'], 10_000)),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as { shape: { code: string } }).shape.code).toBe('CONFLICT');
    expect(await rt.gateway.records()).toHaveLength(1);
    expect(await countRows(rt.ledger.db, 'payments')).toBe(1);
    await expectHealthy(rt.ledger.db);
  });

  it('shows a second clerk the money a pending payment holds as not available, and refuses their submit', async () => {
    let gate: ReturnType<typeof gated> | undefined;
    const rt = await setUp({ wrap: (g) => (gate = gated(g)).gateway });
    const first = call(rt, 'payments.submit', submit(newKey(), ['INV-1']));
    await gate!.atGateway;
    expect(await call(rt, 'payments.quote', { customerNumber: 'CL1042', invoiceNumbers: ['INV-1'], creditNumbers: [] })).toMatchObject({
      ok: false,
      code: 'INVOICE_NOT_OPEN',
    });
    expect(await call(rt, 'payments.quote', { customerNumber: 'CL1042', invoiceNumbers: 'all', creditNumbers: [] })).toMatchObject({
      ok: true,
      chargeCents: 20_000,
    });
    const e = await callError(rt, 'payments.submit', submit(newKey(), ['INV-1']));
    expect(e).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^Invoice INV-1 is being paid by another payment/) });
    const stale = await callError(rt, 'payments.submit', submit(newKey(), 'all', 30_000));
    expect(stale).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/changed from \$300\.00 to \$200\.00/) });
    gate!.release();
    expect((await first).status).toBe('approved');
    expect(await rt.gateway.records()).toHaveLength(1);
    await expectHealthy(rt.ledger.db);
  });
});
