import type { Kysely } from 'kysely';
import type { CoreDeps } from '../deps';
import type { DB } from '../db/schema';
import type { PaymentLocks } from './locks';
import type { ConfirmationQueue } from './ports';

/** What every part of the payments service works with; payments.service.ts builds one per service. */
export interface PaymentsContext {
  deps: CoreDeps;
  db: Kysely<DB>;
  locks: PaymentLocks;
  confirmations: ConfirmationQueue;
}
