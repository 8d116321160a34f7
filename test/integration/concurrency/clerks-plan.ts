/**
 * What the ten-clerk test and its clerk processes share: the two workloads, the operations a clerk
 * picks from and how often, and the shape of the report a clerk prints when it is done.
 */

/**
 * `mixed`: the office's day, every kind of money command on several customers with many invoices.
 * `race`: two customers with a handful of invoices and credits, every payment and credit command
 * contended (CONTENDED_SHARE), so two commands on the same money meet all the time.
 */
export type Workload = 'mixed' | 'race';

export const OPERATIONS = ['pay', 'repeatKey', 'sharedKey', 'applyCredit', 'unapplyCredit', 'void', 'refund', 'import', 'recover'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How often a clerk picks each operation (weights; a pick with nothing to act on counts as such). */
export const WEIGHTS: Record<Workload, Record<Operation, number>> = {
  mixed: { pay: 32, repeatKey: 6, sharedKey: 6, applyCredit: 12, unapplyCredit: 6, void: 14, refund: 14, import: 4, recover: 6 },
  race: { pay: 24, repeatKey: 2, sharedKey: 2, applyCredit: 40, unapplyCredit: 20, void: 8, refund: 2, import: 0, recover: 2 },
};

/**
 * The share of payments and credit commands that are contended: the clerk waits for the next tick
 * of the clock (every TICK_MS) and goes for the tick's customer and its oldest invoice and credit,
 * like every other clerk who picked such a command that tick.
 */
export const CONTENDED_SHARE: Record<Workload, number> = { mixed: 0.3, race: 1 };
export const TICK_MS = 250;

/** The share of charges, voids and refunds that meet an injected gateway fault (a timeout, a lost answer, a 500). */
export const FAULT_SHARE = 0.12;

/** What a clerk prints on stdout as its last line: `RESULT {...}`. */
export const RESULT_PREFIX = 'RESULT ';

export interface ClerkReport {
  workstation: string;
  /** Operations started, by operation. */
  picked: Record<string, number>;
  /** Milliseconds spent, by operation and gateway call; cpu.startup and cpu.total are this process's CPU time. */
  ms: Record<string, number>;
  /** Outcomes by "operation.outcome": approved, declined, pending, refused (VALIDATION), conflict, ... */
  outcomes: Record<string, number>;
  /** The first message of each refusal, by outcome (what a clerk was told). */
  said: Record<string, string>;
  /** Gateway faults planned, by operation and kind. */
  faults: Record<string, number>;
  /** A repeated key answered with another payment or a changed settled status. */
  mismatches: string[];
  /** Answers that were not a refusal of the rules: INTERNAL, or an exception out of the channel layer. */
  unexpected: string[];
}

/** Sums the clerks' figures of one kind. */
export function sumCounts(reports: readonly ClerkReport[], pick: (r: ClerkReport) => Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reports) for (const [k, n] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
