import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function importsHandlers(core: Core): HandlersFor<'imports'> {
  return {
    'imports.begin': (input, ctx) => core.importJobs.begin(input, ctx.actor),
    'imports.append': (input, ctx) => core.importJobs.append(input, ctx.actor),
    'imports.start': (input, ctx) => core.importJobs.start(input.importId, ctx.actor),
    'imports.get': (input, ctx) => core.importJobs.get(input.importId, ctx.actor),
  };
}
