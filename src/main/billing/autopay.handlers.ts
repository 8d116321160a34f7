import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function autopayHandlers(core: Core): HandlersFor<'autopay'> {
  return {
    'autopay.get': (input) => core.autopay.get(input.customerNumber),
    'autopay.set': (input, ctx) => core.autopay.set(input, ctx.actor, ctx.staff?.role ?? null),
  };
}
