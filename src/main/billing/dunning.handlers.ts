import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function dunningHandlers(core: Core): HandlersFor<'dunning'> {
  return {
    'dunning.levels': () => core.dunning.levels(),
    'dunning.setLevels': (input, ctx) => core.dunning.setLevels(input, ctx.actor),
  };
}
