import { NOTE_MAX_LENGTH, type NoteAddInput, type PromiseDto } from '../../shared/contract/notes';
import { isIsoDate } from '../../shared/dates';
import { formatCents, isCents } from '../../shared/money';
import type { FieldProblems } from '../../shared/validation';

/** Pure rules of the account notes: what a note may say, and where a promise to pay stands. No database. */

/** A promise above this is a typing slip, not a customer's word: $10,000,000.00. */
export const PROMISE_MAX_CENTS = 1_000_000_000;

export interface CheckedNote {
  kind: NoteAddInput['kind'];
  body: string;
  promisedOn: string | null;
  promisedCents: number | null;
}

/** The note to write, or the problems by field (text, promisedOn, promisedCents). `today` is the business date. */
export function checkNote(input: NoteAddInput, today: string): { note: CheckedNote } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const body = input.text.trim();
  if (input.kind !== 'promise' && body === '') problems.text = 'is required';
  if (body.length > NOTE_MAX_LENGTH) problems.text = `must be at most ${NOTE_MAX_LENGTH} characters (it has ${body.length})`;
  if (input.kind === 'promise') {
    const on = input.promisedOn?.trim() ?? '';
    if (on === '') problems.promisedOn = 'is required for a promise to pay';
    else if (!isIsoDate(on)) problems.promisedOn = 'must be a date (YYYY-MM-DD)';
    else if (on < today) problems.promisedOn = `must be today (${today}) or later`;
    const cents = input.promisedCents;
    if (cents === undefined) problems.promisedCents = 'is required for a promise to pay';
    else if (!isCents(cents) || cents <= 0) problems.promisedCents = 'must be more than $0.00';
    else if (cents > PROMISE_MAX_CENTS) problems.promisedCents = `must be at most ${formatCents(PROMISE_MAX_CENTS)}`;
  } else {
    if (input.promisedOn !== undefined) problems.promisedOn = 'is only for a promise to pay';
    if (input.promisedCents !== undefined) problems.promisedCents = 'is only for a promise to pay';
  }
  if (Object.keys(problems).length > 0) return { problems };
  return {
    note: {
      kind: input.kind,
      body,
      promisedOn: input.kind === 'promise' ? input.promisedOn!.trim() : null,
      promisedCents: input.kind === 'promise' ? input.promisedCents! : null,
    },
  };
}

/** A payment as a promise counts it: when it was taken, its business date, and the money it kept (net of refunds). */
export interface ReceivedPayment {
  createdAt: string;
  receivedOn: string;
  netCents: number;
}

/**
 * Where a promise stands on `today`: kept once the payments taken from its creation up to its date
 * reach its amount; broken when its date has passed without that; open until then.
 */
export function promiseStanding(
  promise: { createdAt: string; promisedOn: string; promisedCents: number },
  payments: readonly ReceivedPayment[],
  today: string,
): PromiseDto {
  let paidCents = 0;
  for (const p of payments) {
    if (p.createdAt >= promise.createdAt && p.receivedOn <= promise.promisedOn) paidCents += p.netCents;
  }
  const state = paidCents >= promise.promisedCents ? 'kept' : today > promise.promisedOn ? 'broken' : 'open';
  return { promisedOn: promise.promisedOn, promisedCents: promise.promisedCents, paidCents, state };
}
