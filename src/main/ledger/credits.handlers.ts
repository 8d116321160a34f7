import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function creditsHandlers(core: Core): HandlersFor<'credits'> {
  return {
    'credits.create': (input, ctx) => core.credits.create(input, ctx.actor),
    'credits.apply': (input, ctx) => core.credits.apply(input, ctx.actor),
    'credits.unapply': (input, ctx) => core.credits.unapply(input, ctx.actor),
  };
}
