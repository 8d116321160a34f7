import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { agingSumsByCustomer } from '../../../src/main/ledger/aging.repo';
import { startAgingWarmUp } from '../../../src/main/ledger/aging.warm';
import { readOffThread } from '../../../src/main/db/off-thread';
import { agingSumsQuery, finishAgingSums, type AgingSumsRow } from '../../../src/main/ledger/aging.repo';
import type { AgingWindow, AgingWindowInput } from '../../../src/shared/contract/aging';
import { memoryLogger } from '../../../src/main/log';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';

/**
 * The aging screen's warm-up (aging.warm.ts): main makes today's rows in the background after start,
 * so the screen's first window reads kept rows; those rows are the same, to the cent, as the ones a
 * cold start computes, and stay so as the ledger changes.
 */
const TODAY = '2026-11-20';
let rt: TestRuntime;

beforeAll(async () => {
  rt = await openTestRuntime({ now: `${TODAY}T15:00:00Z` });
  await seedDemoLedger(rt.ledger, { customers: 150, seed: 77, asOf: TODAY });
});

afterAll(async () => {
  await rt.dispose();
});

/** The screen's first window as it asks for it: no date (the business date), no basis, no sort. */
const firstWindow = (input: Partial<AgingWindowInput> = {}): Promise<AgingWindow> => rt.core.aging.window({ offset: 0, limit: 100, ...input });

/** The same window from nothing kept: what the screen showed before the warm-up. */
async function coldWindow(input: Partial<AgingWindowInput> = {}): Promise<AgingWindow> {
  rt.core.aging.forgetKept();
  return firstWindow(input);
}

const warmUpOnce = () =>
  new Promise<{ ok: boolean; ms: number }>((resolve) => {
    startAgingWarmUp(rt.core, { delayMs: 0, onDone: resolve });
  });

