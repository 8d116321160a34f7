import type { PaymentGateway } from './gateway';

/** The gateway a runtime uses unless told otherwise: the built-in test gateway, with its own file beside the ledger. */
export function createDefaultGateway(_ledgerPath: string): PaymentGateway {
  return { name: 'test', testMode: true };
}
