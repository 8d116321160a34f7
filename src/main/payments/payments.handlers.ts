import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';
import { deliverQueuedConfirmations, recoverPendingPayments } from './recovery';

export function paymentsHandlers(core: Core): HandlersFor<'payments'> {
  return {
    'payments.quote': (input) => core.payments.quote(input),
    'payments.submit': async (input, ctx) => {
      const result = await core.payments.submit(input, ctx.actor);
      // Printed or sent right away, without making the clerk wait for the printer.
      if (result.status === 'approved' && input.delivery !== undefined && input.delivery !== 'none') void deliverQueuedConfirmations(core, ctx.actor);
      return result;
    },
    'payments.list': (input) => core.payments.list(input.customerNumber),
    'payments.recent': (input) => core.payments.recent(input),
    'payments.search': (input) => core.payments.search(input),
    'payments.get': (input) => core.payments.get(input),
    'payments.void': (input, ctx) => core.payments.void(input, ctx.actor),
    'payments.refund': (input, ctx) => core.payments.refund(input, ctx.actor),
    'payments.quoteReceived': (input) => core.payments.quoteReceived(input),
    'payments.recordReceived': async (input, ctx) => {
      const result = await core.payments.recordReceived(input, ctx.actor);
      if (result.status === 'approved' && input.delivery !== undefined && input.delivery !== 'none') void deliverQueuedConfirmations(core, ctx.actor);
      return result;
    },
    'payments.returnCheck': (input, ctx) => core.payments.returnCheck(input, ctx.actor),
    'payments.recover': (_input, ctx) => recoverPendingPayments(core, { actor: ctx.actor, deliverConfirmations: true }),
  };
}
