/**
 * The built-in test gateway: plays the processor's side, in its own SQLite file beside a
 * workstation's ledger or, for an office ledger on PostgreSQL, in its own schema of the same server
 * (one gateway for the office, so any workstation's recovery can ask it what it charged).
 * Outcomes are decided by the documented test card numbers and bank accounts. It keeps what a
 * processor keeps (tokens, transactions, idempotency keys) and never a card or account number:
 * a token remembers the outcome its number stands for, the brand, last four digits and expiry.
 * Every answer is committed before it is returned.
 *
 * catalog.ts         the test cards and accounts, and the decline messages
 * store.ts           what the gateway keeps, behind one asynchronous interface
 * sqlite-store.ts    ... in its own SQLite file
 * postgres-store.ts  ... in its own schema on the office's PostgreSQL server
 * faults.ts          planned faults and the simulated network around each call
 * checks.ts          card and account checks; what a charge's source resolves to
 * operations.ts      what the processor does for each call
 */
import { isoDateIn, systemClock, type Clock } from '../../clock';
import type { PaymentGateway, SettledTransaction, SettlementReport } from '../gateway';
import { createFaultPlan, processorCalls, type PlannedFault } from './faults';
import { gatewayOperations } from './operations';
import { openPostgresGatewayStore } from './postgres-store';
import { openSqliteGatewayStore } from './sqlite-store';
import type { GatewayStore, GatewayTx, TestGatewayRecord } from './store';

export { TEST_ROUTING_NUMBER } from './catalog';
export { GatewayTimeoutError, type GatewayFaultKind, type GatewayOperation, type PlannedFault } from './faults';
export { TEST_GATEWAY_SCHEMA } from './postgres-store';
export type { TestGatewayRecord } from './store';

interface TestGatewayBehaviour {
  clock?: Clock;
  /** Charges settle (stop being voidable) when their day ends in this zone. */
  settlementTimeZone?: string;
  /** Simulated network time for each call. */
  latencyMs?: number;
  faults?: PlannedFault[];
}

/** Where the gateway keeps its state. */
export type TestGatewayPlace =
  /** Its own SQLite file, or ':memory:'. */
  | { file: string }
  /** Its own schema (by default ar_desk_test_gateway) on the office's PostgreSQL server. */
  | { databaseUrl: string; schema?: string; poolMax?: number };

export type TestGatewayOptions = TestGatewayBehaviour & TestGatewayPlace;

export interface TestGateway extends PaymentGateway {
  /** The file, or the server (without its password) and schema. */
  readonly where: string;
  planFault(fault: PlannedFault): void;
  clearFaults(): void;
  /** Closes the batch: every approved charge so far is settled and can only be refunded. */
  settleBatch(): Promise<void>;
  /** Everything the processor recorded, oldest first (tests and reconciliation). */
  records(): Promise<TestGatewayRecord[]>;
  /** The approved charges, voids and refunds recorded on a business date, from its own records. */
  settlementReport(businessDate: string): Promise<SettlementReport>;
  close(): Promise<void>;
}

/** The approved charges, voids and refunds the gateway recorded on a business date (its settlement zone's date). */
function settledOn(records: TestGatewayRecord[], businessDate: string): SettledTransaction[] {
  return records
    .filter((r) => r.outcome === 'approved' && r.businessDate === businessDate && r.transactionId !== null)
    .map((r) => ({
      kind: r.kind,
      transactionId: r.transactionId!,
      parentTransactionId: r.parentTransactionId,
      sourceKind: r.sourceKind,
      brand: r.brand,
      last4: r.last4,
      amountCents: r.amountCents,
    }));
}

function openStore(place: TestGatewayPlace): GatewayStore {
  if ('databaseUrl' in place && place.databaseUrl) {
    return openPostgresGatewayStore({
      databaseUrl: place.databaseUrl,
      ...(place.schema ? { schema: place.schema } : {}),
      ...(place.poolMax ? { poolMax: place.poolMax } : {}),
    });
  }
  return openSqliteGatewayStore((place as { file: string }).file);
}

/** Opens at once; on PostgreSQL the server is first reached by the first call. */
export function openTestGateway(options: TestGatewayOptions): TestGateway {
  const clock = options.clock ?? systemClock;
  const zone = options.settlementTimeZone ?? 'America/New_York';
  const faults = createFaultPlan(options.faults);
  const store = openStore(options);
  const call = processorCalls<GatewayTx>(faults, options.latencyMs ?? 0, (work) => store.inTransaction(work));
  const work = gatewayOperations({
    today: () => isoDateIn(clock.now(), zone),
    nowIso: () => clock.now().toISOString(),
  });

  return {
    name: 'test',
    testMode: true,
    where: store.where,

    planFault: (fault) => faults.plan(fault),
    clearFaults: () => faults.clear(),
    settleBatch: () => store.settleApprovedCharges(),
    records: () => store.records(),
    settlementReport: async (businessDate) => ({ businessDate, transactions: settledOn(await store.records(), businessDate) }),

    tokenizeCard: (card, billing) => call('tokenize', (tx) => work.tokenizeCard(tx, card, billing)),
    tokenizeBank: (bank, billing) => call('tokenize', (tx) => work.tokenizeBank(tx, bank, billing)),
    charge: (request) => call('charge', (tx) => work.charge(tx, request)),
    lookup: (idempotencyKey) => call('lookup', (tx) => work.lookup(tx, idempotencyKey)),
    void: (transactionId, idempotencyKey) => call('void', (tx) => work.void(tx, transactionId, idempotencyKey)),
    refund: (transactionId, amountCents, idempotencyKey) =>
      call('refund', (tx) => work.refund(tx, transactionId, amountCents, idempotencyKey)),

    close: () => store.close(),
  };
}
