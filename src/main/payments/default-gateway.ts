import { besideLedger } from '../paths';
import type { PaymentGateway } from './gateway';
import { openTestGateway } from './test-gateway';

export const TEST_GATEWAY_FILE = 'test-gateway.db';

/** The gateway a runtime uses unless told otherwise: the built-in test gateway, with its own file beside the ledger. */
export function createDefaultGateway(ledgerPath: string): PaymentGateway {
  const file = ledgerPath === ':memory:' ? ':memory:' : besideLedger(ledgerPath, TEST_GATEWAY_FILE);
  return openTestGateway({ file });
}
