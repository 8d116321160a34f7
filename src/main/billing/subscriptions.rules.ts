/**
 * Checking a subscription before it is written, for the screen, the channel and the import alike.
 * Pure: every problem is named by its field so a form or an import line can show them all.
 */
import { isIsoDate, type IsoDate } from '../../shared/dates';
import { isAppError } from '../../shared/errors';
import { parseDollarsToCents, type Cents } from '../../shared/money';
import { oneLineTextProblem, type FieldProblems } from '../../shared/validation';
import { BILLING_PERIODS, type BillingPeriod } from './periods.rules';

export const MAX_SUBSCRIPTION_LINES = 20;
export const MAX_SUBSCRIPTION_DESCRIPTION = 200;
export const MAX_SUBSCRIPTION_QUANTITY = 1_000_000;
/** A subscription's price per period: at most $1,000,000.00 a line. */
export const MAX_SUBSCRIPTION_PRICE_CENTS = 100_000_000;

export interface SubscriptionLineInput {
  description: string;
  unitPriceCents: number;
  quantity: number;
  taxable: boolean;
}

export interface SubscriptionInput {
  customerNumber: string;
  period: string;
  startDate: string;
  endDate?: string | null;
  /** Defaults to the start date's day. */
  anchorDay?: number | null;
  lines: SubscriptionLineInput[];
}

export interface SubscriptionDraft {
  period: BillingPeriod;
  startDate: IsoDate;
  endDate: IsoDate | null;
  anchorDay: number;
  lines: SubscriptionLineInput[];
}

export type DraftResult = { ok: true; draft: SubscriptionDraft } | { ok: false; problems: FieldProblems };

export function isBillingPeriod(s: string): s is BillingPeriod {
  return (BILLING_PERIODS as readonly string[]).includes(s);
}

export function draftSubscription(input: SubscriptionInput): DraftResult {
  const problems: FieldProblems = {};
  if (!isBillingPeriod(input.period)) problems.period = `must be one of ${BILLING_PERIODS.join(', ')}`;
  if (!isIsoDate(input.startDate)) problems.startDate = 'must be a date as YYYY-MM-DD';
  const endDate = input.endDate ?? null;
  if (endDate !== null) {
    if (!isIsoDate(endDate)) problems.endDate = 'must be a date as YYYY-MM-DD, or empty';
    else if (isIsoDate(input.startDate) && endDate < input.startDate) problems.endDate = 'must be on or after the start date';
  }
  let anchorDay = input.anchorDay ?? null;
  if (anchorDay === null && isIsoDate(input.startDate)) anchorDay = Number(input.startDate.slice(8, 10));
  if (anchorDay !== null && (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31)) problems.anchorDay = 'must be a day of the month from 1 to 31';
  if (input.lines.length === 0) problems.lines = 'add at least one service line';
  if (input.lines.length > MAX_SUBSCRIPTION_LINES) problems.lines = `at most ${MAX_SUBSCRIPTION_LINES} lines`;
  input.lines.forEach((l, i) => {
    const d = l.description.trim();
    const descriptionProblem = d.length === 0 ? 'is required' : oneLineTextProblem(d, MAX_SUBSCRIPTION_DESCRIPTION);
    if (descriptionProblem) problems[`lines.${i}.description`] = descriptionProblem;
    if (!Number.isSafeInteger(l.unitPriceCents) || l.unitPriceCents < 0 || l.unitPriceCents > MAX_SUBSCRIPTION_PRICE_CENTS) {
      problems[`lines.${i}.unitPriceCents`] = 'must be an amount from $0.00 to $1,000,000.00';
    }
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_SUBSCRIPTION_QUANTITY) {
      problems[`lines.${i}.quantity`] = `must be a whole number from 1 to ${MAX_SUBSCRIPTION_QUANTITY.toLocaleString('en-US')}`;
    }
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    draft: {
      period: input.period as BillingPeriod,
      startDate: input.startDate,
      endDate,
      anchorDay: anchorDay!,
      lines: input.lines.map((l) => ({ ...l, description: l.description.trim() })),
    },
  };
}

export const SUBSCRIPTION_IMPORT_COLUMNS = {
  required: ['customer_number', 'description', 'unit_price', 'quantity', 'taxable', 'period', 'start_date'],
  optional: ['end_date', 'anchor_day'],
} as const;

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** One import row, its cells by column name, as a subscription input; or the row's problems in words. */
export function subscriptionFromCells(cells: Map<string, string>): { ok: true; input: SubscriptionInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const cell = (name: string) => cells.get(name) ?? '';
  let unitPriceCents: Cents = Number.NaN;
  try {
    unitPriceCents = parseDollarsToCents(cell('unit_price'));
  } catch (e) {
    problems.push(`unit_price "${cell('unit_price')}" is not an amount${isAppError(e) ? ` (${e.message})` : ''}`);
  }
  const quantityText = cell('quantity');
  const quantity = /^[0-9]{1,9}$/.test(quantityText) ? Number(quantityText) : Number.NaN;
  if (Number.isNaN(quantity)) problems.push(`quantity "${quantityText}" is not a whole number`);
  const taxableText = cell('taxable').toLowerCase();
  if (!TRUE.has(taxableText) && !FALSE.has(taxableText)) problems.push(`taxable "${cell('taxable')}" must be true or false`);
  const anchorText = cell('anchor_day');
  const anchorDay = anchorText === '' ? null : /^[0-9]{1,2}$/.test(anchorText) ? Number(anchorText) : Number.NaN;
  if (Number.isNaN(anchorDay)) problems.push(`anchor_day "${anchorText}" must be a day of the month from 1 to 31, or empty`);
  const input: SubscriptionInput = {
    customerNumber: cell('customer_number').toUpperCase(),
    period: cell('period').toLowerCase(),
    startDate: cell('start_date'),
    endDate: cell('end_date') === '' ? null : cell('end_date'),
    anchorDay,
    lines: [{ description: cell('description'), unitPriceCents, quantity, taxable: TRUE.has(taxableText) }],
  };
  if (problems.length > 0) return { ok: false, problems };
  const checked = draftSubscription(input);
  if (!checked.ok) {
    const column: Record<string, string> = {
      period: 'period', startDate: 'start_date', endDate: 'end_date', anchorDay: 'anchor_day',
      'lines.0.description': 'description', 'lines.0.unitPriceCents': 'unit_price', 'lines.0.quantity': 'quantity',
    };
    return { ok: false, problems: Object.entries(checked.problems).map(([f, m]) => `${column[f] ?? f} ${m}`) };
  }
  return { ok: true, input };
}
