/**
 * The batch statements of bench/statements.ts in a process of its own, holding the ledger as the
 * app's main process (or the statements command) does and nothing of the benchmark's, so its peak
 * resident memory is the batch's:
 *   node --import tsx bench/statements-child.ts --db LEDGER [--database-url URL] --as-of DATE
 * Progress lines go to stderr; the figures are the last line of stdout, as JSON.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/main/clock';
import { silentLogger } from '../src/main/log';
import { openNodeRuntime } from '../src/main/runtime';
import { memorySettingsStore } from '../src/main/settings/settings.store';
import { statementsSpeed } from './statements';

const { values: args } = parseArgs({ options: { db: { type: 'string' }, 'database-url': { type: 'string' }, 'as-of': { type: 'string' } }, strict: true });
const asOf = args['as-of']!;
const databaseUrl = args['database-url'];
const rt = await openNodeRuntime({
  ledgerPath: databaseUrl === undefined ? args.db! : path.join(os.tmpdir(), 'ar-desk-bench', 'postgres-workstation', 'ledger.db'),
  databaseUrl,
  clock: fixedClock(`${asOf}T17:00:00Z`),
  settings: memorySettingsStore({ timeZone: 'UTC' }),
  log: silentLogger,
});
try {
  const figures = await statementsSpeed(rt, asOf, { onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await rt.close();
}
