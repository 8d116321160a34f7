import type { Db } from '../db/types';
import { writeTx } from '../db/dialect';
import { takeWriteLock } from '../payments/payments.repo';

/** Keeps a billing run's progress on its row (invoices written of those planned), where the Billing run screen of any workstation reads it. */
export async function noteRunProgress(db: Db, runId: number, done: number, total: number): Promise<void> {
  await writeTx(db, async (trx) => {
    await takeWriteLock(trx);
    await trx.updateTable('billing_runs').set({ progress_done: done, progress_total: total }).where('id', '=', runId).execute();
  });
}
