/**
 * The built-in test gateway: plays the processor's side in its own SQLite file beside the ledger.
 * Outcomes are decided by the documented test card numbers and bank accounts. It keeps what a
 * processor keeps (tokens, transactions, idempotency keys) and never a card or account number:
 * a token remembers the outcome its number stands for, the brand, last four digits and expiry.
 * Every answer is committed with synchronous=FULL before it is returned.
 *
 * catalog.ts    the test cards and accounts, and the decline messages
 * store.ts      the gateway's SQLite file
 * faults.ts     planned faults and the simulated network around each call
 * checks.ts     card and account checks; what a charge's source resolves to
 * operations.ts what the processor does for each call
 */
import { isoDateIn, systemClock, type Clock } from '../../clock';
import type { PaymentGateway } from '../gateway';
import { createFaultPlan, processorCalls, type PlannedFault } from './faults';
import { gatewayOperations } from './operations';
import { openGatewayStore, type TestGatewayRecord } from './store';

export { TEST_ROUTING_NUMBER } from './catalog';
export { GatewayTimeoutError, type GatewayFaultKind, type GatewayOperation, type PlannedFault } from './faults';
export type { TestGatewayRecord } from './store';

export interface TestGatewayOptions {
  /** The gateway's own database file, or ':memory:'. */
  file: string;
  clock?: Clock;
  /** Charges settle (stop being voidable) when their day ends in this zone. */
  settlementTimeZone?: string;
  /** Simulated network time for each call. */
  latencyMs?: number;
  faults?: PlannedFault[];
}

export interface TestGateway extends PaymentGateway {
  readonly file: string;
  planFault(fault: PlannedFault): void;
  clearFaults(): void;
  /** Closes the batch: every approved charge so far is settled and can only be refunded. */
  settleBatch(): void;
  /** Everything the processor recorded, oldest first (tests and reconciliation). */
  records(): TestGatewayRecord[];
  close(): void;
}

export function openTestGateway(options: TestGatewayOptions): TestGateway {
  const clock = options.clock ?? systemClock;
  const zone = options.settlementTimeZone ?? 'America/New_York';
  const faults = createFaultPlan(options.faults);
  const store = openGatewayStore(options.file);
  const call = processorCalls(faults, options.latencyMs ?? 0, store.inTransaction);
  const work = gatewayOperations(store, {
    today: () => isoDateIn(clock.now(), zone),
    nowIso: () => clock.now().toISOString(),
  });

  return {
    name: 'test',
    testMode: true,
    file: options.file,

    planFault: (fault) => faults.plan(fault),
    clearFaults: () => faults.clear(),
    settleBatch: () => store.settleApprovedCharges(),
    records: () => store.records(),

    tokenizeCard: (card, billing) => call('tokenize', () => work.tokenizeCard(card, billing)),
    tokenizeBank: (bank, billing) => call('tokenize', () => work.tokenizeBank(bank, billing)),
    charge: (request) => call('charge', () => work.charge(request)),
    lookup: (idempotencyKey) => call('lookup', () => work.lookup(idempotencyKey)),
    void: (transactionId, idempotencyKey) => call('void', () => work.void(transactionId, idempotencyKey)),
    refund: (transactionId, amountCents, idempotencyKey) => call('refund', () => work.refund(transactionId, amountCents, idempotencyKey)),

    close: () => store.close(),
  };
}
