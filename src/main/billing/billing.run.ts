/**
 * The billing run: every active subscription's periods due through the as-of date (plus the lead
 * days) become invoices, exactly once.
 *
 * Exactly once rests on the database, not on the run being alone: each invoice is written in the
 * same transaction as its subscription_periods rows, whose UNIQUE (subscription_id, period_start)
 * refuses a second bill of a period. Within a transaction the customers are locked first (on
 * PostgreSQL) and what is already billed is read again after the locks, so a concurrent run on
 * another workstation, a repeated run, or a run after a crash finds the periods billed and skips
 * them: "already billed" is done, not an error. The run lock in billing_runs only keeps two
 * workstations from doing the same work at once.
 */
import { AppError } from '../../shared/errors';
import { addDays, assertIsoDate, type IsoDate } from '../../shared/dates';
import type { Cents } from '../../shared/money';
import type { CoreDeps } from '../deps';
import type { Tx } from '../db/types';
import { sql } from 'kysely';
import { dialectOf, lockCustomers, writeTx } from '../db/dialect';
import { nextDocumentNumbers } from '../ledger/counters.repo';
import { postingTime } from '../ledger/posting';
import { appendAudit, appendAuditRows } from '../staff/audit.repo';
import { takeWriteLock } from '../payments/payments.repo';
import { noteRunProgress } from './billing-runs.repo';
import { billedAmong, loadPlanSubscriptions } from './billing.reads';
import { invoiceTotals, planBilling, type BillingPlan, type PlannedInvoice } from './billing.plan';
import { queueInvoiceDeliveries } from './billing.delivery';
import type { AutopayStep } from './autopay.run';
import type { AutopayRunResult } from './autopay.ports';
import type { DunningRunResult } from '../../shared/contract/dunning';
import { emptyFollowUpResult, runFollowUp } from './dunning.run';

export interface BillingRunOptions {
  asOf: IsoDate;
  dryRun: boolean;
  /** Bill periods starting up to this many days after the as-of date (0-30); the office's house rule when left out. */
  leadDays?: number;
  /** Customers per transaction. */
  batchSize?: number;
  /**
   * false: run without taking the run lock, alongside another run. Only tests do this, to show
   * that the exactly-once key and the re-read after the locks hold on their own.
   */
  exclusive?: boolean;
  /** Called after each batch with the invoices done so far, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface BillingRunInvoice {
  /** null in a dry run: nothing was numbered. */
  invoiceNumber: string | null;
  customerNumber: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  totalCents: Cents;
}

export interface BillingRunResult {
  asOf: IsoDate;
  dryRun: boolean;
  runId: number | null;
  invoices: BillingRunInvoice[];
  held: { subscriptionId: number; customerNumber: string; missedPeriods: number; firstMissed: IsoDate; reason: string }[];
  /** Periods found billed meanwhile (another run got there first) and left alone. */
  alreadyBilled: number;
  /** The autopay step, after the invoices (billing/autopay.run.ts); in a dry run what it would charge. */
  autopay: AutopayRunResult;
  /** Past-due follow-up, the run's last step (dunning.run.ts). */
  dunning: DunningRunResult;
}

const NO_AUTOPAY = (): AutopayRunResult => ({ charged: [], declined: [], skipped: [], waitingRetry: 0, expiryNotices: 0 });

const LEASE_MS = 10 * 60_000;
/**
 * The advisory lock two workstations' claims take turns on, on PostgreSQL: without it both could
 * read "no run going" at once and both start (SQLite's single writer already puts them in turn).
 */
const CLAIM_LOCK_KEY = 720_311_014;

