/**
 * The billing run on its own, once a day: when AR Desk starts and then every few minutes it asks
 * whether today's run (the business date in the office's time zone) has finished, and from the
 * office's hour on runs it if not. Several workstations may ask at once: the run's lease lets one
 * of them run and the others' refusal (BUSY) is normal; and whoever runs, the exactly-once key of
 * the billed periods keeps every period billed once.
 */
import { AppError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { createBillingRun } from './billing.run';
import { postingTime } from '../ledger/posting';

export const BILLING_CHECK_INTERVAL_MS = 5 * 60_000;
/** The actor of the automatic run in the audit log. */
export const SCHEDULED_BILLING_ACTOR = 'billing-schedule';

/** What the schedule needs of the core (not the core itself: only the composition root imports it). */
interface BillingHost {
  billing: ReturnType<typeof createBillingRun>;
  deps: Pick<CoreDeps, 'clock' | 'settings' | 'ledger' | 'log'>;
}

/** The hour (0-23, office time) from which today's run may start. */
export interface BillingScheduleOptions {
  hour?: number;
  intervalMs?: number;
}

function hourInZone(now: Date, timeZone: string): number {
  const h = new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone }).format(now);
  return Number(h);
}

/** Runs today's billing if it is due and not done; answers what it did, for the log and tests. */
export async function runScheduledBilling(core: BillingHost, options: BillingScheduleOptions = {}): Promise<'ran' | 'done-already' | 'too-early' | 'busy'> {
  const { businessDate } = postingTime(core.deps);
  const now = core.deps.clock.now();
  if (hourInZone(now, core.deps.settings.get().timeZone) < (options.hour ?? 0)) return 'too-early';
  const done = await core.deps.ledger.db
    .selectFrom('billing_runs')
    .select('id')
    .where('as_of', '=', businessDate)
    .where('status', '=', 'finished')
    .executeTakeFirst();
  if (done) return 'done-already';
  try {
    const r = await core.billing.run({ asOf: businessDate, dryRun: false }, SCHEDULED_BILLING_ACTOR);
    core.deps.log.info('Billing run finished', { asOf: businessDate, invoices: r.invoices.length, held: r.held.length, autopayCharged: r.autopay.charged.length, autopayDeclined: r.autopay.declined.length });
    return 'ran';
  } catch (e) {
    if (e instanceof AppError && e.code === 'BUSY') return 'busy';
    throw e;
  }
}

/** Checks now and every few minutes, never two checks at once. Returns the stop function. */
export function startBillingSchedule(core: BillingHost, options: BillingScheduleOptions = {}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduledBilling(core, options);
    } catch (e) {
      core.deps.log.error('The billing run failed; it will be tried again', { error: (e as Error).message });
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs ?? BILLING_CHECK_INTERVAL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
