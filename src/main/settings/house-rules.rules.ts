/** The house rules as an administrator types them on the Settings screen, checked field by field. Pure. */

import { AppError } from '../../shared/errors';
import { formatCents, parseDollarsToCents } from '../../shared/money';
import type { AppSettings } from '../../shared/settings';
import type { OfficeSettingsChanges } from '../../shared/contract/settings';

export const WRITE_OFF_LIMIT_MAX_CENTS = 100_000_000;
export const LATE_GRACE_DAYS_MAX = 90;
export const BILLING_LEAD_DAYS_MAX = 30;

type Policy = AppSettings['policy'];

/** The write-off limit typed as money ("$25.00", "25", "1,000"), in cents; or why it cannot be one. */
export function writeOffLimitFromText(text: string): { cents: number } | { problem: string } {
  const typed = text.trim();
  if (!typed) return { problem: 'enter the largest balance a supervisor may write off (e.g. 25.00; 0: none)' };
  let cents: number;
  try {
    cents = parseDollarsToCents(typed, { field: 'writeOffLimit', allowNegative: true });
  } catch (e) {
    const said = e instanceof AppError ? (e.details as { fields?: Record<string, string> } | undefined)?.fields?.writeOffLimit : undefined;
    return { problem: said ?? `"${typed}" is not an amount in dollars and cents (e.g. 25.00)` };
  }
  if (cents < 0) return { problem: `"${typed}" is negative; enter 0 for no write-offs, or a limit up to ${formatCents(WRITE_OFF_LIMIT_MAX_CENTS)}` };
  if (cents > WRITE_OFF_LIMIT_MAX_CENTS) return { problem: `"${typed}" is over the highest limit, ${formatCents(WRITE_OFF_LIMIT_MAX_CENTS)}` };
  return { cents };
}

/** Days typed as a whole number from 0 to `max` (grace days, billing lead days); or why they are not. */
export function wholeDaysFromText(text: string, max: number): { days: number } | { problem: string } {
  const typed = text.trim();
  if (!/^-?\d{1,6}$/.test(typed)) return { problem: typed ? `"${typed}" is not a whole number of days from 0 to ${max}` : `enter the number of days, from 0 to ${max}` };
  const days = Number(typed);
  if (days < 0 || days > max) return { problem: `must be from 0 to ${max} days (you typed ${days})` };
  return { days };
}

/** The house rules after `changes`, with every problem keyed by its field's path ("policy.writeOffLimit"). */
export function applyHouseRuleChanges(before: Policy, changes: OfficeSettingsChanges['policy']): { next: Policy; problems: Record<string, string> } {
  const next = structuredClone(before);
  const problems: Record<string, string> = {};
  if (!changes) return { next, problems };
  if (changes.exactInvoicePayments !== undefined) next.exactInvoicePayments = changes.exactInvoicePayments;
  if (changes.overpayment !== undefined) next.overpayment = changes.overpayment;
  if (changes.invoiceDelivery !== undefined) next.invoiceDelivery = changes.invoiceDelivery;
  if (changes.writeOffLimit !== undefined) {
    const limit = writeOffLimitFromText(changes.writeOffLimit);
    if ('problem' in limit) problems['policy.writeOffLimit'] = limit.problem;
    else next.writeOffLimitCents = limit.cents;
  }
  if (changes.lateGraceDays !== undefined) {
    const grace = wholeDaysFromText(changes.lateGraceDays, LATE_GRACE_DAYS_MAX);
    if ('problem' in grace) problems['policy.lateGraceDays'] = grace.problem;
    else next.lateGraceDays = grace.days;
  }
  if (changes.billingLeadDays !== undefined) {
    const lead = wholeDaysFromText(changes.billingLeadDays, BILLING_LEAD_DAYS_MAX);
    if ('problem' in lead) problems['policy.billingLeadDays'] = lead.problem;
    else next.billingLeadDays = lead.days;
  }
  if (changes.autopayChargeOn !== undefined) next.autopayChargeOn = changes.autopayChargeOn;
  if (changes.autopayRetryDays !== undefined) {
    const retry = retryDaysFromText(changes.autopayRetryDays);
    if ('problem' in retry) problems['policy.autopayRetryDays'] = retry.problem;
    else next.autopayRetryDays = retry.days;
  }
  return { next, problems };
}

/** Autopay's retry days typed as "1, 9, 13, 20": whole days after the first decline, 1 to 60, ascending, at most 8. */
export function retryDaysFromText(text: string): { days: number[] } | { problem: string } {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length > 8) return { problem: 'at most 8 retries' };
  const days: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,2}$/.test(p) || Number(p) < 1 || Number(p) > 60) return { problem: `"${p}" is not a whole number of days from 1 to 60` };
    const d = Number(p);
    if (days.length > 0 && d <= days[days.length - 1]!) return { problem: 'list the days in ascending order, each once (e.g. 1, 9, 13, 20)' };
    days.push(d);
  }
  return { days };
}
