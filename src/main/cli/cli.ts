import { isAppError } from '../../shared/errors';
import { openNodeRuntime, type NodeRuntime } from '../runtime';
import { resolveLedgerPath } from '../paths';
import { UsageError } from './args';
import type { CliContext, CliIo } from './command';
import { commands } from './commands';

export type { CliIo } from './command';

export function usageText(): string {
  const lines = ['Usage: npm run cli -- [--db FILE] <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.usage.padEnd(62)} ${c.summary}`);
  lines.push('', 'The ledger is AR_DESK_DB or --db, else ledger.db in the app\'s user-data folder.');
  return lines.join('\n');
}

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args = [...argv];
  let dbPath: string | undefined;
  while (args[0]?.startsWith('--db')) {
    const a = args.shift()!;
    if (a === '--db') dbPath = args.shift();
    else dbPath = a.slice('--db='.length);
    if (!dbPath) {
      io.err('--db needs a file path\n\n' + usageText());
      return 2;
    }
  }
  const name = args[0];
  if (!name || name === '--help' || name === 'help') {
    (name ? io.out : io.err)(usageText());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command: ${name}\n\n${usageText()}`);
    return 2;
  }
  args = args.slice(1);
  // --db may also follow the command
  const dbIndex = args.findIndex((a) => a === '--db' || a.startsWith('--db='));
  if (dbIndex >= 0) {
    const a = args[dbIndex]!;
    dbPath = a === '--db' ? args[dbIndex + 1] : a.slice('--db='.length);
    args.splice(dbIndex, a === '--db' ? 2 : 1);
    if (!dbPath) {
      io.err('--db needs a file path\n\n' + usageText());
      return 2;
    }
  }
  let runtime: NodeRuntime | undefined;
  const ctx: CliContext = {
    ...io,
    ledgerPath: resolveLedgerPath(dbPath),
    runtime: async () => (runtime ??= await openNodeRuntime({ ledgerPath: resolveLedgerPath(dbPath) })),
  };
  try {
    return await command.run(ctx, args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (isAppError(e)) {
      io.err(`${e.code}: ${e.message}`);
      return 1;
    }
    io.err(`Failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await runtime?.close();
  }
}
