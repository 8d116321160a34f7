import type { AppError } from '../../../../shared/errors';

/**
 * What the clerk reads when a submit failed for another reason than a refusal or a form error. Main's
 * BUSY and UNAVAILABLE say what became of the money and what to do (sometimes "Do not charge again"),
 * so its words stand alone. When main could not be reached, or failed unexpectedly, the outcome is
 * unknown, and submitting the same attempt again is safe.
 */
export function submitFailureMessage(err: AppError): string {
  const unreachable = (err.details as { reason?: unknown } | undefined)?.reason === 'unreachable';
  if ((err.code === 'BUSY' || err.code === 'UNAVAILABLE') && !unreachable) return err.message;
  return `${err.message} The charge may or may not have gone through. Press Submit again: AR Desk sends the same request, so the customer cannot be charged twice.`;
}
