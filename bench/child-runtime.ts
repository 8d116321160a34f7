/**
 * The runtime a benchmark child process measures (bench/day-child.ts, bench/statements-child.ts):
 * the ledger held as the app's main process holds it, at the benchmark's fixed clock, from
 *   --db LEDGER | --database-url URL, and --as-of DATE
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/main/clock';
import { silentLogger } from '../src/main/log';
import { openNodeRuntime, type NodeRuntime } from '../src/main/runtime';
import { memorySettingsStore } from '../src/main/settings/settings.store';

export async function openChildRuntime(): Promise<{ rt: NodeRuntime; asOf: string }> {
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
  return { rt, asOf };
}
