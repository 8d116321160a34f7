import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { dialectOf, writeTx } from '../db/dialect';
import type { CoreDeps } from '../deps';
import type { PaymentsContext } from './context';

/**
 * Claims on pending payments and reversals, so that of several workstations sharing one ledger only
 * one asks the gateway about a pending row and settles it. A claim is a lease: the workstation's id
 * and the moment it ends. The workstation that inserts a pending row holds it while its own charge,
 * void or refund is at the gateway; recovery claims a row before it asks. A workstation that stops
 * (a crash, a lost network) never blocks the others for longer than the lease.
 */

/** How long a claim keeps other workstations away: longer than any gateway call, short enough to outlast a crash by little. */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

export type ClaimedTable = 'payments' | 'payment_reversals';

type Claimer = Pick<CoreDeps, 'workstation' | 'clock'>;

/** The claim columns of a pending row inserted by the workstation that is about to call the gateway with it. */
export function claimAtInsert(deps: Claimer): { claimed_by: string; claimed_until: string } {
  return { claimed_by: deps.workstation, claimed_until: new Date(deps.clock.now().getTime() + CLAIM_LEASE_MS).toISOString() };
}

/**
 * Claims a pending row for this workstation: only while it is pending and nobody else's lease runs
 * (free, lapsed, or this workstation's own). True when this workstation now holds it. On PostgreSQL
 * the row is picked with FOR UPDATE SKIP LOCKED, so a row another workstation is claiming or
 * settling at this moment is passed over instead of waited for; on SQLite the one conditional
 * update is the claim (the single writer orders them).
 */
export async function claimPending(db: Kysely<DB>, table: ClaimedTable, id: number, deps: Claimer): Promise<boolean> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const claim = { claimed_by: deps.workstation, claimed_until: new Date(now.getTime() + CLAIM_LEASE_MS).toISOString() };
  // Both tables have the same claim columns; Kysely is shown one of them.
  const t = table as 'payments';
  const claimable = (eb: ExpressionBuilder<DB, 'payments'>) =>
    eb.and([
      eb('id', '=', id),
      eb('status', '=', 'pending'),
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso), eb('claimed_by', '=', deps.workstation)]),
    ]);
  if (dialectOf(db) === 'sqlite') {
    const claimed = await db.updateTable(t).set(claim).where(claimable).executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1;
  }
  return writeTx(db, async (trx) => {
    const row = await trx.selectFrom(t).select('id').where(claimable).forUpdate().skipLocked().executeTakeFirst();
    if (!row) return false;
    await trx.updateTable(t).set(claim).where('id', '=', id).execute();
    return true;
  });
}

/** Ends this workstation's claim (the row stays as it is otherwise); a claim another workstation took after ours lapsed is left alone. */
export async function releaseClaim(db: Kysely<DB>, table: ClaimedTable, id: number, workstation: string): Promise<void> {
  const t = table as 'payments';
  await db.updateTable(t).set({ claimed_until: null }).where('id', '=', id).where('claimed_by', '=', workstation).where('claimed_until', 'is not', null).execute();
}

/** Releases a claim when the work with the gateway is over; a failure to release is logged, and the lease runs out by itself. */
export async function releaseQuietly(ctx: PaymentsContext, table: ClaimedTable, id: number): Promise<void> {
  await releaseClaim(ctx.db, table, id, ctx.deps.workstation).catch((e: unknown) => {
    ctx.deps.log.warn('A claim on a pending payment could not be released; it lapses by itself', { table, id, error: (e as Error).message });
  });
}

/**
 * Runs `work` while this workstation holds the claim on a pending payment or reversal, and releases
 * it however `work` ends. Null, without running `work`, when the row is not pending any more or
 * another workstation holds it.
 */
export async function whileClaimed<T>(ctx: PaymentsContext, table: ClaimedTable, id: number, work: () => Promise<T>): Promise<T | null> {
  if (!(await claimPending(ctx.db, table, id, ctx.deps))) return null;
  try {
    return await work();
  } finally {
    await releaseQuietly(ctx, table, id);
  }
}
