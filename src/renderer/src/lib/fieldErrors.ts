import { AppError } from '../../../shared/errors';

/**
 * A VALIDATION error's per-field messages, keyed by the form's field names (a DAY_CLOSED error's
 * too, when a date the form gave put the post in a closed day). The channel layer
 * names fields by their path in the input ("changes.email"), services by the field ("email"):
 * `prefix` is stripped so both land on the same form field.
 */
export function fieldErrorsOf(error: unknown, prefix = ''): Record<string, string> {
  if (!(error instanceof AppError) || (error.code !== 'VALIDATION' && error.code !== 'DAY_CLOSED')) return {};
  const details = error.details as { fields?: Record<string, string> } | undefined;
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(details?.fields ?? {})) {
    const name = prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key;
    out[name] = message;
  }
  return out;
}

/**
 * Services phrase field problems without the field's name ("is required", "must be ..."), so the
 * label goes in front; a message that is already a sentence is only capitalised.
 */
export function fieldMessage(message: string | undefined, label?: string): string | undefined {
  if (!message) return undefined;
  if (label && /^(is|must|has|needs|cannot|should)\b/.test(message)) return `${label} ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}
