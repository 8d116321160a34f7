import type { ExpressionBuilder } from 'kysely';
import { dialectOf } from '../db/dialect';
import type { Db, Tx } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { withDocumentTables, type DocsDB } from './documents.tables';

/**
 * Which workstation sends which message. The outbox is shared by every workstation of an office;
 * a workstation claims a batch of due messages ('sending', claimed_by = its id) and sends only those,
 * so each message goes out from one of them. Before each message's SMTP conversation the claim is
 * confirmed and refreshed (updated_at), so a claim that has not moved for STALE_SENDING_MS belongs to a
 * workstation that stopped, and may be taken back.
 */

/** A 'sending' message whose claim has not moved for this long was cut off (its workstation stopped or crashed). */
export const STALE_SENDING_MS = 10 * 60 * 1000;

/**
 * Claims up to `limit` due queued messages for this workstation, oldest due first, in the caller's
 * transaction. On PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED first, so two
 * workstations claiming at the same moment take different messages instead of waiting for each
 * other (picked in a statement of their own: as a subquery of the UPDATE, PostgreSQL may run it
 * more than once and claim more than the limit). On SQLite one statement is the claim, and the
 * single writer runs one claim after the other. Returns the claimed ids in the order to send them.
 */
export async function claimDueMessages(trx: Tx, claim: { now: string; limit: number; workstation: string }): Promise<number[]> {
  const d = withDocumentTables(trx);
  const due = d
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', claim.now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(claim.limit);
  const claimed = d.updateTable('outbox').set({ status: 'sending', claimed_by: claim.workstation, updated_at: claim.now }).where('status', '=', 'queued');
  if (dialectOf(trx) === 'postgres') {
    const ids = (await due.forUpdate().skipLocked().execute()).map((r) => r.id);
    if (ids.length > 0) await claimed.where('id', 'in', ids).execute();
    return ids;
  }
  const rows = await claimed.where('id', 'in', due).returning(['id', 'next_attempt_at']).execute();
  return rows.sort((x, y) => (x.next_attempt_at < y.next_attempt_at ? -1 : x.next_attempt_at > y.next_attempt_at ? 1 : x.id - y.id)).map((r) => r.id);
}

/**
 * Starts the attempt of a claimed message: counts it, refreshes the claim and audits it. False when
 * the message is no longer this workstation's to send (its claim went stale and was taken back).
 */
export async function startSending(trx: Tx, id: number, workstation: string, at: string, actor: string): Promise<boolean> {
  const result = await withDocumentTables(trx)
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workstation)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await appendAudit(trx, { at, actor, action: 'email.sending', entity: 'outbox', entityId: id, summary: {}, workstation });
  return true;
}

/** Gives back claimed messages this workstation did not start (a pass cut short by an error): queued again, as they were. */
export async function releaseUnstarted(db: Db, ids: readonly number[], workstation: string): Promise<void> {
  if (ids.length === 0) return;
  await withDocumentTables(db)
    .updateTable('outbox')
    .set({ status: 'queued' })
    .where('id', 'in', [...ids])
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workstation)
    .execute();
}

/**
 * Which 'sending' messages count as cut off: at start-up (`workstation` given) this workstation's
 * own and those from before claims were recorded, and always any workstation's whose claim went
 * stale. A message another workstation is sending right now is never among them.
 */
export interface InterruptedScope {
  workstation: string | null;
  staleBefore: string;
}

function cutOff(scope: InterruptedScope) {
  return (eb: ExpressionBuilder<DocsDB, 'outbox'>) =>
    eb.and([
      eb('status', '=', 'sending'),
      eb.or([
        eb('updated_at', '<', scope.staleBefore),
        ...(scope.workstation === null ? [] : [eb('claimed_by', '=', scope.workstation), eb('claimed_by', 'is', null)]),
      ]),
    ]);
}

export async function interruptedMessageIds(db: Db, scope: InterruptedScope): Promise<number[]> {
  const rows = await withDocumentTables(db).selectFrom('outbox').select('id').where(cutOff(scope)).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * Queues an interrupted message again, only while it still is cut off: a claim refreshed meanwhile
 * by the workstation sending it is left alone. True when it was queued again.
 */
export async function requeueInterrupted(trx: Tx, id: number, scope: InterruptedScope, change: { at: string; actor: string; lastError: string; workstation: string }): Promise<boolean> {
  const row = await withDocumentTables(trx)
    .updateTable('outbox')
    .set({ status: 'queued', updated_at: change.at, next_attempt_at: change.at, last_error: change.lastError })
    .where('id', '=', id)
    .where(cutOff(scope))
    .returning('claimed_by')
    .executeTakeFirst();
  if (!row) return false;
  await appendAudit(trx, {
    at: change.at,
    actor: change.actor,
    action: 'email.requeue_uncertain',
    entity: 'outbox',
    entityId: id,
    summary: { reason: 'interrupted while sending', claimedBy: row.claimed_by },
    workstation: change.workstation,
  });
  return true;
}
