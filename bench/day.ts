/**
 * The rest of the clerk's day in the benchmark: posting payments and their confirmation PDFs, and
 * the main process's memory after a simulated hour of a busy office. Figures, not pass/fail.
 * They write to the benchmark's ledger (payments), so bench/run.ts measures them after the reads.
 */
import type { NodeRuntime } from '../src/main/runtime';
import { timeEach, type ServerCpuProbe, type Timing } from './timing';

export interface PostingFigures {
  /** payments.submit with the test gateway answering at once: one invoice (the oldest) by a new card. */
  submit: Timing;
  /** The confirmation PDF of each of those payments, built from the ledger. */
  confirmationPdf: Timing;
  payments: number;
}

const CARD = { type: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123', nameOnCard: 'Bench Customer', postalCode: '97201', save: false } as const;

/** The quote of the oldest open invoice of each customer, outside the timing; then each submitted, then each PDF built. */
export async function postingFigures(rt: NodeRuntime, customerNumbers: readonly string[], probe?: ServerCpuProbe): Promise<PostingFigures> {
  const { core } = rt;
  const inputs: Parameters<typeof core.payments.submit>[0][] = [];
  for (const customerNumber of new Set(customerNumbers)) {
    const all = await core.payments.quote({ customerNumber, invoiceNumbers: 'all', creditNumbers: [] });
    if (!all.ok || all.lines.length === 0) continue;
    const oldest = [all.lines[0]!.invoiceNumber];
    const quote = await core.payments.quote({ customerNumber, invoiceNumbers: oldest, creditNumbers: [] });
    if (!quote.ok) continue;
    inputs.push({
      customerNumber,
      invoiceNumbers: oldest,
      creditNumbers: [],
      method: CARD,
      confirmedAmountCents: quote.chargeCents,
      phoneDebitAuthorized: false,
      idempotencyKey: `bench-${customerNumber}-${oldest[0]}`,
    });
  }
  const paymentIds: number[] = [];
  const submit = await timeEach(
    inputs,
    async (input) => {
      const r = await core.payments.submit(input, 'bench');
      if (r.status !== 'approved') throw new Error(`the benchmark's payment for ${input.customerNumber} was not approved: ${JSON.stringify(r).slice(0, 300)}`);
      paymentIds.push(r.paymentId);
    },
    probe,
  );
  const confirmationPdf = await timeEach(paymentIds, (paymentId) => core.documents.pdf({ kind: 'confirmation', paymentId }), probe);
  return { submit, confirmationPdf, payments: paymentIds.length };
}

export interface MemoryFigures {
  operations: Record<string, number>;
  seconds: number;
  rssMbBefore: number;
  rssMbAfter: number;
  rssMbPeak: number;
  heapUsedMbAfter: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * An hour of a busy office through this one main process, as fast as it runs: 8 clerks' calls
 * (about 1,200 lookups, 400 account loads and quotes, 100 payments with their confirmations, 12
 * full aging reports) and the statements of 100 customers, then the resident memory (target: under
 * 300 MB). Peak sampled every 50 ms.
 */
export async function memoryAfterDay(rt: NodeRuntime, lookups: readonly string[], customersWithOpen: readonly string[], asOf: string): Promise<MemoryFigures> {
  const { core } = rt;
  const rssMbBefore = mb(process.memoryUsage().rss);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const ops = { lookups: 0, accountLoads: 0, quotes: 0, payments: 0, confirmations: 0, agingReports: 0, statements: 0 };
  try {
    for (let i = 0; i < 1_200; i += 1) {
      await core.lookup.search({ query: lookups[i % lookups.length]! });
      ops.lookups += 1;
      if (i % 3 === 0) {
        const customerNumber = customersWithOpen[(i / 3) % customersWithOpen.length]!;
        await core.customers.account(customerNumber);
        await core.aging.customer({ customerNumber });
        ops.accountLoads += 1;
        const quote = await core.payments.quote({ customerNumber, invoiceNumbers: 'all', creditNumbers: [] });
        ops.quotes += 1;
        if (i % 12 === 0 && quote.ok && quote.lines.length > 0) {
          const oldest = [quote.lines[0]!.invoiceNumber];
          const one = await core.payments.quote({ customerNumber, invoiceNumbers: oldest, creditNumbers: [] });
          if (one.ok) {
            const r = await core.payments.submit(
              { customerNumber, invoiceNumbers: oldest, creditNumbers: [], method: CARD, confirmedAmountCents: one.chargeCents, phoneDebitAuthorized: false, idempotencyKey: `bench-day-${customerNumber}-${oldest[0]}` },
              'bench',
            );
            if (r.status === 'approved') {
              ops.payments += 1;
              await core.documents.pdf({ kind: 'confirmation', paymentId: r.paymentId });
              ops.confirmations += 1;
            }
          }
        }
      }
      if (i % 100 === 0) {
        await core.aging.report({ asOf });
        ops.agingReports += 1;
      }
    }
    for (const customerNumber of customersWithOpen.slice(0, 100)) {
      await core.documents.pdf({ kind: 'statement', customerNumber, asOf });
      ops.statements += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const after = process.memoryUsage();
  return {
    operations: ops,
    seconds: (performance.now() - started) / 1000,
    rssMbBefore,
    rssMbAfter: mb(after.rss),
    rssMbPeak: mb(Math.max(peak, after.rss)),
    heapUsedMbAfter: mb(after.heapUsed),
  };
}

/** Every number of a results file by its path (a.b.c), for --compare. */
export function figuresOf(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out[prefix] = value;
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) figuresOf(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** Figures that are timings or memory (not counts or settings), the ones whose ratio says faster or slower. */
const MEASURED = /(Ms|ms|Seconds|seconds|Mb|MB|p50|p95|wall|cpu|cpuP50|cpuP95)$/;

/** Prints each measured figure of this run beside the earlier run's, with the ratio now / then. */
export function printComparison(now: unknown, then: unknown, label: string): void {
  const a = figuresOf(now);
  const b = figuresOf(then);
  const names = Object.keys(a).filter((k) => MEASURED.test(k) && b[k] !== undefined && !k.startsWith('machine.'));
  console.log('');
  console.log(`Compared with ${label} (ratio now / then; above 1.20 is marked SLOWER)`);
  console.log(`${'figure'.padEnd(72)} ${'then'.padStart(10)} ${'now'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const k of names) {
    const ratio = b[k] === 0 ? null : a[k]! / b[k]!;
    const mark = ratio !== null && ratio > 1.2 ? '  SLOWER' : '';
    console.log(`${k.slice(0, 72).padEnd(72)} ${b[k]!.toFixed(2).padStart(10)} ${a[k]!.toFixed(2).padStart(10)} ${(ratio === null ? '-' : ratio.toFixed(2)).padStart(7)}${mark}`);
  }
}
