import type { AppError } from '../../../shared/errors';

/**
 * Failures that mean the window's session is gone or locked (UNAUTHENTICATED, SESSION_EXPIRED), from
 * any call: the sign-in gate listens and asks auth.status again, which decides what the window shows.
 */
const SESSION_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);
const listeners = new Set<(error: AppError) => void>();

export function reportCallFailure(channel: string, error: AppError): void {
  if (channel === 'auth.status' || !SESSION_CODES.has(error.code)) return;
  for (const l of listeners) l(error);
}

export function onSessionFailure(listener: (error: AppError) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
