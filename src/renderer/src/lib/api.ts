import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { AppError, type Envelope } from '../../../shared/errors';

type Invoke = (input: unknown) => Promise<Envelope<unknown>>;
type PreloadApi = Record<string, Invoke>;

declare global {
  interface Window {
    api?: PreloadApi;
  }
}

/** In Electron the preload's api; in a browser (dev:web, end-to-end tests) the HTTP bridge on the same origin. */
async function transport(channel: string, input: unknown): Promise<Envelope<unknown>> {
  const preload = window.api?.[channel];
  if (preload) return preload(input);
  const res = await fetch(`/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input ?? {}),
  });
  return (await res.json()) as Envelope<unknown>;
}

/**
 * Anything thrown, as an AppError: an AppError stays as it is, anything else (a bug, a browser
 * error) becomes INTERNAL with its message. The one place the renderer normalises an unknown error.
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('INTERNAL', e instanceof Error ? e.message : String(e));
}

/** Calls a channel; a failure comes back as an AppError with its code. */
export async function call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  let envelope: Envelope<unknown>;
  try {
    envelope = await transport(channel, input);
  } catch (e) {
    throw new AppError('UNAVAILABLE', `AR Desk could not be reached: ${toAppError(e).message}`);
  }
  if (envelope.ok) return envelope.data as ChannelOutput<K>;
  throw new AppError(envelope.error.code, envelope.error.message, envelope.error.details);
}
