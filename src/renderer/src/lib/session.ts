import type { AppError } from '../../../shared/errors';

/**
 * Failures that mean the window's session is gone or locked (UNAUTHENTICATED, SESSION_EXPIRED), or
 * held until its owner changes a temporary password or sets up an authenticator (FORBIDDEN with that
 * need, e.g. after an administrator changed the office's policy), from any call: the sign-in gate
 * listens and asks auth.status again, which decides what the window shows.
 */
const SESSION_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);
const SESSION_NEEDS = new Set(['password_change', 'totp_enrollment']);
const listeners = new Set<(error: AppError) => void>();

function isSessionFailure(error: AppError): boolean {
  if (SESSION_CODES.has(error.code)) return true;
  const needs = (error.details as { needs?: unknown } | undefined)?.needs;
  return error.code === 'FORBIDDEN' && typeof needs === 'string' && SESSION_NEEDS.has(needs);
}

export function reportCallFailure(channel: string, error: AppError): void {
  if (channel === 'auth.status' || !isSessionFailure(error)) return;
  for (const l of listeners) l(error);
}

export function onSessionFailure(listener: (error: AppError) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
