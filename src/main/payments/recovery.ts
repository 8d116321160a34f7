import type { RecoveryReportDto } from '../../shared/contract/payments';
import type { Core } from '../core';
import type { RecoverOptions } from './payments.service';

/** How often the app settles payments left pending by a gateway that did not answer. */
export const RECOVERY_INTERVAL_MS = 3 * 60 * 1000;

/** Settles every pending payment and reversal by asking the gateway; see PaymentsService.recover. */
export async function recoverPendingPayments(
  core: Core,
  options: RecoverOptions & { actor?: string; deliverConfirmations?: boolean } = {},
): Promise<RecoveryReportDto> {
  const actor = options.actor ?? 'recovery';
  const report = await core.payments.recover(actor, options);
  // Approvals found here may have queued a confirmation to print or email; the app delivers it now,
  // a command-line run leaves it queued for the app.
  if (options.deliverConfirmations && report.payments.some((p) => p.outcome === 'captured')) {
    await core.documents.deliverQueued(actor).catch((e: unknown) => {
      core.deps.log.warn('A payment confirmation is queued but could not be delivered yet', { error: (e as Error).message });
    });
  }
  return report;
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
      const report = await recoverPendingPayments(core, { deliverConfirmations: true });
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
