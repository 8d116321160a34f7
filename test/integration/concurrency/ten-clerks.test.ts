import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../helpers/engine';
import { sumCounts, type ClerkReport } from './clerks-plan';
import { runClerks, type ClerksRun } from './clerks-run';

/**
 * Ten clerks on one office ledger: ten processes, each with its own runtime and connections, take
 * payments (with duplicate retries of the same key, by one clerk and by several), apply and take
 * back credits, void, refund and import invoices on a small set of shared customers, while the
 * gateway now and then times out, loses its answer or fails. Afterwards no invoice is paid beyond
 * its total, no credit used beyond its amount, the gateway's approved charges, refunds and voids
 * and the ledger's match one to one by key, no key is posted twice, and every invariant holds.
 *
 * Some of the commands (clerks-plan.ts CONTENDED_SHARE) wait for a shared tick of the clock and go
 * for the same customer's oldest invoice and credit, so commands on the same money meet.
 *
 * The second run turns the customer row lock off (the test-only AR_DESK_TEST_NO_CUSTOMER_LOCK) on two
 * customers with every payment and credit command contended, and expects the same checks to find
 * money applied twice: the first run's clean result then means something.
 *
 * TEN_CLERKS_SECONDS (default 30) and TEN_CLERKS_RACE_SECONDS (default 10) set how long each runs;
 * TEN_CLERKS_SEED replays the clerks' choices (their timing is the machine's).
 */
const SECONDS = Number(process.env.TEN_CLERKS_SECONDS ?? 30);
const RACE_SECONDS = Number(process.env.TEN_CLERKS_RACE_SECONDS ?? 10);
const SEED = Number(process.env.TEN_CLERKS_SEED ?? crypto.randomInt(1, 2 ** 31));
const CLERKS = 10;

function summary(label: string, run: ClerksRun): string {
  const picked = sumCounts(run.reports, (r) => r.picked);
  const operations = Object.values(picked).reduce((a, b) => a + b, 0);
  return [
    `ten clerks, ${label} (TEN_CLERKS_SEED=${SEED}): seeded in ${(run.seededMs / 1000).toFixed(1)} s, clerks started in ${(run.startedMs / 1000).toFixed(1)} s; ${CLERKS} clerks worked ${(run.workedMs / 1000).toFixed(1)} s, ` +
      `${operations} operations (${(operations / (run.workedMs / 1000)).toFixed(0)}/s)`,
    `  picked: ${JSON.stringify(picked)}`,
    `  outcomes: ${JSON.stringify(sumCounts(run.reports, (r) => r.outcomes))}`,
    `  refusals, as first worded: ${JSON.stringify(Object.assign({}, ...run.reports.map((r) => r.said)))}`,
    `  gateway faults that fired: ${JSON.stringify(sumCounts(run.reports, (r) => r.faults))}`,
    `  time spent, ms by operation and gateway call: ${JSON.stringify(sumCounts(run.reports, (r) => r.ms))}`,
    `  settled by the recovery after the run: ${JSON.stringify(run.finallyRecovered)}`,
    `  ledger and gateway afterwards: ${JSON.stringify(run.figures)}`,
  ].join('\n');
}

const all = (reports: ClerkReport[], pick: (r: ClerkReport) => string[]) => reports.flatMap((r) => pick(r).map((x) => `${r.workstation}: ${x}`));

describe.runIf(testEngine === 'postgres')('ten clerks on one office ledger', () => {
  it(
    `keeps every invoice, credit, charge and key whole with ten processes taking money at once for ${SECONDS} s`,
    async () => {
      const run = await runClerks({ workload: 'mixed', seconds: SECONDS, clerks: CLERKS, seed: SEED, customerLocks: true });
      console.log(summary(`customer locks on, ${SECONDS} s on 6 customers`, run));
      const f = run.findings;
      console.log(`ten clerks, customer locks on: findings ${JSON.stringify(f)}`);

      expect(all(run.reports, (r) => r.unexpected), 'answers other than a refusal of the rules').toEqual([]);
      expect(all(run.reports, (r) => r.mismatches), 'a repeated key answered with another result').toEqual([]);
      expect(f.overpaidInvoices, 'invoices paid beyond their total').toEqual([]);
      expect(f.overusedCredits, 'credits used beyond their amount').toEqual([]);
      expect(f.charges, 'gateway charges vs captured payments, by key').toEqual([]);
      expect(f.refunds, 'gateway refunds vs completed refunds, by key').toEqual([]);
      expect(f.voids, 'gateway voids vs completed voids, by key').toEqual([]);
      expect(f.repeatedKeys).toEqual([]);
      expect(f.postedTwice).toEqual([]);
      expect(f.invariants).toEqual([]);
      expect(f.pending).toEqual({ payments: 0, reversals: 0 });

      // The run did what it claims: money moved every way, keys were repeated, and faults fired.
      const outcomes = sumCounts(run.reports, (r) => r.outcomes);
      const faults = sumCounts(run.reports, (r) => r.faults);
      const repeats = Object.entries(outcomes).filter(([k]) => /^(repeatKey|sharedKey)\.(approved|declined|pending)$|sameKeyAfterTimeout/.test(k));
      for (const done of ['pay.approved', 'applyCredit.ok', 'void.completed', 'refund.completed']) expect(outcomes[done] ?? 0, done).toBeGreaterThan(0);
      expect(repeats.reduce((a, [, n]) => a + n, 0), 'submits repeating a key').toBeGreaterThan(0);
      expect(Object.values(faults).reduce((a, b) => a + b, 0), 'gateway faults that fired').toBeGreaterThan(0);
    },
    SECONDS * 1000 + 150_000,
  );

  it(
    `finds money applied twice when the customer row lock is switched off (${RACE_SECONDS} s on 2 customers)`,
    async () => {
      const run = await runClerks({ workload: 'race', seconds: RACE_SECONDS, clerks: CLERKS, seed: SEED, customerLocks: false });
      console.log(summary(`customer locks OFF, ${RACE_SECONDS} s on 2 customers`, run));
      const f = run.findings;
      const doubled = [...f.overpaidInvoices, ...f.overusedCredits];
      console.log(
        `ten clerks, customer locks off: ${f.overpaidInvoices.length} invoices paid beyond their total, ${f.overusedCredits.length} credits used beyond their amount, ` +
          `${f.invariants.length} invariant violations; first: ${doubled.slice(0, 3).join(' | ')}`,
      );
      // What else stopped a second command without the lock (a unique index, a conditional update), by the database's words.
      const causes: Record<string, number> = {};
      for (const u of all(run.reports, (r) => r.unexpected)) {
        const cause = `${u.split(':')[1]?.trim()}: ${(/"error":"((?:[^"\\]|\\.)*)"/.exec(u)?.[1] ?? u.slice(0, 120)).replaceAll('\\"', '"')}`;
        causes[cause] = (causes[cause] ?? 0) + 1;
      }
      console.log(`ten clerks, customer locks off: answers other than a refusal, by cause: ${JSON.stringify(causes)}`);
      expect(doubled.length, 'without the customer lock the checks must see money applied twice').toBeGreaterThan(0);
    },
    RACE_SECONDS * 1000 + 150_000,
  );
});
