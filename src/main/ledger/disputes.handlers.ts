import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function disputesHandlers(core: Core): HandlersFor<'disputes'> {
  return {
    'disputes.list': (input) => core.disputes.list(input.customerNumber),
    'disputes.open': (input, ctx) => core.disputes.open(input, ctx.actor),
    'disputes.resolve': (input, ctx) => core.disputes.resolve(input, ctx.actor),
  };
}
