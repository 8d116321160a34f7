import { AppError } from '../../shared/errors';
import type { Core } from '../core';
import type { CallContext, HandlersFor } from '../ipc/dispatch';
import type { StaffActor } from './staff.service';

function actorOf(ctx: CallContext): StaffActor {
  if (!ctx.staff) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
  return { id: ctx.staff.id, username: ctx.staff.username, name: ctx.staff.name };
}

export function staffHandlers(core: Core): HandlersFor<'staff'> {
  const users = core.staff.users;
  return {
    'staff.list': async () => ({ users: await users.list() }),
    'staff.create': (input, ctx) => users.create(actorOf(ctx), input),
    'staff.update': (input, ctx) => users.update(actorOf(ctx), input),
    'staff.resetPassword': (input, ctx) => users.resetPassword(actorOf(ctx), input),
    'staff.unlock': (input, ctx) => users.unlock(actorOf(ctx), input.username),
    'staff.clearTotp': (input, ctx) => users.clearTotp(actorOf(ctx), input.username),
    'staff.policy': () => users.policy(),
    'staff.setPolicy': (input, ctx) => users.setPolicy(actorOf(ctx), input),
  };
}

export function auditHandlers(core: Core): HandlersFor<'audit'> {
  return {
    'audit.list': (input) => core.staff.audit.list(input),
  };
}
