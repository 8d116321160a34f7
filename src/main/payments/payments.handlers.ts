import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function paymentsHandlers(core: Core): HandlersFor<'payments'> {
  return {
    'payments.quote': (input) => core.payments.quote(input),
    'payments.submit': (input, ctx) => core.payments.submit(input, ctx.actor),
    'payments.list': (input) => core.payments.list(input.customerNumber),
    'payments.get': (input) => core.payments.get(input),
    'payments.void': (input, ctx) => core.payments.void(input, ctx.actor),
    'payments.refund': (input, ctx) => core.payments.refund(input, ctx.actor),
    'payments.recover': (_input, ctx) => core.payments.recover(ctx.actor),
  };
}
