/**
 * Field checks shared by the main process (which enforces them) and the renderer (which shows
 * them on the field before a round trip). No Node imports. Each check returns the problem as a
 * message, or null when the value is fine; messages do not repeat the field name, forms show
 * them under the field and AppError messages prefix it.
 */
import { AppError } from './errors';

/** Two capital letters then digits, 3 to 12 characters in all (the database checks the same). */
export const CUSTOMER_NUMBER_PATTERN = /^[A-Z]{2}[0-9]{1,10}$/;

/** Invoice and credit numbers: letters, digits and - _ . / , starting with a letter or digit. */
export const DOCUMENT_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/;

export const MAX_NAME_LENGTH = 200;
export const MAX_ADDRESS_FIELD_LENGTH = 200;
export const MAX_NOTES_LENGTH = 4000;
export const MAX_REASON_LENGTH = 1000;
export const MAX_TERMS_DAYS = 365;
export const DEFAULT_TERMS_DAYS = 30;

/** Clerks type numbers in any case with stray spaces; the stored form is upper case. */
export function normalizeCustomerNumber(text: string): string {
  return text.trim().toUpperCase();
}

export function customerNumberProblem(value: string): string | null {
  if (value.length === 0) return 'is required';
  return CUSTOMER_NUMBER_PATTERN.test(value)
    ? null
    : `"${value}" is not a customer number: two capital letters then up to 10 digits, e.g. CL1042`;
}

export function documentNumberProblem(value: string): string | null {
  if (value.length === 0) return 'is required';
  return DOCUMENT_NUMBER_PATTERN.test(value)
    ? null
    : `"${value}" is not a valid number: up to 32 letters, digits and - _ . / starting with a letter or digit`;
}

export const MAX_EMAIL_LENGTH = 254;

// The one email rule, for the customer record, the receipt field and the outbox. Deliberately loose,
// mail servers decide the rest, but it refuses what would be misread on the way: exactly one @, no
// spaces, none of the characters that are syntax in a mail header (, ; < > ( ) : "), which would turn
// one recipient into two or into a display name, no control character, and a domain of dot-separated
// labels, none empty.
const EMAIL = /^[^\s\u0000-\u001f\u007f-\u009f@<>(),;:"]+@[^\s\u0000-\u001f\u007f-\u009f@<>(),;:".]+(\.[^\s\u0000-\u001f\u007f-\u009f@<>(),;:".]+)+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}

export function emailProblem(value: string): string | null {
  if (value.length > MAX_EMAIL_LENGTH) return `is too long (at most ${MAX_EMAIL_LENGTH} characters)`;
  return EMAIL.test(value) ? null : `"${value}" is not an email address (e.g. billing@example.com)`;
}

const PHONE_CHARACTERS = /^\+?[0-9().\-\s/]+$/;

/** Any usual formatting of 7 to 15 digits: "(503) 555-0142", "+1 503.555.0142". */
export function phoneProblem(value: string): string | null {
  if (!PHONE_CHARACTERS.test(value)) {
    return `"${value}" is not a phone number: use digits, spaces and ( ) + - . only`;
  }
  const digits = value.replace(/\D+/g, '').length;
  if (digits < 7 || digits > 15) return `"${value}" is not a phone number: it needs 7 to 15 digits, it has ${digits}`;
  return null;
}

const US_COUNTRY = new Set(['', 'us', 'usa', 'u.s.', 'u.s.a.', 'united states', 'united states of america']);
const CA_COUNTRY = new Set(['ca', 'can', 'canada']);

/** An empty country is taken as the United States: the office bills in the US unless told otherwise. */
export function isUnitedStates(country: string | null | undefined): boolean {
  return US_COUNTRY.has((country ?? '').trim().toLowerCase());
}

export function postalCodeProblem(value: string, country: string | null | undefined): string | null {
  if (isUnitedStates(country)) {
    return /^[0-9]{5}(-[0-9]{4})?$/.test(value) ? null : `"${value}" is not a US ZIP code (e.g. 97201 or 97201-1234)`;
  }
  if (CA_COUNTRY.has((country ?? '').trim().toLowerCase())) {
    return /^[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]$/.test(value)
      ? null
      : `"${value}" is not a Canadian postal code (e.g. K1A 0B1)`;
  }
  return /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(value)
    ? null
    : `"${value}" is not a postal code: 2 to 10 letters, digits, spaces or hyphens`;
}

export function termsDaysProblem(value: number): string | null {
  return Number.isInteger(value) && value >= 0 && value <= MAX_TERMS_DAYS
    ? null
    : `must be a whole number of days from 0 to ${MAX_TERMS_DAYS}, got ${value}`;
}

export function textLengthProblem(value: string, max: number): string | null {
  return value.length > max ? `is too long (${value.length} characters; at most ${max})` : null;
}

/** C0 controls (NUL, tab, line feed, carriage return…), DEL, C1 controls, and Unicode's line and paragraph separators. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function controlCharacterName(c: string): string {
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return 'a line break';
  if (c === '\t') return 'a tab';
  return `a control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * A one-line text field (a name, an address line, the letterhead) holds no control character:
 * a line break would split the name on documents and in exports, a NUL would cut it short.
 */
export function controlCharacterProblem(value: string): string | null {
  const found = CONTROL_CHARACTER.exec(value);
  return found ? `must be one line of plain text; it holds ${controlCharacterName(found[0])}` : null;
}

/** The first problem of a one-line text field: a control character, then its length. */
export function oneLineTextProblem(value: string, max: number): string | null {
  return controlCharacterProblem(value) ?? textLengthProblem(value, max);
}

export type FieldProblems = Record<string, string>;

/** One VALIDATION error carrying every bad field, so a form can mark them all at once. */
export function fieldsError(problems: FieldProblems): AppError {
  const message = Object.entries(problems)
    .map(([field, problem]) => `${field}: ${problem}`)
    .join('; ');
  return new AppError('VALIDATION', message, { fields: problems });
}
