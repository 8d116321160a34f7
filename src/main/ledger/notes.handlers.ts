import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function notesHandlers(core: Core): HandlersFor<'notes'> {
  return {
    'notes.list': (input) => core.notes.list(input.customerNumber),
    'notes.add': (input, ctx) => core.notes.add(input, ctx.actor),
  };
}
