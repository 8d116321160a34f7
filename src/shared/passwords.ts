/**
 * The password rule of PCI DSS v4.0.1 8.3.6 as the office applies it, shared so a screen can say
 * it before main refuses a password. Reuse of the last four (8.3.7) is checked in main against the
 * stored hashes.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; the cap keeps one hash from costing seconds. */
export const PASSWORD_MAX_LENGTH = 256;
/** How many of a person's passwords a new one may not repeat (the current one included). */
export const PASSWORD_HISTORY = 4;

export const PASSWORD_RULE = `at least ${PASSWORD_MIN_LENGTH} characters with both letters and digits`;

/** What is wrong with a proposed password, in words, or null when it follows the rule. */
export function passwordProblem(password: string, username?: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `The password must be ${PASSWORD_RULE}; it has ${[...password].length}.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (!/\p{L}/u.test(password)) return `The password must be ${PASSWORD_RULE}: it has no letter.`;
  if (!/\p{Nd}/u.test(password)) return `The password must be ${PASSWORD_RULE}: it has no digit.`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the username.';
  return null;
}
