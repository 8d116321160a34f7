import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function appHandlers(core: Core): HandlersFor<'app'> {
  return {
    'app.info': (_input, ctx) => ({
      ...core.app.info(ctx.actor),
      staff: ctx.staff && ctx.staff.id !== null ? { id: ctx.staff.id, username: ctx.staff.username, name: ctx.staff.name ?? ctx.staff.username, role: ctx.staff.role } : null,
    }),
  };
}
