import type { LedgerChangeBatch } from '../../../shared/changes';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { AppError, type Envelope } from '../../../shared/errors';
import { reportCallFailure } from './session';

type Invoke = (input: unknown) => Promise<Envelope<unknown>>;
type PreloadApi = Record<string, Invoke>;

declare global {
  interface Window {
    api?: PreloadApi;
  }
}

/**
 * Over the bridge the page is handed the bridge's per-launch token (and, in tests, a signed-in
 * session) once, in the fragment: #token=…&session=…&route=…. They are kept in this tab's
 * sessionStorage and the fragment gives way to the route, before the first screen reads it.
 */
function takeHandedCredentials(): void {
  const handed = new URLSearchParams(window.location.hash.slice(1));
  if (!handed.has('token')) return;
  sessionStorage.setItem('ar-desk.token', handed.get('token') ?? '');
  if (handed.has('session')) sessionStorage.setItem('ar-desk.session', handed.get('session') ?? '');
  window.location.replace(`#${(handed.get('route') ?? '').replace(/^\/?#/, '')}`);
}
if (typeof window !== 'undefined' && !window.api) {
  takeHandedCredentials();
  window.addEventListener('hashchange', takeHandedCredentials);
}

/** The bridge's per-launch token this tab was handed ('' when there is none). */
export function bridgeToken(): string {
  return sessionStorage.getItem('ar-desk.token') ?? '';
}

export type LedgerChangedSubscription = (listener: (batch: LedgerChangeBatch) => void) => () => void;

/** In Electron, the preload's subscription to main's live updates; undefined in a browser. */
export function preloadLedgerEvents(): LedgerChangedSubscription | undefined {
  const subscribe = (window.api as { onLedgerChanged?: unknown } | undefined)?.onLedgerChanged;
  return typeof subscribe === 'function' ? (subscribe as LedgerChangedSubscription) : undefined;
}

/** In Electron the preload's api; in a browser (dev:web, end-to-end tests) the HTTP bridge on the same origin. */
async function transport(channel: string, input: unknown): Promise<Envelope<unknown>> {
  const preload = window.api?.[channel];
  if (preload) return preload(input);
  const res = await fetch(`/ipc/${channel}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-ar-desk-token': bridgeToken(),
      'x-ar-desk-session': sessionStorage.getItem('ar-desk.session') ?? '',
    },
    body: JSON.stringify(input ?? {}),
  });
  const envelope = (await res.json()) as Envelope<unknown>;
  const token = envelope.ok ? (envelope.data as { token?: unknown } | null)?.token : undefined;
  if ((channel === 'auth.signIn' || channel === 'auth.setupFirstAdmin') && typeof token === 'string') sessionStorage.setItem('ar-desk.session', token);
  if (channel === 'auth.signOut') sessionStorage.removeItem('ar-desk.session');
  return envelope;
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
    // Main never answered, so nothing it says comes with this: `unreachable` tells a screen it speaks alone.
    throw new AppError('UNAVAILABLE', `AR Desk could not be reached: ${toAppError(e).message}`, { reason: 'unreachable' });
  }
  if (envelope.ok) return envelope.data as ChannelOutput<K>;
  const error = new AppError(envelope.error.code, envelope.error.message, envelope.error.details);
  reportCallFailure(channel, error);
  throw error;
}
