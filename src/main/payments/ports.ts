import type { Tx } from '../db/types';

/** A payment's confirmation, to print or email. */
export interface ConfirmationRequest {
  paymentId: number;
  delivery: 'print' | 'email';
  /** The address given at submit; null for the customer's address on file. */
  emailTo: string | null;
  actor: string;
  /** The approval's posting instant. */
  now: string;
}

/**
 * Where payments hands over the confirmation the clerk asked for. Payments declares it and
 * createCore passes one backed by documents, so payments never imports documents.
 */
export interface ConfirmationQueue {
  /**
   * Queues the confirmation inside the approval's transaction, after the applications are posted
   * and the confirmation number is set. Throws when it cannot.
   */
  enqueue(trx: Tx, request: ConfirmationRequest): Promise<unknown>;
}

/** For a payments service composed without documents: asking for a confirmation there is logged and the money still posts. */
export const noConfirmationQueue: ConfirmationQueue = {
  enqueue: async () => {
    throw new Error('No confirmation queue is connected to this payments service.');
  },
};
