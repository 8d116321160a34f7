/** The office's settings as changed on the Settings screen: tidied, checked field by field, and told apart for the audit log. Pure. */

import { TEMPLATE_KIND, TEMPLATE_PLACEHOLDERS, type EmailTemplateKey, type OfficeSettingsChanges } from '../../shared/contract/settings';
import { AppError } from '../../shared/errors';
import { controlCharacterProblem } from '../../shared/validation';
import type { AppSettings } from '../../shared/settings';
import { applyHouseRuleChanges } from './house-rules.rules';
import { basisPointsFromPercentText, hostProblem, isEmailAddress, isSenderAddress, unknownPlaceholders } from './settings.rules';

export type FieldProblems = Record<string, string>;

export function throwIfProblems(problems: FieldProblems): void {
  const entries = Object.entries(problems);
  if (entries.length === 0) return;
  throw new AppError('VALIDATION', entries.map(([k, v]) => `${k}: ${v}`).join('; '), { fields: problems });
}

/** Notes a control character (a line break, a tab, a NUL…) in a one-line field; the first problem of a field is kept. */
function oneLine(problems: FieldProblems, field: string, value: string, prefix = ''): void {
  const problem = controlCharacterProblem(value);
  if (problem && !problems[field]) problems[field] = `${prefix}${problem}`;
}

/**
 * The office settings after `changes`, tidied (trimmed, blank address lines dropped), or the
 * problems found, keyed by the field's path in the changes ("email.smtpPort").
 */
export function applyOfficeChanges(before: AppSettings, changes: OfficeSettingsChanges): { next: AppSettings; problems: FieldProblems } {
  const next = structuredClone(before);
  const problems: FieldProblems = {};

  const c = changes.company;
  if (c?.name !== undefined) {
    next.company.name = c.name.trim();
    if (!next.company.name) problems['company.name'] = 'enter the company name: it heads every invoice, statement and confirmation';
    else oneLine(problems, 'company.name', next.company.name);
  }
  if (c?.addressLines !== undefined) {
    next.company.addressLines = c.addressLines.map((l) => l.trim()).filter((l) => l !== '');
    if (next.company.addressLines.length === 0) problems['company.addressLines'] = 'enter at least one address line (street, then city, state and ZIP)';
    next.company.addressLines.forEach((line, i) => oneLine(problems, 'company.addressLines', line, `line ${i + 1} `));
  }
  if (c?.phone !== undefined) {
    next.company.phone = c.phone.trim();
    if (!next.company.phone) problems['company.phone'] = 'enter the phone number customers call about their bills';
    else oneLine(problems, 'company.phone', next.company.phone);
  }
  if (c?.email !== undefined) {
    next.company.email = c.email.trim();
    if (!isEmailAddress(next.company.email)) {
      problems['company.email'] = next.company.email
        ? `"${next.company.email}" is not an email address (e.g. billing@example.com)`
        : 'enter the email address customers write to about their bills';
    }
  }

  const e = changes.email;
  if (e?.smtpHost !== undefined) {
    next.email.smtpHost = e.smtpHost.trim();
    const problem = next.email.smtpHost ? hostProblem(next.email.smtpHost) : null;
    if (problem) problems['email.smtpHost'] = problem;
  }
  if (e?.smtpPort !== undefined) next.email.smtpPort = e.smtpPort;
  if (e?.secure !== undefined) next.email.secure = e.secure;
  if (e?.user !== undefined) {
    next.email.user = e.user.trim();
    if (/\s/.test(next.email.user)) problems['email.user'] = 'must not contain spaces';
    else oneLine(problems, 'email.user', next.email.user);
  }
  if (e?.from !== undefined) {
    next.email.from = e.from.trim();
    if (controlCharacterProblem(next.email.from)) oneLine(problems, 'email.from', next.email.from);
    else if (!isSenderAddress(next.email.from)) {
      problems['email.from'] = next.email.from
        ? `"${next.email.from}" is not a sender address (e.g. Northwind Billing <billing@example.com>)`
        : 'enter the address emails are sent from (e.g. Northwind Billing <billing@example.com>)';
    }
  }
  for (const [key, value] of Object.entries(e?.templates ?? {}) as [EmailTemplateKey, string | undefined][]) {
    if (value === undefined) continue;
    const field = `email.templates.${key}`;
    const isSubject = key.endsWith('Subject');
    const text = isSubject ? value.trim() : value.replace(/\r\n/g, '\n');
    next.email.templates[key] = text;
    const kind = TEMPLATE_KIND[key];
    const known = TEMPLATE_PLACEHOLDERS[kind].map((p) => p.name);
    const unknown = unknownPlaceholders(text, known);
    if (!text.trim()) problems[field] = isSubject ? 'enter a subject line' : 'enter the text of the message';
    else if (isSubject && /[\r\n]/.test(text)) problems[field] = 'must be one line';
    else if (unknown.length > 0) {
      problems[field] =
        `${unknown.map((n) => `{${n}}`).join(', ')} ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} ` +
        `a ${kind} email knows; use ${known.map((n) => `{${n}}`).join(', ')}`;
    }
  }

  if (changes.defaultTaxRatePercent !== undefined) {
    const bp = basisPointsFromPercentText(changes.defaultTaxRatePercent);
    if (bp === null) problems.defaultTaxRatePercent = `"${changes.defaultTaxRatePercent.trim()}" is not a percentage from 0 to 100 with at most two decimals (e.g. 8.25)`;
    else next.defaultTaxRateBp = bp;
  }

  const rules = applyHouseRuleChanges(before.policy, changes.policy);
  next.policy = rules.next;
  Object.assign(problems, rules.problems);
  return { next, problems };
}

/** The office fields that differ, as "company.name" → { from, to }, for the audit log. */
export function officeDifferences(before: AppSettings, after: AppSettings): Record<string, { from: unknown; to: unknown }> {
  const pairs: [string, unknown, unknown][] = [
    ...(['name', 'addressLines', 'phone', 'email'] as const).map((k): [string, unknown, unknown] => [`company.${k}`, before.company[k], after.company[k]]),
    ...(['smtpHost', 'smtpPort', 'secure', 'user', 'from'] as const).map((k): [string, unknown, unknown] => [`email.${k}`, before.email[k], after.email[k]]),
    ...(Object.keys(TEMPLATE_KIND) as EmailTemplateKey[]).map((k): [string, unknown, unknown] => [
      `email.templates.${k}`,
      before.email.templates[k],
      after.email.templates[k],
    ]),
    ['defaultTaxRateBp', before.defaultTaxRateBp, after.defaultTaxRateBp],
    ...(['exactInvoicePayments', 'overpayment', 'writeOffLimitCents', 'lateGraceDays', 'billingLeadDays', 'invoiceDelivery', 'autopayChargeOn', 'autopayRetryDays'] as const).map((k): [string, unknown, unknown] => [
      `policy.${k}`,
      before.policy[k],
      after.policy[k],
    ]),
    ['timeZone', before.timeZone, after.timeZone],
    ['timeZoneConfirmed', before.timeZoneConfirmed, after.timeZoneConfirmed],
  ];
  return Object.fromEntries(
    pairs.filter(([, from, to]) => JSON.stringify(from) !== JSON.stringify(to)).map(([k, from, to]) => [k, { from, to }]),
  );
}