export function createBillingRun(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings' | 'workstation'>, steps: { autopay?: AutopayStep } = {}) {
  const db = deps.ledger.db;
  const autopay = (asOf: IsoDate, dryRun: boolean, actor: string) => (steps.autopay ? steps.autopay.run(asOf, dryRun, actor) : Promise.resolve(NO_AUTOPAY()));

  async function plan(asOf: IsoDate, leadDays: number): Promise<BillingPlan> {
    return planBilling(await loadPlanSubscriptions(db), addDays(asOf, leadDays));
  }

  /** Claims the run for this workstation, or refuses while another run's lease holds. */
  async function claim(asOf: IsoDate, actor: string, exclusive: boolean): Promise<number> {
    const time = postingTime(deps);
    return writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`.execute(trx);
      const running = await trx
        .selectFrom('billing_runs')
        .select(['id', 'workstation', 'started_at', 'lease_until'])
        .where('status', '=', 'running')
        .where('lease_until', '>', time.at)
        .executeTakeFirst();
      if (running && exclusive) {
        throw new AppError('BUSY', `A billing run is already going at workstation ${running.workstation ?? 'unknown'} (started ${running.started_at}); try again when it has finished`, {
          runId: running.id,
        });
      }
      // A run whose lease ran out died with its workstation: it is marked failed, its work stays (each batch committed whole).
      await trx
        .updateTable('billing_runs')
        .set({ status: 'failed', finished_at: time.at, message: 'the workstation stopped before the run finished' })
        .where('status', '=', 'running')
        .where('lease_until', '<=', time.at)
        .execute();
      const row = await trx
        .insertInto('billing_runs')
        .values({
          as_of: asOf,
          started_at: time.at,
          lease_until: new Date(deps.clock.now().getTime() + LEASE_MS).toISOString(),
          actor,
          workstation: deps.workstation,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  /** Writes one batch of invoices; returns what it made and how many periods it found billed meanwhile. */
  async function writeBatch(batch: readonly PlannedInvoice[], actor: string, runId: number, asOf: IsoDate, through: IsoDate): Promise<{ made: BillingRunInvoice[]; skipped: number; periods: number }> {
    const time = postingTime(deps);
    const taxRateBp = deps.settings.get().defaultTaxRateBp;
    return writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      const customerIds = [...new Set(batch.map((i) => i.customerId))];
      await lockCustomers(trx, customerIds);
      // The batch's periods planned again from what the locked customers' subscriptions are now:
      // one changed or cancelled since the plan was read bills by its new terms (or not at all),
      // never by the plan's.
      const key = (p: PlannedInvoice['periods'][number]) => `${p.subscriptionId}|${p.period.start}`;
      const wanted = new Set(batch.flatMap((i) => i.periods.map(key)));
      const current = planBilling(await loadPlanSubscriptions(trx, customerIds), through).invoices;
      const billed = await billedAmong(trx, [...new Set(batch.flatMap((i) => i.periods.map((p) => p.subscriptionId)))]);
      let skipped = 0;
      for (const k of wanted) if (billed.has(k)) skipped += 1;
      const todo: { inv: PlannedInvoice; lines: ReturnType<typeof invoiceTotals>['lines']; totals: ReturnType<typeof invoiceTotals>['totals'] }[] = [];
      for (const planned of current) {
        const fresh = planned.periods.filter((p) => wanted.has(key(p)) && !billed.has(key(p)));
        if (fresh.length === 0) continue;
        const inv: PlannedInvoice = { ...planned, periods: fresh, periodEnd: fresh.reduce((e, p) => (p.period.end > e ? p.period.end : e), fresh[0]!.period.end) };
        todo.push({ inv, ...invoiceTotals(inv, taxRateBp) });
      }
      if (todo.length === 0) return { made: [], skipped, periods: 0 };
      // Written a batch at a time (numbers, invoices, lines, periods, audit rows: a few statements
      // each), which is what lets 50,000 invoices go out in one run.
      const numbers = await nextDocumentNumbers(trx, 'invoice', todo.length);
      const ids = new Map<string, number>();
      for (let i = 0; i < todo.length; i += 1000) {
        const rows = await trx
          .insertInto('invoices')
          .values(
            todo.slice(i, i + 1000).map(({ inv, totals }, j) => ({
              invoice_number: numbers[i + j]!,
              customer_id: inv.customerId,
              issue_date: asOf,
              due_date: addDays(asOf, inv.termsDays),
              period_start: inv.periodStart,
              period_end: inv.periodEnd,
              billing_frequency: inv.frequency,
              tax_rate_bp: inv.taxExempt ? 0 : taxRateBp,
              subtotal_cents: totals.subtotalCents,
              tax_cents: totals.taxCents,
              total_cents: totals.totalCents,
              status: totals.totalCents === 0 ? ('paid' as const) : ('open' as const),
              created_at: time.at,
              created_by: actor,
            })),
          )
          .returning(['id', 'invoice_number'])
          .execute();
        for (const r of rows) ids.set(r.invoice_number, r.id);
      }
      const lineRows = todo.flatMap(({ lines }, i) =>
        lines.map((l, k) => ({
          invoice_id: ids.get(numbers[i]!)!,
          line_no: k + 1,
          description: l.description,
          quantity: l.quantity,
          unit_price_cents: l.unitPriceCents,
          amount_cents: l.amountCents,
          taxable: l.taxable ? 1 : 0,
        })),
      );
      for (let i = 0; i < lineRows.length; i += 2000) await trx.insertInto('invoice_lines').values(lineRows.slice(i, i + 2000)).execute();
      const periodRows = todo.flatMap(({ inv }, i) =>
        inv.periods.map((p) => ({
          subscription_id: p.subscriptionId,
          period_start: p.period.start,
          period_end: p.period.end,
          invoice_id: ids.get(numbers[i]!)!,
          amount_cents: p.amountCents,
          created_at: time.at,
        })),
      );
      for (let i = 0; i < periodRows.length; i += 2000) await trx.insertInto('subscription_periods').values(periodRows.slice(i, i + 2000)).execute();
      // Delivery is written with the invoices: a committed invoice is queued for its customer, once.
      await queueInvoiceDeliveries(
        trx,
        todo.map(({ inv, totals }, i) => ({ invoiceId: ids.get(numbers[i]!)!, invoiceNumber: numbers[i]!, customerId: inv.customerId, totalCents: totals.totalCents, dueDate: addDays(asOf, inv.termsDays) })),
        { settings: deps.settings.get(), actor, at: time.at, runId, workstation: deps.workstation },
      );
      await appendAuditRows(
        trx,
        todo.map(({ inv, totals }, i) => ({
          actor,
          action: 'invoice.create',
          entity: 'invoice',
          entityId: numbers[i]!,
          customerNumber: inv.customerNumber,
          summary: {
            customerNumber: inv.customerNumber,
            billingRun: runId,
            periodStart: inv.periodStart,
            periodEnd: inv.periodEnd,
            subscriptions: inv.periods.map((p) => p.subscriptionId),
            subtotalCents: totals.subtotalCents,
            taxCents: totals.taxCents,
            totalCents: totals.totalCents,
          },
          at: time.at,
        })),
      );
      const periods = periodRows.length;
      const made: BillingRunInvoice[] = todo.map(({ inv, totals }, i) => ({
        invoiceNumber: numbers[i]!,
        customerNumber: inv.customerNumber,
        periodStart: inv.periodStart,
        periodEnd: inv.periodEnd,
        totalCents: totals.totalCents,
      }));
      await trx
        .updateTable('billing_runs')
        .set({ lease_until: new Date(deps.clock.now().getTime() + LEASE_MS).toISOString() })
        .where('id', '=', runId)
        .execute();
      return { made, skipped, periods };
    });
  }

  async function hold(plan: BillingPlan, actor: string): Promise<void> {
    if (plan.held.length === 0) return;
    const time = postingTime(deps);
    await writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      for (const h of plan.held) {
        const changed = await trx
          .updateTable('subscriptions')
          .set({ held_reason: h.reason, updated_at: time.at, updated_by: actor })
          .where('id', '=', h.subscriptionId)
          .where('held_reason', 'is', null)
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) === 0) continue;
        await appendAudit(trx, {
          actor,
          action: 'subscription.hold',
          entity: 'subscription',
          entityId: h.subscriptionId,
          customerNumber: h.customerNumber,
          summary: { customerNumber: h.customerNumber, missedPeriods: h.missedPeriods, firstMissed: h.firstMissed, reason: h.reason },
          at: time.at,
        });
      }
    });
  }

  return {
    async run(options: BillingRunOptions, actor: string): Promise<BillingRunResult> {
      assertIsoDate(options.asOf, 'asOf');
      const leadDays = options.leadDays ?? deps.settings.get().policy.billingLeadDays;
      if (!Number.isInteger(leadDays) || leadDays < 0 || leadDays > 30) throw new AppError('VALIDATION', 'leadDays: must be a whole number of days from 0 to 30', { fields: { leadDays: 'must be 0 to 30 days' } });
      if (options.dryRun) {
        const p = await plan(options.asOf, leadDays);
        const taxRateBp = deps.settings.get().defaultTaxRateBp;
        return {
          asOf: options.asOf,
          dryRun: true,
          runId: null,
          invoices: p.invoices.map((inv) => ({
            invoiceNumber: null,
            customerNumber: inv.customerNumber,
            periodStart: inv.periodStart,
            periodEnd: inv.periodEnd,
            totalCents: invoiceTotals(inv, taxRateBp).totals.totalCents,
          })),
          held: p.held,
          alreadyBilled: 0,
          autopay: await autopay(options.asOf, true, actor),
          dunning: await runFollowUp(deps, { asOf: options.asOf, dryRun: true, runId: null }, actor),
        };
      }
      const runId = await claim(options.asOf, actor, options.exclusive ?? true);
      const invoices: BillingRunInvoice[] = [];
      let alreadyBilled = 0;
      let periods = 0;
      let p: BillingPlan = { invoices: [], held: [] };
      let charged = NO_AUTOPAY();
      let dunning = emptyFollowUpResult();
      try {
        p = await plan(options.asOf, leadDays);
        await hold(p, actor);
        await noteRunProgress(db, runId, 0, p.invoices.length);
        const size = Math.max(1, options.batchSize ?? 500);
        for (let i = 0; i < p.invoices.length; i += size) {
          const r = await writeBatch(p.invoices.slice(i, i + size), actor, runId, options.asOf, addDays(options.asOf, leadDays));
          invoices.push(...r.made);
          alreadyBilled += r.skipped;
          periods += r.periods;
          const done = Math.min(i + size, p.invoices.length);
          await noteRunProgress(db, runId, done, p.invoices.length);
          options.onProgress?.(done, p.invoices.length);
        }
        charged = await autopay(options.asOf, false, actor);
        dunning = await runFollowUp(deps, { asOf: options.asOf, dryRun: false, runId }, actor);
      } catch (e) {
        await finish(runId, 'failed', invoices, periods, p.held.length, (e as Error).message).catch(() => undefined);
        throw e;
      }
      await finish(runId, 'finished', invoices, periods, p.held.length, null);
      return { asOf: options.asOf, dryRun: false, runId, invoices, held: p.held, alreadyBilled, autopay: charged, dunning };
    },

    async runs(limit = 30) {
      return db.selectFrom('billing_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
    },
  };

  async function finish(runId: number, status: 'finished' | 'failed', invoices: BillingRunInvoice[], periods: number, held: number, message: string | null): Promise<void> {
    const time = postingTime(deps);
    const total = invoices.reduce((s, i) => s + i.totalCents, 0);
    await writeTx(db, async (trx) => {
      await takeWriteLock(trx);
      await trx
        .updateTable('billing_runs')
        .set({ status, finished_at: time.at, invoices_created: invoices.length, periods_billed: periods, held, total_cents: total, message })
        .where('id', '=', runId)
        .execute();
      const run = await trx.selectFrom('billing_runs').select(['actor', 'as_of']).where('id', '=', runId).executeTakeFirstOrThrow();
      await appendAudit(trx, {
        actor: run.actor,
        action: 'billing.run',
        entity: 'billing_run',
        entityId: runId,
        customerNumber: null,
        summary: { asOf: run.as_of, status, invoices: invoices.length, periods, held, totalCents: total, message },
        at: time.at,
        outcome: status === 'finished' ? 'success' : 'failure',
      });
    });
  }
}
