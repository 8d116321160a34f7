import type {
  AgingAmounts,
  AgingBasisKey,
  AgingCustomerRow,
  AgingReport,
  AgingReportInput,
  AgingWindow,
  AgingWindowInput,
  CustomerAgingInput,
  CustomerAgingReport,
} from '../../shared/contract/aging';
import { daysBetween, isIsoDate } from '../../shared/dates';
import { validationError } from '../../shared/errors';
import { isoDateIn } from '../clock';
import type { CoreDeps } from '../deps';
import { addAgingRow, addToBuckets, bucketFor, bucketsTotal, emptyAgingAmounts, emptyBuckets, type AgingBasis } from './aging.rules';
import {
  agingSumsByCustomer,
  agingSumsQuery,
  customerCreditsLeftAsOf,
  customerInvoicesOpenAsOf,
  finishAgingSums,
  type AgingSums,
  type AgingSumsRow,
} from './aging.repo';
import { requireCustomer } from './customers.repo';
import { customerMatch, rowsMatchingCustomer } from './customer-filter';
import { keptRows } from './aging.kept';
import type { LedgerChangeBatch } from '../../shared/changes';
import { agingRowSet, cutWindow, sortedOrder, type AgingRowSet } from './aging.window.rules';
import { writeTx } from '../db/dialect';
import { readOffThread } from '../db/off-thread';

/** Totals are the sums of the customers' rows, so the report always adds up. */
export function sumAgingRows(rows: readonly AgingCustomerRow[]): AgingAmounts {
  const totals = emptyAgingAmounts();
  for (const r of rows) addAgingRow(totals, r);
  return totals;
}

function toRow(s: AgingSums): AgingCustomerRow {
  return {
    customer_number: s.customerNumber,
    legal_name: s.legalName,
    current: s.current,
    days_1_30: s.days_1_30,
    days_31_60: s.days_31_60,
    days_61_90: s.days_61_90,
    days_over_90: s.days_over_90,
    total: s.total,
    unapplied_credits_cents: s.unappliedCreditsCents,
    disputed_cents: s.disputedCents,
    ...(s.suspendedOn ? { suspended_on: s.suspendedOn } : {}),
  };
}

/**
 * Lets the requests waiting meanwhile be answered before the next step of a background computation:
 * a timer, not setImmediate, so the event loop polls for them in between.
 */