describe('the aging warm-up', () => {
  it('keeps today’s rows, due-date basis, so the first window is read from them, equal to a cold computation to the cent', async () => {
    const cold = await coldWindow();
    expect(cold.count).toBeGreaterThan(50);
    rt.core.aging.forgetKept();
    const before = rt.core.aging.keptCounts();
    expect(await warmUpOnce()).toMatchObject({ ok: true });
    const afterWarm = rt.core.aging.keptCounts();
    expect(afterWarm.made).toBe(before.made + 1);
    expect(rt.log.lines.some((l) => l.includes('Aging rows kept for the aging screen') && l.includes(`"asOf":"${TODAY}"`))).toBe(true);

    const warm = await firstWindow();
    // Read from the kept rows: nothing made again.
    expect(rt.core.aging.keptCounts()).toMatchObject({ made: afterWarm.made, kept: afterWarm.kept + 1 });
    expect(warm).toEqual(cold);
    for (const sort of ['legal_name', 'days_over_90', 'disputed_cents'] as const) {
      const w = await firstWindow({ sort, dir: 'asc', customer: 'a' });
      expect(w, sort).toEqual(await coldWindow({ sort, dir: 'asc', customer: 'a' }));
      await warmUpOnce();
    }
  });

  it('reads on SQLite in a worker thread the same sums as on this thread', async () => {
    if (rt.ledger.dialect !== 'sqlite') return;
    const query = agingSumsQuery(rt.ledger.db, TODAY, 'due').compile();
    const offThread = finishAgingSums(await readOffThread<AgingSumsRow>(rt.ledger.path, query));
    expect(offThread).toEqual(await agingSumsByCustomer(rt.ledger.db, TODAY, 'due'));
  });

  it('a screen opened while the warm-up runs waits for it rather than computing the rows twice', async () => {
    rt.core.aging.forgetKept();
    const before = rt.core.aging.keptCounts();
    const [warmed, w] = await Promise.all([rt.core.aging.warmUp(), firstWindow()]);
    expect(warmed.customers).toBe(w.allCount);
    expect(rt.core.aging.keptCounts().made).toBe(before.made + 1);
  });

  it('stays right after the ledger changes: the changed customers are patched, to the cent', async () => {
    rt.core.aging.forgetKept();
    await warmUpOnce();
    const first = await firstWindow({ limit: 3 });
    const top = first.rows[0]!;
    await rt.core.credits.create({ customerNumber: top.customer_number, amountCents: 1_234, reason: 'Goodwill after the warm-up' }, 'dana');
    await rt.core.customers.create({ customerNumber: 'WU0001', legalName: 'Warm Up Newcomer Ltd' }, 'dana');
    await rt.core.invoices.create(
      { customerNumber: 'WU0001', invoiceNumber: 'INV-WU0001', issueDate: '2026-11-01', dueDate: '2026-11-10', taxRateBp: 0, lines: [{ description: 'Service', quantity: 1, unitPriceCents: 54_321 }] },
      'dana',
    );
    const counts = rt.core.aging.keptCounts();
    const after = await firstWindow();
    expect(rt.core.aging.keptCounts()).toMatchObject({ made: counts.made, patched: counts.patched + 1 });
    expect(after).toEqual(await coldWindow());
    expect(after.totals.unapplied_credits_cents).toBe(first.totals.unapplied_credits_cents + 1_234);
    expect((await firstWindow({ customer: 'WU0001' })).rows[0]).toMatchObject({ customer_number: 'WU0001', total: 54_321, days_1_30: 54_321 });
  });

  it('answers the whole report from the kept sums while they are current, and after a payment the same as a cold computation', async () => {
    rt.core.aging.forgetKept();
    await warmUpOnce();
    const counts = rt.core.aging.keptCounts();
    const warm = await rt.core.aging.report({});
    // Read from the kept sums (brought up to date if some write landed since the warm-up): nothing made afresh.
    const used = rt.core.aging.keptCounts();
    expect(used.made).toBe(counts.made);
    expect(used.kept + used.patched).toBe(counts.kept + counts.patched + 1);
    rt.core.aging.forgetKept();
    expect(warm).toEqual(await rt.core.aging.report({}));

    // A card payment of one customer's oldest invoice: the kept sums are patched for that customer.
    await rt.core.aging.report({});
    // A customer with two open invoices or more, so a row stays after the oldest is paid.
    let payer: (typeof warm.customers)[number] | undefined;
    let quote: Awaited<ReturnType<typeof rt.core.payments.quote>> | undefined;
    for (const c of warm.customers.filter((c) => c.total > 0 && c.unapplied_credits_cents === 0 && c.disputed_cents === 0)) {
      quote = await rt.core.payments.quote({ customerNumber: c.customer_number, invoiceNumbers: 'all', creditNumbers: [] });
      if (quote.ok && quote.lines.length >= 2) {
        payer = c;
        break;
      }
    }
    if (!payer || !quote?.ok) throw new Error('the seeded ledger has no customer with two open invoices');
    const oldest = [quote.lines[0]!.invoiceNumber];
    const one = await rt.core.payments.quote({ customerNumber: payer.customer_number, invoiceNumbers: oldest, creditNumbers: [] });
    if (!one.ok) throw new Error('no quote');
    const paid = await rt.core.payments.submit(
      {
        customerNumber: payer.customer_number,
        invoiceNumbers: oldest,
        creditNumbers: [],
        method: { type: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123', nameOnCard: 'Kept Sums', postalCode: '97201', save: false },
        confirmedAmountCents: one.chargeCents,
        phoneDebitAuthorized: false,
        idempotencyKey: 'aging-warm-report-payment',
      },
      'dana',
    );
    expect(paid.status).toBe('approved');
    const before = rt.core.aging.keptCounts();
    const patched = await rt.core.aging.report({});
    expect(rt.core.aging.keptCounts()).toMatchObject({ made: before.made, patched: before.patched + 1 });
    expect(patched.customers.find((c) => c.customer_number === payer.customer_number)!.total).toBe(payer.total - one.chargeCents);
    expect(patched.totals.total).toBe(warm.totals.total - one.chargeCents);
    rt.core.aging.forgetKept();
    expect(patched).toEqual(await rt.core.aging.report({}));
  });

  it('on failure only logs: the screen then computes its rows when opened, as without the warm-up', async () => {
    rt.core.aging.forgetKept();
    const log = memoryLogger();
    const outcome = await new Promise<{ ok: boolean }>((resolve) =>
      startAgingWarmUp({ aging: { warmUp: () => Promise.reject(new Error('the server went away')) }, deps: { log } }, { delayMs: 0, onDone: resolve }),
    );
    expect(outcome.ok).toBe(false);
    expect(log.lines.some((l) => l.startsWith('warn The aging warm-up failed') && l.includes('the server went away'))).toBe(true);
    const before = rt.core.aging.keptCounts();
    expect(await firstWindow()).toEqual(await coldWindow());
    expect(rt.core.aging.keptCounts().made).toBeGreaterThan(before.made);
  });

  it('can be called off before it starts', async () => {
    let asked = 0;
    const stop = startAgingWarmUp(
      { aging: { warmUp: async () => (asked++, { asOf: TODAY, basis: 'due', customers: 0 }) }, deps: { log: memoryLogger() } },
      { delayMs: 20 },
    );
    stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(asked).toBe(0);
  });
});
