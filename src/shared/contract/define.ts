import type { z } from 'zod';

/**
 * A channel is declared once: its input schema (strict zod) and its output type.
 * `channel<Output>()(schema)` keeps the output as a phantom type so the contract has no runtime cost.
 */
export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I;
  readonly __output?: O;
}

export function channel<O>() {
  return <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });
}