const betweenSteps = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createAgingService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>) {
  const db = deps.ledger.db;
  const byCustomerNumber = (x: AgingSums, y: AgingSums) => (x.customerNumber < y.customerNumber ? -1 : x.customerNumber > y.customerNumber ? 1 : 0);
  const toRowSet = (sums: readonly AgingSums[]): AgingRowSet =>
    agingRowSet(
      sums.map(toRow),
      sums.map((s) => s.customerId),
      sums.map((s) => s.nameSearch),
    );
  const keyOf = (key: string) => key.split('|') as [string, AgingBasis];
  /**
   * The sums kept per date and basis (the report is read from them) and the screen's row set made of
   * them when a window first asks (searchable names, sort orders), both replaced customer by customer by a patch.
   */
  interface KeptAging {
    sums: AgingSums[];
    set(): AgingRowSet;
  }
  const keptAging = (sums: AgingSums[]): KeptAging => {
    let set: AgingRowSet | undefined;
    return { sums, set: () => (set ??= toRowSet(sums)) };
  };
  const rowSets = keptRows<KeptAging>(db, {
    async make(key, background) {
      const [asOf, basis] = keyOf(key);
      if (!background) return keptAging(await agingSumsByCustomer(db, asOf, basis));
      // better-sqlite3 runs a statement on this thread, holding up every request for the query's
      // second: in the background the same query runs on a connection of its own in a worker. The
      // work left here is done in steps (about 0.1 s each at 50,000 customers), requests answered between.
      let sums: AgingSums[];
      if (deps.ledger.dialect === 'sqlite') {
        const rows = await readOffThread<AgingSumsRow>(deps.ledger.path, agingSumsQuery(db, asOf, basis).compile());
        await betweenSteps();
        sums = finishAgingSums(rows);
      } else sums = await agingSumsByCustomer(db, asOf, basis);
      return keptAging(sums);
    },
    async patch(key, kept, customerIds) {
      const [asOf, basis] = keyOf(key);
      const fresh: AgingSums[] = [];
      for (const id of customerIds) fresh.push(...(await agingSumsByCustomer(db, asOf, basis, id)));
      return keptAging([...kept.sums.filter((s) => !customerIds.has(s.customerId)), ...fresh].sort(byCustomerNumber));
    },
  });

  const options = (input: AgingReportInput): { asOf: string; basis: AgingBasis } => {
    const asOf = input.asOf ?? isoDateIn(deps.clock.now(), deps.settings.get().timeZone);
    if (!isIsoDate(asOf)) throw validationError('asOf', `must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
    const basis: AgingBasisKey = input.basis ?? 'due';
    if (basis !== 'due' && basis !== 'invoice') throw validationError('basis', `must be due or invoice, got ${JSON.stringify(basis)}`);
    return { asOf, basis };
  };

  return {
    /** The whole ledger's aging as of a date (the business date by default), per customer and in total. */
    async report(input: AgingReportInput = {}): Promise<AgingReport> {
      const { asOf, basis } = options(input);
      // The kept sums when the ledger has not changed since they were made (or patched for what changed).
      const { sums } = await rowSets.get(`${asOf}|${basis}`);
      const customers = (input.customer === undefined ? sums : await rowsMatchingCustomer(db, sums, input.customer)).map(toRow);
      return { asOf, basis, totals: sumAgingRows(customers), customers };
    },

    /**
     * A window of the report's rows, sorted and filtered in main, with the count and totals of every
     * row the filter keeps. The rows come from the report computed once per date, basis and ledger version.
     */
    async window(input: AgingWindowInput): Promise<AgingWindow> {
      const { asOf, basis } = options(input);
      const set = (await rowSets.get(`${asOf}|${basis}`)).set();
      const sort = input.sort ?? 'total';
      const dir = input.dir ?? (sort === 'customer_number' || sort === 'legal_name' ? 'asc' : 'desc');
      const match = input.customer === undefined ? null : await customerMatch(db, input.customer);
      const cut = cutWindow(
        set,
        sortedOrder(set, sort, dir),
        { customerIds: match?.ids ?? null, numberPrefix: match?.numberPrefix ?? null, pastDueOnly: input.pastDueOnly ?? false },
        input.offset,
        input.limit,
      );
      return { asOf, basis, totals: cut.totals, count: cut.count, allCount: set.rows.length, offset: input.offset, rows: cut.rows };
    },

    /**
     * Makes and keeps the rows the screen opens with (the business date, by due date) and their first
     * order, so its first window reads kept rows (aging.warm.ts runs this after start). On SQLite the
     * whole-ledger query runs in a worker thread; kept rows already there are only brought up to date.
     */
    async warmUp(): Promise<{ asOf: string; basis: AgingBasis; customers: number }> {
      const { asOf, basis } = options({});
      const kept = await rowSets.get(`${asOf}|${basis}`, { background: true });
      await betweenSteps();
      const set = kept.set();
      await betweenSteps();
      sortedOrder(set, 'total', 'desc');
      return { asOf, basis, customers: set.rows.length };
    },

    /** Forgets the kept aging rows (the benchmark's cold start). */
    forgetKept: () => rowSets.clear(),
    /** The change feed heard the ledger change: the customers it names are computed again at the next use. */
    noteChanges: (batch: LedgerChangeBatch) => rowSets.noteChanges(batch),
    /** How the kept rows were brought up to date: made whole, patched by customer, or kept as they were. */
    keptCounts: () => rowSets.counts(),

    /** One customer's aging row with the invoices and credits behind it. */
    async customer(input: CustomerAgingInput): Promise<CustomerAgingReport> {
      const { asOf, basis } = options(input);
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        const invoices = await customerInvoicesOpenAsOf(trx, customer.id, asOf);
        const credits = await customerCreditsLeftAsOf(trx, customer.id, asOf);
        let buckets = emptyBuckets();
        let disputed = 0;
        const rows = invoices.map((inv) => {
          const bucket = bucketFor(asOf, basis === 'due' ? inv.dueDate : inv.issueDate);
          buckets = addToBuckets(buckets, bucket, inv.openCents);
          if (inv.disputed) disputed += inv.openCents;
          return { ...inv, bucket, daysPastDue: Math.max(0, daysBetween(inv.dueDate, asOf)) };
        });
        return {
          asOf,
          basis,
          customer: {
            customer_number: customer.customer_number,
            legal_name: customer.legal_name,
            ...buckets,
            total: bucketsTotal(buckets),
            unapplied_credits_cents: credits.reduce((s, c) => s + c.remainingCents, 0),
            disputed_cents: disputed,
          },
          invoices: rows,
          credits,
        };
      });
    },
  };
}
