import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';
import { postingTime } from '../ledger/posting';
import type { BillingRunRecordDto } from '../../shared/contract/billing';

export function subscriptionsHandlers(core: Core): HandlersFor<'subscriptions'> {
  return {
    'subscriptions.list': async (input) => ({ subscriptions: await core.subscriptions.list(input.customerNumber) }),
    'subscriptions.create': (input, ctx) => core.subscriptions.create(input, ctx.actor),
    'subscriptions.change': (input, ctx) =>
      core.subscriptions.change({ ...input, asOf: input.asOf ?? postingTime(core.deps).businessDate }, ctx.actor),
    'subscriptions.cancel': (input, ctx) =>
      core.subscriptions.cancel({ ...input, asOf: input.asOf ?? postingTime(core.deps).businessDate }, ctx.actor),
  };
}

export function billingHandlers(core: Core): HandlersFor<'billing'> {
  const asOf = (given: string | undefined) => given ?? postingTime(core.deps).businessDate;
  return {
    'billing.preview': (input, ctx) => core.billing.run({ asOf: asOf(input.asOf), dryRun: true }, ctx.actor),
    'billing.run': (input, ctx) => core.billing.run({ asOf: asOf(input.asOf), dryRun: false }, ctx.actor),
    'billing.runs': async () => {
      // A run left 'running' by a workstation that stopped is not going: its lease has run out.
      const now = core.deps.clock.now().toISOString();
      const runs = (await core.billing.runs()).map(
        (r): BillingRunRecordDto => ({
          id: r.id,
          asOf: r.as_of,
          status: r.status,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          actor: r.actor,
          workstation: r.workstation,
          invoicesCreated: r.invoices_created,
          periodsBilled: r.periods_billed,
          held: r.held,
          totalCents: r.total_cents,
          message: r.message,
          progressDone: r.progress_done,
          progressTotal: r.progress_total,
          going: r.status === 'running' && r.lease_until > now,
        }),
      );
      return { runs };
    },
  };
}
