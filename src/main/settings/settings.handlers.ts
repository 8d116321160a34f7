import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function settingsHandlers(core: Core): HandlersFor<'settings'> {
  return {
    'settings.get': () => core.settings.get(),
    'settings.update': (input, ctx) => core.settings.update(input.changes, ctx.actor),
  };
}
