import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function lookupHandlers(core: Core): HandlersFor<'lookup'> {
  return {
    'lookup.search': (input) => core.lookup.search(input),
  };
}
