import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function appHandlers(core: Core): HandlersFor<'app'> {
  return {
    'app.info': (_input, ctx) => core.app.info(ctx.actor),
  };
}
