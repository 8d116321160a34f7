import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function printersHandlers(core: Core): HandlersFor<'printers'> {
  return {
    'printers.list': () => core.printers.list(),
  };
}
