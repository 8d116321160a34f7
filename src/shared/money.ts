/**
 * Money is integer cents everywhere. This module is shared with the renderer: no Node imports.
 * Conversion to and from display text happens only here, at the edge.
 */
import { validationError } from './errors';

export type Cents = number;

/**
 * Largest magnitude accepted as an amount (about $900 billion). Kept 100 times below
 * Number.MAX_SAFE_INTEGER so sums of many amounts and dollars-to-cents conversions stay exact.
 */
export const MAX_CENTS: Cents = Math.floor(Number.MAX_SAFE_INTEGER / 100);

export interface AssertCentsOptions {
  /** Negative amounts are refused unless this is true (most stored amounts are >= 0). */
  allowNegative?: boolean;
}

/** The predicate twin of assertCents, for callers that refuse rather than throw. */
export function isCents(n: unknown, opts: AssertCentsOptions = {}): n is Cents {
  return (
    typeof n === 'number' && Number.isInteger(n) && (n >= 0 || opts.allowNegative === true) && Math.abs(n) <= MAX_CENTS
  );
}

/** Throws a VALIDATION AppError naming `field` unless `n` is a whole number of cents within range. */
export function assertCents(n: unknown, field: string, opts: AssertCentsOptions = {}): asserts n is Cents {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw validationError(field, `must be a whole number of cents, got ${describe(n)}`);
  }
  if (n < 0 && !opts.allowNegative) {
    throw validationError(field, `must not be negative, got ${n}`);
  }
  if (Math.abs(n) > MAX_CENTS) {
    throw validationError(field, `is too large (${n} cents; the limit is ${MAX_CENTS})`);
  }
}

export interface ParseDollarsOptions {
  allowNegative?: boolean;
  /** Field name used in error messages and details; defaults to "amount". */
  field?: string;
}

// Optional minus, optional "$", dollars either plain ("1234") or grouped by threes ("1,234"),
// then at most two decimals. A bare fraction (".5") is accepted; a trailing dot ("12.") is not.
const DOLLARS = /^(-)?\$?(\d+|\d{1,3}(?:,\d{3})+)?(?:\.(\d+))?$/;

/**
 * Parses what a clerk types ("1,234.50", "$12", "1234.5", ".99") into integer cents without
 * ever going through a float. Refuses more than two decimals rather than rounding them away.
 */
export function parseDollarsToCents(text: string, opts: ParseDollarsOptions = {}): Cents {
  const field = opts.field ?? 'amount';
  const input = typeof text === 'string' ? text.trim() : '';
  const m = DOLLARS.exec(input);
  const [, minus, dollars, fraction] = m ?? [];
  if (!m || (dollars === undefined && fraction === undefined)) {
    throw validationError(field, `"${String(text)}" is not an amount in dollars and cents (e.g. 1,234.50)`);
  }
  if (fraction !== undefined && fraction.length > 2) {
    throw validationError(field, `"${input}" has more than 2 decimal places`);
  }
  const negative = minus !== undefined;
  if (negative && !opts.allowNegative) {
    throw validationError(field, `"${input}" is negative; a negative amount is not allowed here`);
  }
  // Leading zeros are stripped so a long "000…1" is not mistaken for a huge number.
  const wholeDigits = (dollars ?? '0').replaceAll(',', '').replace(/^0+(?=\d)/, '');
  // Beyond 15 digits Number() may round, but anything that long is far above MAX_CENTS anyway.
  if (wholeDigits.length > 15) {
    throw validationError(field, `"${input}" is too large`);
  }
  const magnitude = Number(wholeDigits) * 100 + Number((fraction ?? '').padEnd(2, '0'));
  if (magnitude > MAX_CENTS) {
    throw validationError(field, `"${input}" is too large`);
  }
  // "-0.00" is zero, not negative zero.
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/**
 * 123456 -> "1234.56": the exact decimal text of an amount, no symbol and no grouping, as CSV cells
 * and Intl take it. Built from the integer, never through a float. `decimalMark` ',' writes "1234,56"
 * for spreadsheets in comma-decimal locales.
 */
export function centsToDecimalString(cents: Cents, decimalMark: '.' | ',' = '.'): string {
  const magnitude = Math.abs(cents);
  const whole = Math.floor(magnitude / 100);
  const fraction = String(magnitude % 100).padStart(2, '0');
  return `${cents < 0 ? '-' : ''}${whole}${decimalMark}${fraction}`;
}

export interface FormatCentsOptions {
  /** Currency symbol placed after the sign; "" for none. Defaults to "$". */
  symbol?: string;
  /** Thousands separators; defaults to true. */
  grouping?: boolean;
}

/** "$1,234.50", "-$1,234.50". String arithmetic on the integer, no floats and no locale surprises. */
export function formatCents(cents: Cents, opts: FormatCentsOptions = {}): string {
  assertCents(cents, 'cents', { allowNegative: true });
  const symbol = opts.symbol ?? '$';
  const grouping = opts.grouping ?? true;
  const [dollars = '0', fraction = '00'] = centsToDecimalString(Math.abs(cents)).split('.');
  const grouped = grouping ? dollars.replace(/\B(?=(\d{3})+$)/g, ',') : dollars;
  return `${cents < 0 ? '-' : ''}${symbol}${grouped}.${fraction}`;
}

/**
 * Splits `totalCents` in proportion to integer `ratios`, Dinero.js style: every part gets the
 * floor of its exact share, then the cents left over go one at a time to the parts in order,
 * skipping zero ratios. The parts always sum to the whole and each is within one cent of its
 * exact share. A negative total is split like its magnitude, then negated.
 */
export function allocate(totalCents: Cents, ratios: readonly number[]): Cents[] {
  assertCents(totalCents, 'totalCents', { allowNegative: true });
  if (ratios.length === 0) {
    throw new RangeError('allocate needs at least one ratio');
  }
  for (const r of ratios) {
    if (!Number.isSafeInteger(r) || r < 0) {
      throw new RangeError(`allocate ratios must be non-negative integers, got ${describe(r)}`);
    }
  }
  // BigInt keeps total × ratio exact when it passes 2^53.
  const sum = ratios.reduce((acc, r) => acc + BigInt(r), 0n);
  if (sum === 0n) {
    throw new RangeError('allocate ratios must not all be zero');
  }
  const magnitude = BigInt(Math.abs(totalCents));
  const parts = ratios.map((r) => (magnitude * BigInt(r)) / sum);
  let remainder = magnitude - parts.reduce((acc, p) => acc + p, 0n);
  // remainder < number of non-zero ratios, so a single pass hands it all out.
  for (let i = 0; i < parts.length && remainder > 0n; i++) {
    if (ratios[i] !== 0) {
      parts[i] = (parts[i] ?? 0n) + 1n;
      remainder -= 1n;
    }
  }
  return parts.map((p) => (totalCents < 0 && p !== 0n ? -Number(p) : Number(p)));
}

function describe(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}
