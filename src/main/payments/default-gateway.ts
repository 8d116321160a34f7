import { besideLedger } from '../paths';
import type { PaymentGateway } from './gateway';
import { openTestGateway } from './test-gateway';

export const TEST_GATEWAY_FILE = 'test-gateway.db';

export interface DefaultGatewayOptions {
  /** The SQLite ledger file (or, for an office ledger, this workstation's local file). */
  ledgerPath: string;
  /** The office ledger's PostgreSQL server: the gateway keeps its state in its own schema there. */
  databaseUrl?: string | undefined;
}

/**
 * The gateway a runtime uses unless told otherwise: the built-in test gateway, one per office on
 * PostgreSQL (its own schema of the ledger's server), else its own file beside the SQLite ledger.
 */
export function createDefaultGateway(options: DefaultGatewayOptions): PaymentGateway {
  if (options.databaseUrl) return openTestGateway({ databaseUrl: options.databaseUrl });
  const file = options.ledgerPath === ':memory:' ? ':memory:' : besideLedger(options.ledgerPath, TEST_GATEWAY_FILE);
  return openTestGateway({ file });
}
