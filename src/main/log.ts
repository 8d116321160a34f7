/** Main-process log. Callers pass messages, never request inputs: card data must not reach a log. */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (m, e) => console.log(`[info] ${m}`, e ?? ''),
  warn: (m, e) => console.warn(`[warn] ${m}`, e ?? ''),
  error: (m, e) => console.error(`[error] ${m}`, e ?? ''),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, e?: Record<string, unknown>) => {
    lines.push(`${level} ${m} ${e ? JSON.stringify(e) : ''}`);
    // AR_DESK_TEST_LOG=1 shows what a test's runtime logged, as it happens.
    if (process.env.AR_DESK_TEST_LOG === '1') console.error(`[${level}] ${m}`, e ?? '');
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
