import type { AccountNoteDto, AccountNotesDto, NoteAddInput } from '../../shared/contract/notes';
import { fieldsError } from '../../shared/validation';
import type { AccountNoteRow } from '../db/schema';
import { writeTx } from '../db/dialect';
import type { CoreDeps } from '../deps';
import { appendAudit } from '../staff/audit.repo';
import { requireCustomer } from './customers.repo';
import { insertNote, noteById, notesOf, paymentsReceivedSince } from './notes.repo';
import { checkNote, promiseStanding, type ReceivedPayment } from './notes.rules';
import { postingTime } from './posting';

/** The account's notes and promises to pay: a log that only grows; promises judged from the payments at read time. */
export interface NotesService {
  list(customerNumber: string): Promise<AccountNotesDto>;
  add(input: NoteAddInput, actor: string): Promise<AccountNoteDto>;
}

function toNoteDto(row: AccountNoteRow, payments: readonly ReceivedPayment[], today: string): AccountNoteDto {
  return {
    noteId: row.id,
    kind: row.kind,
    text: row.body,
    createdAt: row.created_at,
    createdBy: row.created_by,
    promise:
      row.kind === 'promise' && row.promised_on !== null && row.promised_cents !== null
        ? promiseStanding({ createdAt: row.created_at, promisedOn: row.promised_on, promisedCents: row.promised_cents }, payments, today)
        : null,
  };
}

export function createNotesService(deps: CoreDeps): NotesService {
  const db = deps.ledger.db;
  return {
    async list(customerNumber) {
      const today = postingTime(deps).businessDate;
      // One transaction, so the promises are judged on the payments as they stood with the notes.
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, customerNumber);
        const rows = await notesOf(trx, customer.id);
        const promises = rows.filter((r) => r.kind === 'promise');
        const since = promises.reduce<string | null>((min, r) => (min === null || r.created_at < min ? r.created_at : min), null);
        const payments = since === null ? [] : await paymentsReceivedSince(trx, customer.id, since);
        const notes = rows.map((r) => toNoteDto(r, payments, today));
        const openPromises = notes
          .filter((n) => n.promise?.state === 'open')
          .sort((a, b) => (a.promise!.promisedOn < b.promise!.promisedOn ? -1 : a.promise!.promisedOn > b.promise!.promisedOn ? 1 : a.noteId - b.noteId));
        return { asOf: today, notes, openPromises };
      });
    },

    async add(input, actor) {
      const time = postingTime(deps);
      const checked = checkNote(input, time.businessDate);
      if ('problems' in checked) throw fieldsError(checked.problems);
      const note = checked.note;
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        const id = await insertNote(trx, customer.id, note, { at: time.at, on: time.businessDate, by: actor });
        await appendAudit(trx, {
          actor,
          action: note.kind === 'promise' ? 'note.promise' : 'note.add',
          entity: 'account_note',
          entityId: id,
          summary: {
            customerNumber: customer.customer_number,
            kind: note.kind,
            characters: note.body.length,
            ...(note.kind === 'promise' ? { promisedOn: note.promisedOn, promisedCents: note.promisedCents } : {}),
          },
          at: time.at,
        });
        const row = (await noteById(trx, id))!;
        const payments = note.kind === 'promise' ? await paymentsReceivedSince(trx, customer.id, row.created_at) : [];
        return toNoteDto(row, payments, time.businessDate);
      });
    },
  };
}
