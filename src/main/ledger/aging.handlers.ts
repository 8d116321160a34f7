import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function agingHandlers(core: Core): HandlersFor<'aging'> {
  return {
    'aging.report': (input) => core.aging.report(input),
    'aging.window': (input) => core.aging.window(input),
    'aging.customer': (input) => core.aging.customer(input),
  };
}
