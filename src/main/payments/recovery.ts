import type { RecoveryReportDto } from '../../shared/contract/payments';
import type { Core } from '../core';
import type { RecoverOptions } from './payments.service';

/** How often the app settles payments left pending by a gateway that did not answer. */
export const RECOVERY_INTERVAL_MS = 3 * 60 * 1000;

/** Settles every pending payment and reversal by asking the gateway; see PaymentsService.recover. */
export function recoverPendingPayments(core: Core, options: RecoverOptions & { actor?: string } = {}): Promise<RecoveryReportDto> {
  return core.payments.recover(options.actor ?? 'recovery', options);
}

/**
 * Runs recovery now and then every `intervalMs`, never two runs at once. Returns the stop function.
 * Failures are logged and retried on the next tick: the pending rows stay until someone can settle them.
 */
export function startRecoveryTimer(core: Core, intervalMs = RECOVERY_INTERVAL_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await recoverPendingPayments(core);
      const settled = report.payments.length + report.reversals.length;
      if (settled > 0) core.deps.log.info('Settled pending payments with the gateway', { settled, stillPending: report.stillPending });
    } catch (e) {
      core.deps.log.error('Payment recovery failed; it will run again', { error: (e as Error).message });
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
