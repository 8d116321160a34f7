import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';
import { recoverPendingPayments } from './recovery';

/** Prints or sends what an approval just queued, without making the clerk wait for the printer. */
function deliverConfirmation(core: Core, actor: string): void {
  core.documents.deliverQueued(actor).catch((e: unknown) => {
    core.deps.log.warn('A payment confirmation is queued but could not be delivered yet', { error: (e as Error).message });
  });
}

export function paymentsHandlers(core: Core): HandlersFor<'payments'> {
  return {
    'payments.quote': (input) => core.payments.quote(input),
    'payments.submit': async (input, ctx) => {
      const result = await core.payments.submit(input, ctx.actor);
      if (result.status === 'approved' && input.delivery !== undefined && input.delivery !== 'none') deliverConfirmation(core, ctx.actor);
      return result;
    },
    'payments.list': (input) => core.payments.list(input.customerNumber),
    'payments.recent': (input) => core.payments.recent(input),
    'payments.get': (input) => core.payments.get(input),
    'payments.void': (input, ctx) => core.payments.void(input, ctx.actor),
    'payments.refund': (input, ctx) => core.payments.refund(input, ctx.actor),
    'payments.recover': (_input, ctx) => recoverPendingPayments(core, { actor: ctx.actor, deliverConfirmations: true }),
  };
}
