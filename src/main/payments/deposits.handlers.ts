import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function depositsHandlers(core: Core): HandlersFor<'deposits'> {
  const d = core.deposits;
  return {
    'deposits.list': (input) => d.list(input.limit),
    'deposits.get': (input) => d.get(input.depositId),
    'deposits.undeposited': () => d.undeposited(),
    'deposits.open': (input, ctx) => d.open(input, ctx.actor),
    'deposits.addItems': (input, ctx) => d.addItems(input, ctx.actor),
    'deposits.removeItem': (input, ctx) => d.removeItem(input, ctx.actor),
    'deposits.close': (input, ctx) => d.close(input.depositId, ctx.actor),
    'deposits.slip': (input) => d.slip(input.depositId),
  };
}
