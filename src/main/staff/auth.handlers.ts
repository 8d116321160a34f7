import { AppError } from '../../shared/errors';
import type { Core } from '../core';
import type { CallContext, HandlersFor } from '../ipc/dispatch';
import type { SessionBinding, StaffSession } from './sessions';

/** Electron ties a new session to the window; the bridge and in-process callers get a token. */
function bindingOf(ctx: CallContext): SessionBinding {
  return ctx.origin.via === 'window' ? { kind: 'window', windowId: ctx.origin.windowId } : { kind: 'token' };
}

function sessionOf(ctx: CallContext): StaffSession {
  if (!ctx.session) throw new AppError('UNAUTHENTICATED', 'Sign in to AR Desk.');
  return ctx.session;
}

export function authHandlers(core: Core): HandlersFor<'auth'> {
  const auth = core.staff.auth;
  return {
    'auth.status': (_input, ctx) => auth.status(ctx.session),
    'auth.setupFirstAdmin': (input, ctx) => auth.setupFirstAdmin(input, bindingOf(ctx)),
    'auth.signIn': (input, ctx) => auth.signIn(input, bindingOf(ctx)),
    'auth.signOut': (_input, ctx) => auth.signOut(sessionOf(ctx)),
    'auth.lock': (_input, ctx) => auth.lock(sessionOf(ctx)),
    'auth.unlock': (input, ctx) => auth.unlock(sessionOf(ctx), input.password),
    'auth.changePassword': (input, ctx) => auth.changePassword(sessionOf(ctx), input.currentPassword, input.newPassword),
    'auth.totpSetup': (_input, ctx) => auth.totpSetup(sessionOf(ctx)),
    'auth.totpEnable': (input, ctx) => auth.totpEnable(sessionOf(ctx), input.code),
  };
}
