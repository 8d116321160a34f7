import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/main/clock';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { CLAIM_LEASE_MS } from '../../../src/main/payments/claims';
import { openTestGateway, type TestGateway } from '../../../src/main/payments/test-gateway';
import { openTestOffice, type TestOffice } from '../../helpers/office';
import { tempDir, type TestRuntime } from '../../helpers/runtime';
import { addCustomer, addInvoice, call, cardMethod, CARDS, expectHealthy, newKey } from '../../helpers/payments-fixtures';

/** The shared test gateway as one workstation reaches it: its lookups are noted by key, and can be held until released. */
function reachedBy(inner: TestGateway, lookups: string[]) {
  let held: Promise<void> | null = null;
  let release = () => {};
  let reached = () => {};
  const gateway: PaymentGateway = {
    name: inner.name,
    testMode: inner.testMode,
    tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
    tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
    charge: (request) => inner.charge(request),
    void: (t, k) => inner.void(t, k),
    refund: (t, a, k) => inner.refund(t, a, k),
    async lookup(key) {
      lookups.push(key);
      reached();
      if (held) await held;
      return inner.lookup(key);
    },
  };
  return {
    gateway,
    /** Holds the next lookups until `release`; resolves once one has reached the gateway. */
    hold(): Promise<void> {
      held = new Promise<void>((resolve) => (release = resolve));
      return new Promise<void>((resolve) => (reached = resolve));
    },
    release: () => {
      held = null;
      release();
    },
  };
}

interface Office extends TestOffice {
  gateway: TestGateway;
  gatewayDir: string;
  /** Every lookup any workstation made, by idempotency key. */
  lookups: string[];
  views: Record<'ws-a' | 'ws-b', ReturnType<typeof reachedBy>>;
  a: TestRuntime;
  b: TestRuntime;
}

const offices: Office[] = [];
afterEach(async () => {
  for (const o of offices.splice(0)) {
    await o.dispose();
    await o.gateway.close();
    fs.rmSync(o.gatewayDir, { recursive: true, force: true });
  }
});

/** Workstations ws-a and ws-b on one ledger and one test gateway; `customers` customers with one $10.00 invoice each. */
async function openOffice(customers: number, gatewayOptions: { latencyMs?: number } = {}): Promise<Office> {
  const clock = fixedClock('2026-11-20T15:00:00Z');
  const gatewayDir = tempDir('ar-desk-gw-');
  const gateway = openTestGateway({ file: path.join(gatewayDir, 'test-gateway.db'), clock, ...gatewayOptions });
  const lookups: string[] = [];
  const views = { 'ws-a': reachedBy(gateway, lookups), 'ws-b': reachedBy(gateway, lookups) };
  const office = await openTestOffice(['ws-a', 'ws-b'], { clock, each: (id) => ({ gateway: views[id as keyof typeof views].gateway }) });
  const [a, b] = office.workstations as [TestRuntime, TestRuntime];
  const o: Office = { ...office, gateway, gatewayDir, lookups, views, a, b };
  offices.push(o);
  for (let i = 1; i <= customers; i++) {
    const c = await addCustomer(a.ledger.db, `CL${1000 + i}`);
    await addInvoice(a.ledger.db, c, `INV-${i}`, 1_000, { dueDate: '2026-09-01' });
  }
  return o;
}

/** A payment of customer i's invoice taken at `rt` whose answer the gateway lost: charged there, pending here. */
async function pendingPayment(o: Office, rt: TestRuntime, i: number): Promise<{ paymentId: number; key: string }> {
  o.gateway.planFault({ kind: 'answer_lost_after_processing' });
  const key = newKey();
  const r = await call(rt, 'payments.submit', {
    customerNumber: `CL${1000 + i}`,
    invoiceNumbers: [`INV-${i}`],
    creditNumbers: [],
    method: cardMethod(CARDS.visa),
    confirmedAmountCents: 1_000,
    idempotencyKey: key,
  });
  expect(r.status).toBe('pending');
  return { paymentId: r.paymentId, key };
}

