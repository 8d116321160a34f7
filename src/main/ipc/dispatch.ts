import type { z } from 'zod';
import { contract, isChannelName, type ChannelName, type ChannelOutput, type ParsedInput } from '../../shared/contract';
import type { ApprovalInput } from '../../shared/contract/auth';
import { AppError, isAppError, type AppErrorShape, type Envelope } from '../../shared/errors';
import type { Logger } from '../log';
import { runInAuditScope, type AuditScope } from '../staff/audit.scope';
import { PERMISSIONS } from '../staff/permissions';
import type { CallOrigin, Gate, SignedIn } from '../staff/gate';
import type { StaffSession } from '../staff/sessions';

export type { CallOrigin, SignedIn } from '../staff/gate';

/** Who is calling, as the handlers see it. Credentials never reach a handler: `approval` is taken off the input. */
export interface CallContext {
  /** The signed-in person's username (what created_by columns record); '' before sign-in. */
  actor: string;
  staff: SignedIn | null;
  /** The supervisor who approved a clerk's call, when one did. */
  approvedBy: SignedIn | null;
  /** This installation's id. */
  workstation: string;
  /** The caller's session (auth.* channels act on it); null for in-process callers and before sign-in. */
  session: StaffSession | null;
  origin: CallOrigin;
}

type WithoutApproval<T> = T extends { approval?: unknown } ? Omit<T, 'approval'> : T;

export type Handler<K extends ChannelName> = (
  input: WithoutApproval<ParsedInput<K>>,
  ctx: CallContext,
) => Promise<ChannelOutput<K>> | ChannelOutput<K>;

/** One handler for every channel: a channel without one does not compile. */
export type Handlers = { [K in ChannelName]: Handler<K> };

/** The handlers of one domain (`customers.*`), so each domain module declares exactly its own. */
export type HandlersFor<D extends string> = {
  [K in ChannelName as K extends `${D}.${string}` ? K : never]: Handler<K>;
};

/** What dispatch needs: the handlers, the staff gate (sessions, permissions, approvals, audit), the log. */
export interface Dispatcher {
  handlers: Handlers;
  gate: Gate;
  log: Logger;
  workstation: string;
}

function describeIssues(issues: z.core.$ZodIssue[]): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return { message, fields };
}

function errorShape(e: unknown, channel: string, log: Logger): AppErrorShape {
  if (isAppError(e)) return e.toShape();
  const err = e instanceof Error ? e : new Error(String(e));
  // The input is never logged: it may hold card data or passwords.
  log.error(`Channel ${channel} failed`, { error: err.message, stack: err.stack });
  return new AppError('INTERNAL', 'Something went wrong in AR Desk; the error was logged.').toShape();
}

/**
 * The one way a call crosses into the core, for Electron IPC and the HTTP bridge alike (the
 * transports check the sender or the bridge token first):
 * session -> permission (FORBIDDEN with details.needs) -> strict parse -> supervisor approval ->
 * handler -> envelope. The handler runs in an audit scope, so the rows services append inside their
 * own transactions name the person, the approving supervisor and the workstation; a write channel
 * whose handler wrote no row, and every refused or failed write, gets one row from here.
 * Unexpected exceptions are logged and become INTERNAL.
 */
export async function dispatch(d: Dispatcher, channel: string, rawInput: unknown, origin: CallOrigin): Promise<Envelope<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `No such channel: ${channel}` } };
  }
  const raw = rawInput === undefined ? {} : rawInput;
  try {
    const { staff, session } = await d.gate.identify(channel, origin);
    const access = await d.gate.authorize(channel, staff, raw);
    const parsed = contract[channel].input.safeParse(raw);
    if (!parsed.success) {
      const { message, fields } = describeIssues(parsed.error.issues);
      return { ok: false, error: { code: 'VALIDATION', message: `Invalid input: ${message}`, details: { fields } } };
    }
    let input: unknown = parsed.data;
    let approval: ApprovalInput | undefined;
    if (PERMISSIONS[channel].approval) {
      const { approval: given, ...rest } = parsed.data as { approval?: ApprovalInput } & Record<string, unknown>;
      approval = given;
      input = rest;
    }
    // A clerk's call that got this far carries an approval key; an empty one (`approval: undefined`
    // survives Electron's structured clone) is refused by approve like a wrong one.
    const approvedBy = access === 'approval' && staff ? await d.gate.approve(channel, staff, approval, input) : null;
    const ctx: CallContext = { actor: staff?.username ?? '', staff, approvedBy, workstation: d.workstation, session, origin };
    const scope: AuditScope = {
      actor: { id: staff?.id ?? null, username: staff?.username ?? '(unknown)', name: staff?.name ?? null },
      approvedBy: approvedBy ? { id: approvedBy.id, username: approvedBy.username, name: approvedBy.name } : null,
      approvalReason: approvedBy ? (approval?.reason ?? null) : null,
      workstation: d.workstation,
      rows: 0,
      failureRecorded: false,
    };
    const handler = d.handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
    let outcome: Envelope<unknown>;
    try {
      outcome = { ok: true, data: await runInAuditScope(scope, async () => handler(input, ctx)) };
    } catch (e) {
      outcome = { ok: false, error: errorShape(e, channel, d.log) };
    }
    // The change (if any) is committed: a failure to write this row is logged, not turned into a failed call.
    await d.gate.recordOutcome(channel, scope, staff, input, outcome.ok ? null : outcome.error).catch((x: unknown) => {
      d.log.error(`The audit row of ${channel} could not be written`, { error: (x as Error).message });
    });
    return outcome;
  } catch (e) {
    return { ok: false, error: errorShape(e, channel, d.log) };
  }
}
