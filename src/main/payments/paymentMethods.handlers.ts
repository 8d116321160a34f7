import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function paymentMethodsHandlers(core: Core): HandlersFor<'paymentMethods'> {
  return {
    'paymentMethods.list': (input) => core.paymentMethods.list(input.customerNumber),
    'paymentMethods.add': (input, ctx) => core.paymentMethods.add(input, ctx.actor),
    'paymentMethods.remove': (input, ctx) => core.paymentMethods.remove(input.id, ctx.actor),
    'paymentMethods.setDefault': (input, ctx) => core.paymentMethods.setDefault(input.id, ctx.actor),
  };
}
