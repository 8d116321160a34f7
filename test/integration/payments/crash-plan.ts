/** What the crash test's processes share: the cards they use and a seeded generator. */

/** Every test card, with the security code typed for it. */
export const CRASH_CARDS: readonly { number: string; cvc: string }[] = [
  { number: '4242424242424242', cvc: '071' },
  { number: '4242424242424242', cvc: '308' },
  { number: '5555555555554444', cvc: '509' },
  { number: '378282246310005', cvc: '7061' },
  { number: '4000000000000010', cvc: '604' },
  { number: '4000000000000002', cvc: '807' },
  { number: '4000000000009995', cvc: '903' },
  { number: '4000000000000069', cvc: '706' },
  { number: '4000000000000127', cvc: '150' },
  { number: '4000000000000119', cvc: '480' },
];

export const CRASH_BANK_ACCOUNTS: readonly string[] = ['000123456789', '000111111113'];

/** A small seeded generator (mulberry32): the same seed gives the same choices. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where a child can be told to stop inside an open ledger transaction (CRASH_STALL), for the parent to kill it there. */
export const STALL_KINDS = ['capture', 'posting', 'recovery'] as const;
export type StallKind = (typeof STALL_KINDS)[number];

/** The gateway calls a child can be told to stop right after (CRASH_PAUSE_OP), before the ledger hears of them. */
export const PAUSE_OPS = ['charge', 'refund', 'void'] as const;
export type PauseOp = (typeof PAUSE_OPS)[number];

/** What a child prints on stdout when it sees a repeated key answered differently; the parent fails the test on it. */
export const MISMATCH_PREFIX = 'MISMATCH ';

/**
 * One side's money by idempotency key, compared with the other's as multisets: every key must
 * appear exactly once on each side with the same amount. Counting (not a Map, which keeps one
 * entry per key) is what shows a key charged or posted twice.
 */
export function reconcileByKey(what: string, gateway: readonly { key: string; amountCents: number }[], ledger: readonly { key: string; amountCents: number }[]): string[] {
  const tally = (rows: readonly { key: string; amountCents: number }[]) => {
    const out = new Map<string, number[]>();
    for (const r of rows) out.set(r.key, [...(out.get(r.key) ?? []), r.amountCents]);
    return out;
  };
  const g = tally(gateway);
  const l = tally(ledger);
  const problems: string[] = [];
  for (const key of [...new Set([...g.keys(), ...l.keys()])].sort()) {
    const ga = g.get(key) ?? [];
    const la = l.get(key) ?? [];
    if (ga.length !== 1 || la.length !== 1 || ga[0] !== la[0]) {
      problems.push(`${what} ${key}: the gateway has ${ga.length} (${ga.join(', ')} cents), the ledger ${la.length} (${la.join(', ')} cents)`);
    }
  }
  return problems;
}
