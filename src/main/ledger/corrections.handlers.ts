import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function correctionsHandlers(core: Core): HandlersFor<'corrections'> {
  return {
    'corrections.reapply': (input, ctx) => core.corrections.reapply(input, ctx.actor),
    'corrections.applyOnAccount': (input, ctx) => core.corrections.applyOnAccount(input, ctx.actor),
    'corrections.writeOff': (input, ctx) => core.corrections.writeOff(input, ctx.actor),
    'corrections.history': (input) => core.corrections.history(input.customerNumber),
  };
}
