import type { Core } from '../../src/main/core';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch, type Dispatcher } from '../../src/main/ipc/dispatch';
import type { AuditLogRow } from '../../src/main/db/schema';
import type { StaffRole, SignInDto } from '../../src/shared/contract/auth';
import type { Envelope } from '../../src/shared/errors';
import type { NodeRuntime } from '../../src/main/runtime';

/** A password that follows the rule; tests vary the digit to make distinct ones. */
export const PASSWORD = 'correct horse 1';
export const pw = (n: number) => `correct horse ${n}`;

const dispatchers = new WeakMap<Core, Dispatcher>();
export function dispatcherOf(rt: NodeRuntime): Dispatcher {
  let d = dispatchers.get(rt.core);
  if (!d) {
    d = createDispatcher(rt.core);
    dispatchers.set(rt.core, d);
  }
  return d;
}

/** An account made as the CLI makes it (not temporary unless asked). */
export async function addStaff(rt: NodeRuntime, username: string, role: StaffRole, options: { password?: string; temporary?: boolean } = {}) {
  return rt.core.staff.users.create(
    { id: null, username: 'cli:test', name: null },
    { username, name: `${username[0]!.toUpperCase()}${username.slice(1)} Tester`, role, password: options.password ?? PASSWORD, mustChangePassword: options.temporary ?? false },
  );
}

/** Calls a channel over a bridge session (no HTTP): the way the bridge calls dispatch. */
export function callAs(rt: NodeRuntime, token: string | null, channel: string, input: unknown = {}): Promise<Envelope<unknown>> {
  return dispatch(dispatcherOf(rt), channel, input, { via: 'bridge', sessionToken: token });
}

export async function signIn(rt: NodeRuntime, username: string, password = PASSWORD, code?: string): Promise<Envelope<SignInDto>> {
  return (await callAs(rt, null, 'auth.signIn', code === undefined ? { username, password } : { username, password, code })) as Envelope<SignInDto>;
}

/** Signs in and answers the session token; throws when sign-in fails. */
export async function sessionOf(rt: NodeRuntime, username: string, password = PASSWORD): Promise<string> {
  const r = await signIn(rt, username, password);
  if (!r.ok) throw new Error(`${username} could not sign in: ${r.error.code} ${r.error.message}`);
  return r.data.token!;
}

export function errorOf(r: Envelope<unknown>): { code: string; message: string; details?: unknown } {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.data).slice(0, 200)}`);
  return r.error;
}

export function auditRows(rt: NodeRuntime, action?: string): Promise<AuditLogRow[]> {
  let q = rt.ledger.db.selectFrom('audit_log').selectAll().orderBy('id');
  if (action) q = q.where('action', '=', action);
  return q.execute();
}
