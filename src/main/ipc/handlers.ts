import type { Core } from '../core';
import type { Handlers } from './dispatch';
import { appHandlers } from '../app/app.handlers';

/** Every channel's handler, gathered from the domains. The type makes a missing one a compile error. */
export function buildHandlers(core: Core): Handlers {
  return {
    ...appHandlers(core),
  };
}
