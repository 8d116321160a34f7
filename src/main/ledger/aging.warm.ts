/**
 * The aging screen's warm-up: a few seconds after the app is up (the ledger open, the first screen
 * served), main makes the rows the aging screen opens with (the business date, by due date) in the
 * background, so the screen's first window reads kept rows instead of waiting for the whole
 * ledger's aging (about a second at 50,000 customers). Started by the shell and dev:web, not by the
 * runtime, so the CLI, the tests and the benchmark's own runtimes keep their cold start.
 *
 * It never holds up start or the clerk: it starts after a delay, on SQLite the query runs in a
 * worker thread (aging.service's warmUp), and a screen opened meanwhile waits for the same
 * computation rather than starting a second. A failure is logged and changes nothing: the rows are
 * then made when the screen asks, as without the warm-up. The kept rows stay right afterwards as
 * any kept rows do (aging.kept.ts): each window checks the ledger's position and patches the
 * customers changed since.
 */
import type { Logger } from '../log';

/** From the app being up to the warm-up: past the first screen's own requests. */
export const AGING_WARM_UP_DELAY_MS = 3_000;

/** What the warm-up needs of the core (not the core itself: only the composition root imports it). */
export interface AgingWarmUpHost {
  aging: { warmUp(): Promise<{ asOf: string; basis: string; customers: number }> };
  deps: { log: Logger };
}

export interface AgingWarmUpOptions {
  delayMs?: number;
  /** Told when the warm-up has finished, well or not (tests and the benchmark). */
  onDone?: (outcome: { ok: boolean; ms: number }) => void;
}

/** Schedules the warm-up once; returns the function that cancels it if it has not started. */
export function startAgingWarmUp(host: AgingWarmUpHost, options: AgingWarmUpOptions = {}): () => void {
  const timer = setTimeout(() => {
    const started = performance.now();
    host.aging.warmUp().then(
      (r) => {
        const ms = Math.round(performance.now() - started);
        host.deps.log.info('Aging rows kept for the aging screen', { asOf: r.asOf, basis: r.basis, customers: r.customers, ms });
        options.onDone?.({ ok: true, ms });
      },
      (e: unknown) => {
        const ms = Math.round(performance.now() - started);
        host.deps.log.warn('The aging warm-up failed; the aging screen computes its rows when opened', { error: e instanceof Error ? e.message : String(e) });
        options.onDone?.({ ok: false, ms });
      },
    );
  }, options.delayMs ?? AGING_WARM_UP_DELAY_MS);
  // A CLI command or a closing app does not wait for it.
  timer.unref();
  return () => clearTimeout(timer);
}
