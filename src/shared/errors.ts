/** Error codes that cross the IPC boundary. One mechanism everywhere: services throw AppError. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  /** No session, or one this process does not know: sign in. */
  'UNAUTHENTICATED',
  /** The session is locked (idle too long, or locked by its owner): unlock it with the password. */
  'SESSION_EXPIRED',
  /** Too many failed sign-ins: the account is locked for a while or until an administrator unlocks it. */
  'LOCKED_OUT',
  'UNAVAILABLE',
  /** The ledger is held by another writer (an import) longer than a request may wait; nothing was done, try again. */
  'BUSY',
  'SCHEMA_TOO_NEW',
  /** The business date is closed (Close the day): nothing may be posted on or before it. */
  'DAY_CLOSED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toShape(): AppErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** A field-level validation failure: the message names the field, details carry it for forms. */
export function validationError(field: string, message: string): AppError {
  return new AppError('VALIDATION', `${field}: ${message}`, { fields: { [field]: message } });
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };
