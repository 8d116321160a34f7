import type { z } from 'zod';
import { contract, isChannelName, type ChannelName, type ChannelOutput, type ParsedInput } from '../../shared/contract';
import { AppError, isAppError, type Envelope } from '../../shared/errors';
import type { Logger } from '../log';

/** Who is calling: the signed-in staff member. */
export interface CallContext {
  actor: string;
}

export type Handler<K extends ChannelName> = (
  input: ParsedInput<K>,
  ctx: CallContext,
) => Promise<ChannelOutput<K>> | ChannelOutput<K>;

/** One handler for every channel: a channel without one does not compile. */
export type Handlers = { [K in ChannelName]: Handler<K> };

/** The handlers of one domain (`customers.*`), so each domain module declares exactly its own. */
export type HandlersFor<D extends string> = {
  [K in ChannelName as K extends `${D}.${string}` ? K : never]: Handler<K>;
};

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

/**
 * The one place a call crosses into the core: parse the input with the channel's strict schema,
 * run the handler, and wrap the outcome in the envelope. Unexpected exceptions are logged and become INTERNAL.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  ctx: CallContext,
  log: Logger,
): Promise<Envelope<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: `No such channel: ${channel}` } };
  }
  const parsed = contract[channel].input.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error.issues);
    return { ok: false, error: { code: 'VALIDATION', message: `Invalid input: ${message}`, details: { fields } } };
  }
  try {
    const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
    const data = await handler(parsed.data, ctx);
    return { ok: true, data };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: e.toShape() };
    const err = e instanceof Error ? e : new Error(String(e));
    // The input is never logged: it may hold card data.
    log.error(`Channel ${channel} failed`, { error: err.message, stack: err.stack });
    return { ok: false, error: new AppError('INTERNAL', 'Something went wrong in AR Desk; the error was logged.').toShape() };
  }
}
