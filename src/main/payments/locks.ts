import type { PaymentSubmitDto } from '../../shared/contract/payments';

/** Ids with a gateway call in progress in this process. */
export interface BusyIds {
  has(id: number): boolean;
  /** Runs `work` with the id marked busy and clears the mark however it ends. */
  holding<T>(id: number, work: () => Promise<T>): Promise<T>;
}

/**
 * The in-process locks of payments. Other processes are kept apart by the database (a unique
 * idempotency key, a pending row settled once); these keep this process from starting the same
 * gateway work twice.
 */
export interface PaymentLocks {
  /** Runs the submit of this idempotency key, or returns the one already running here: a repeat waits for the first. */
  submitOnce(key: string, attempt: () => Promise<PaymentSubmitDto>): Promise<PaymentSubmitDto>;
  /** Payments with a charge or lookup in progress here; recovery leaves them alone. */
  payments: BusyIds;
  /** Reversals with a void or refund in progress here; recovery leaves them alone. */
  reversals: BusyIds;
}

function busyIds(): BusyIds {
  const busy = new Set<number>();
  return {
    has: (id) => busy.has(id),
    async holding(id, work) {
      busy.add(id);
      try {
        return await work();
      } finally {
        busy.delete(id);
      }
    },
  };
}

export function createPaymentLocks(): PaymentLocks {
  const submits = new Map<string, Promise<PaymentSubmitDto>>();
  return {
    submitOnce(key, attempt) {
      const running = submits.get(key);
      if (running) return running;
      const started = attempt().finally(() => submits.delete(key));
      submits.set(key, started);
      return started;
    },
    payments: busyIds(),
    reversals: busyIds(),
  };
}
