import type { GatewayError } from '../gateway';

export type GatewayFaultKind =
  /** No answer, nothing done: the request never reached the processor. */
  | 'timeout_before_processing'
  /** The request is processed and committed, then the answer is lost on the way back. */
  | 'answer_lost_after_processing'
  /** The processor answers 500 without processing anything. */
  | 'server_error';

export type GatewayOperation = 'charge' | 'void' | 'refund' | 'lookup' | 'tokenize';

export interface PlannedFault {
  kind: GatewayFaultKind;
  /** Which calls it hits; default 'charge'. */
  operation?: GatewayOperation;
  /** How many matching calls it hits; default 1. */
  times?: number;
}

export class GatewayTimeoutError extends Error {
  constructor() {
    super('The payment gateway did not answer in time');
    this.name = 'GatewayTimeoutError';
  }
}

/** The faults still to come, in the order they were planned. */
export interface FaultPlan {
  plan(fault: PlannedFault): void;
  clear(): void;
  /** Takes the next planned fault for this operation, if any. */
  take(operation: GatewayOperation): GatewayFaultKind | null;
}

export function createFaultPlan(initial: PlannedFault[] = []): FaultPlan {
  const faults: Required<PlannedFault>[] = initial.map((f) => ({ operation: 'charge', times: 1, ...f }));
  return {
    plan(fault) {
      faults.push({ operation: 'charge', times: 1, ...fault });
    },
    clear() {
      faults.length = 0;
    },
    take(operation) {
      const i = faults.findIndex((f) => f.operation === operation && f.times > 0);
      if (i < 0) return null;
      const f = faults[i]!;
      f.times -= 1;
      if (f.times === 0) faults.splice(i, 1);
      return f.kind;
    },
  };
}

const serverError = (): GatewayError => ({
  outcome: 'error',
  retryable: true,
  message: 'The payment gateway had an internal error; nothing was done. Try again.',
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One processor call: the simulated latency, then the planned fault around the work, if any. */
export type ProcessorCall<Tx> = <T>(operation: GatewayOperation, work: (tx: Tx) => Promise<T>) => Promise<T | GatewayError>;

/** Calls run `work` through `inTransaction`, so what a call does is committed before it answers. */
export function processorCalls<Tx>(
  faults: FaultPlan,
  latencyMs: number,
  inTransaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
): ProcessorCall<Tx> {
  return async (operation, work) => {
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.take(operation);
    if (fault === 'timeout_before_processing') throw new GatewayTimeoutError();
    if (fault === 'server_error') return serverError();
    const result = await inTransaction(work);
    if (fault === 'answer_lost_after_processing') throw new GatewayTimeoutError();
    return result;
  };
}
