import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function collectionsHandlers(core: Core): HandlersFor<'collections'> {
  return {
    'collections.worklist': (input) => core.collections.worklist(input),
    'collections.assign': (input, ctx) => core.collections.assign(input, ctx.actor),
    'collections.setNoFollowUp': (input, ctx) => core.collections.setNoFollowUp(input, ctx.actor),
  };
}
