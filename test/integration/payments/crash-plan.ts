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
