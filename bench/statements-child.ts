/**
 * The batch statements of bench/statements.ts in a process of its own, holding the ledger as the
 * app's main process (or the statements command) does and nothing of the benchmark's, so its peak
 * resident memory is the batch's:
 *   node --import tsx bench/statements-child.ts --db LEDGER [--database-url URL] --as-of DATE
 * (bench/run.ts runs it bundled, as bench/child-bundle.ts says.)
 * Progress lines go to stderr; the figures are the last line of stdout, as JSON.
 */
import { openChildRuntime } from './child-runtime';
import { statementsSpeed } from './statements';

const { rt, asOf } = await openChildRuntime();
try {
  const figures = await statementsSpeed(rt, asOf, { onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await rt.close();
}
