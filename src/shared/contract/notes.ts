import { z } from 'zod';
import { channel } from './define';

/**
 * The account's log of notes: calls, general notes and promises to pay, newest first, never edited
 * or deleted. A promise's state is derived from the payments received, never stored.
 */

export const NOTE_KINDS = ['call', 'general', 'promise'] as const;
export type NoteKindDto = (typeof NOTE_KINDS)[number];
export const NOTE_MAX_LENGTH = 2000;

export const noteAddInput = z.strictObject({
  customerNumber: z.string().max(20),
  kind: z.enum(NOTE_KINDS),
  /** Required for calls and general notes; optional words with a promise. */
  text: z.string().max(10_000),
  /** A promise's date, YYYY-MM-DD, today or later. */
  promisedOn: z.string().max(20).optional(),
  /** A promise's amount. */
  promisedCents: z.number().int().optional(),
});
export type NoteAddInput = z.infer<typeof noteAddInput>;

/** open: its date has not passed and the payments since it fall short; kept: they reached its amount by its date; broken: the date passed first. */
export type PromiseStateDto = 'open' | 'kept' | 'broken';

export interface PromiseDto {
  promisedOn: string;
  promisedCents: number;
  /** Received from the promise's creation up to its date (captured payments, net of refunds). */
  paidCents: number;
  state: PromiseStateDto;
}

export interface AccountNoteDto {
  noteId: number;
  kind: NoteKindDto;
  text: string;
  createdAt: string;
  /** The author's username. */
  createdBy: string;
  promise: PromiseDto | null;
}

export interface AccountNotesDto {
  /** The business date the promises' states were judged on. */
  asOf: string;
  /** Newest first. */
  notes: AccountNoteDto[];
  /** The promises still open, soonest date first: what the account's banner shows. */
  openPromises: AccountNoteDto[];
}

export const notesChannels = {
  'notes.list': channel<AccountNotesDto>()(z.strictObject({ customerNumber: z.string().max(20) })),
  'notes.add': channel<AccountNoteDto>()(noteAddInput),
};
