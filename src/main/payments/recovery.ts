import type { RecoveryReportDto, ReversalOutcomeDto } from '../../shared/contract/payments';
import { findCustomerById } from '../ledger/customers.repo';
import type { Logger } from '../log';
import type { PaymentsContext } from './context';
import { paymentById, pendingPaymentIds, pendingReversalIds, reversalById } from './payments.repo';
import { whileClaimed } from './claims';
import { completeReversal, settleReversal } from './reversals';
import { DEFAULT_STALE_AFTER_MS, lookupSafely, settleFromGateway } from './settle';

/** How often the app settles payments left pending by a gateway that did not answer. */
export const RECOVERY_INTERVAL_MS = 3 * 60 * 1000;

export interface RecoverOptions {
  /** Override DEFAULT_STALE_AFTER_MS (0 when no other process can be mid-request, e.g. after a crash). */
  staleAfterMs?: number;
}

/**
 * Settles every pending payment and reversal by asking the gateway what it recorded under their
 * keys. Never charges or refunds anything itself. Requests in progress in this process, and rows
 * another workstation has claimed (claims.ts), are skipped and counted as still pending.
 */
export async function recover(ctx: PaymentsContext, actor: string, options: RecoverOptions = {}): Promise<RecoveryReportDto> {
  const { deps, db } = ctx;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const report: RecoveryReportDto = { payments: [], reversals: [], stillPending: { payments: 0, reversals: 0 } };
  for (const id of await pendingPaymentIds(db)) {
    const p = await paymentById(db, id);
    if (!p || p.status !== 'pending') continue;
    const settled = await settleFromGateway(ctx, p, staleAfterMs, actor);
    const after = await paymentById(db, id);
    if (!after || after.status === 'pending') {
      report.stillPending.payments += 1;
      continue;
    }
    // Settled meanwhile by another workstation (or request), which reports it.
    if (!settled) continue;
    const customer = await findCustomerById(db, after.customer_id);
    report.payments.push({
      paymentId: id,
      customerNumber: customer?.customer_number ?? '',
      outcome: after.status === 'captured' ? 'captured' : after.status === 'declined' ? 'declined' : 'failed',
      amountCents: after.amount_cents,
      confirmationNumber: after.confirmation_number,
      message: after.decline_message,
    });
  }
  for (const id of await pendingReversalIds(db)) {
    if (ctx.locks.reversals.has(id)) {
      report.stillPending.reversals += 1;
      continue;
    }
    const r = await reversalById(db, id);
    if (!r || r.status !== 'pending') continue;
    const settled: ReversalOutcomeDto | null = await ctx.locks.reversals.holding(id, () =>
      whileClaimed(ctx, 'payment_reversals', id, async () => {
        const age = deps.clock.now().getTime() - Date.parse(r.created_at);
        const p = await paymentById(db, r.payment_id);
        return p?.kind === 'credit_only'
          ? await completeReversal(ctx, id, null, actor, 'recovery')
          : await settleReversal(ctx, id, await lookupSafely(deps, r.idempotency_key), actor, 'recovery', age >= staleAfterMs);
      }),
    );
    if (!settled || settled.status === 'pending') {
      // Claimed by another workstation and still pending, or settled meanwhile by it.
      if (settled || (await reversalById(db, id))?.status === 'pending') report.stillPending.reversals += 1;
      continue;
    }
    report.reversals.push({ reversalId: id, paymentId: r.payment_id, kind: r.kind, outcome: settled.status, amountCents: r.amount_cents });
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Running recovery from the app, the bridge and the command line

/** What recovery needs of the core (core.ts's Core has it), declared here so payments does not import the core. */
export interface RecoveryHost {
  payments: { recover(actor: string, options?: RecoverOptions): Promise<RecoveryReportDto> };
  documents: { deliverQueued(actor: string): Promise<unknown> };
  deps: { log: Logger };
}

/**
 * Prints or sends the confirmations that approvals just queued. Never rejects: what cannot be
 * delivered now stays queued with the reason, for the print queue and the outbox to retry.
 */
export async function deliverQueuedConfirmations(core: Pick<RecoveryHost, 'documents' | 'deps'>, actor: string): Promise<void> {
  await core.documents.deliverQueued(actor).catch((e: unknown) => {
    core.deps.log.warn('A payment confirmation is queued but could not be delivered yet', { error: (e as Error).message });
  });
}

/** Settles every pending payment and reversal by asking the gateway; see PaymentsService.recover. */
export async function recoverPendingPayments(
  core: RecoveryHost,
  options: RecoverOptions & { actor?: string; deliverConfirmations?: boolean } = {},
): Promise<RecoveryReportDto> {
  const actor = options.actor ?? 'recovery';
  const report = await core.payments.recover(actor, options);
  // Approvals found here may have queued a confirmation to print or email; the app delivers it now,
  // a command-line run leaves it queued for the app.
  if (options.deliverConfirmations && report.payments.some((p) => p.outcome === 'captured')) {
    await deliverQueuedConfirmations(core, actor);
  }
  return report;
}

/**
 * Runs recovery now and then every `intervalMs`, never two runs at once. Returns the stop function.
 * Failures are logged and retried on the next tick: the pending rows stay until someone can settle them.
 */
export function startRecoveryTimer(core: RecoveryHost, intervalMs = RECOVERY_INTERVAL_MS): () => void {
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