async function captureAudits(rt: TestRuntime): Promise<string[]> {
  const rows = await rt.ledger.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'payment.capture').orderBy('entity_id').execute();
  return rows.map((r) => r.entity_id);
}

describe('two workstations settling pending payments', () => {
  it('leaves a payment another workstation is asking the gateway about, and settles it once that claim has lapsed', async () => {
    const o = await openOffice(1);
    const { paymentId, key } = await pendingPayment(o, o.a, 1);
    expect(o.lookups).toEqual([]);

    // A asks the gateway, and the answer is slow to come.
    const atGateway = o.views['ws-a'].hold();
    const recoveringAtA = o.a.core.payments.recover('recovery');
    await atGateway;
    expect(await o.b.ledger.db.selectFrom('payments').select(['status', 'claimed_by', 'claimed_until']).where('id', '=', paymentId).executeTakeFirst()).toEqual({
      status: 'pending',
      claimed_by: 'ws-a',
      claimed_until: new Date(o.clock.now().getTime() + CLAIM_LEASE_MS).toISOString(),
    });

    // B leaves it to A: still pending, and B never asked.
    expect(await o.b.core.payments.recover('recovery')).toEqual({ payments: [], reversals: [], stillPending: { payments: 1, reversals: 0 } });
    expect(o.lookups).toEqual([key]);
    expect((await call(o.b, 'payments.get', { paymentId })).status).toBe('pending');

    // A has not come back within its lease: B may ask, and settles it.
    o.clock.advance(CLAIM_LEASE_MS + 1_000);
    const atB = await o.b.core.payments.recover('recovery');
    expect(atB.payments).toEqual([expect.objectContaining({ paymentId, outcome: 'captured', amountCents: 1_000 })]);
    expect(o.lookups).toEqual([key, key]);

    // A's late answer finds it captured already: recorded once, and A leaves B's record alone.
    o.views['ws-a'].release();
    await recoveringAtA;
    expect(await captureAudits(o.a)).toEqual([String(paymentId)]);
    expect(await o.a.ledger.db.selectFrom('payments').select(['status', 'claimed_by', 'claimed_until']).where('id', '=', paymentId).executeTakeFirst()).toEqual({
      status: 'captured',
      claimed_by: 'ws-b',
      claimed_until: null,
    });
    expect((await o.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    await expectHealthy(o.a.ledger.db);
  });

  it('never fails a payment whose charge is still at the gateway at another workstation', async () => {
    const o = await openOffice(1);
    // Charges at A are held at the gateway; lookups from B go straight through.
    let releaseCharge!: () => void;
    const chargeHeld = new Promise<void>((resolve) => (releaseCharge = resolve));
    let reachedCharge!: () => void;
    const charging = new Promise<void>((resolve) => (reachedCharge = resolve));
    const inner = o.gateway;
    const charge = inner.charge.bind(inner);
    o.gateway.charge = async (request) => {
      reachedCharge();
      await chargeHeld;
      return charge(request);
    };
    const key = newKey();
    const submitting = call(o.a, 'payments.submit', {
      customerNumber: 'CL1001',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 1_000,
      idempotencyKey: key,
    });
    await charging;
    // Long past the staleness rule, but A still holds its claim: B neither asks nor fails it.
    o.clock.advance(CLAIM_LEASE_MS - 1_000);
    expect(await o.b.core.payments.recover('recovery', { staleAfterMs: 0 })).toEqual({ payments: [], reversals: [], stillPending: { payments: 1, reversals: 0 } });
    expect(o.lookups).toEqual([]);
    releaseCharge();
    expect(await submitting).toMatchObject({ status: 'approved' });
    const row = await o.b.ledger.db.selectFrom('payments').select(['status', 'claimed_by', 'claimed_until']).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'captured', claimed_by: 'ws-a', claimed_until: null });
    expect(await o.b.core.payments.recover('recovery')).toEqual({ payments: [], reversals: [], stillPending: { payments: 0, reversals: 0 } });
    await expectHealthy(o.a.ledger.db);
  });

  it('settles each of 20 pending payments exactly once when both run recovery at the same moment', async () => {
    const o = await openOffice(20, { latencyMs: 2 });
    const pending = [];
    for (let i = 1; i <= 20; i++) pending.push(await pendingPayment(o, i % 2 === 0 ? o.a : o.b, i));

    const [atA, atB] = await Promise.all([o.a.core.payments.recover('recovery'), o.b.core.payments.recover('recovery')]);

    // Each payment was asked about once, by one of them, and is in that one's report only.
    const keys = pending.map((p) => p.key).sort();
    expect([...o.lookups].sort()).toEqual(keys);
    const reported = [...atA.payments, ...atB.payments].map((p) => p.paymentId).sort((x, y) => x - y);
    expect(reported).toEqual(pending.map((p) => p.paymentId).sort((x, y) => x - y));
    expect([...atA.payments, ...atB.payments].every((p) => p.outcome === 'captured')).toBe(true);
    expect(await captureAudits(o.a)).toEqual(pending.map((p) => String(p.paymentId)).sort());
    const applications = await o.a.ledger.db.selectFrom('applications').select(['payment_id']).execute();
    expect(applications.map((r) => r.payment_id).sort((x, y) => x! - y!)).toEqual(pending.map((p) => p.paymentId).sort((x, y) => x - y));
    expect((await o.gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(20);
    // Nothing is left claimed, and nothing pending.
    expect(await o.a.ledger.db.selectFrom('payments').select('id').where('claimed_until', 'is not', null).execute()).toEqual([]);
    expect(await o.b.core.payments.recover('recovery')).toEqual({ payments: [], reversals: [], stillPending: { payments: 0, reversals: 0 } });
    await expectHealthy(o.a.ledger.db);
  });

  it('leaves a void another workstation has at the gateway to it', async () => {
    const o = await openOffice(1);
    const key = newKey();
    const taken = await call(o.a, 'payments.submit', {
      customerNumber: 'CL1001',
      invoiceNumbers: ['INV-1'],
      creditNumbers: [],
      method: cardMethod(CARDS.visa),
      confirmedAmountCents: 1_000,
      idempotencyKey: key,
    });
    expect(taken.status).toBe('approved');
    // Voids from A are held at the gateway.
    let releaseVoid!: () => void;
    const voidHeld = new Promise<void>((resolve) => (releaseVoid = resolve));
    let reachedVoid!: () => void;
    const voiding = new Promise<void>((resolve) => (reachedVoid = resolve));
    const inner = o.gateway.void.bind(o.gateway);
    o.gateway.void = async (transactionId, idempotencyKey) => {
      reachedVoid();
      await voidHeld;
      return inner(transactionId, idempotencyKey);
    };
    const voided = call(o.a, 'payments.void', { paymentId: taken.paymentId, reason: 'Charged the wrong card' });
    await voiding;
    expect(await o.b.ledger.db.selectFrom('payment_reversals').select(['status', 'claimed_by']).execute()).toEqual([{ status: 'pending', claimed_by: 'ws-a' }]);
    expect(await o.b.core.payments.recover('recovery', { staleAfterMs: 0 })).toEqual({ payments: [], reversals: [], stillPending: { payments: 0, reversals: 1 } });
    expect(o.lookups).toEqual([]);
    releaseVoid();
    expect(await voided).toMatchObject({ status: 'completed' });
    expect(await o.b.ledger.db.selectFrom('payment_reversals').select(['status', 'claimed_by', 'claimed_until']).execute()).toEqual([
      { status: 'completed', claimed_by: 'ws-a', claimed_until: null },
    ]);
    await expectHealthy(o.a.ledger.db);
  });
});
