import { isAppError } from '../../shared/errors';
import { openNodeRuntime, type NodeRuntime } from '../runtime';
import { resolveDatabaseUrl, resolveLedgerPath } from '../paths';
import { UsageError } from './args';
import type { CliContext, CliIo } from './command';
import { commands } from './commands';

export type { CliIo } from './command';

export function usageText(): string {
  const lines = ['Usage: npm run cli -- [--db FILE | --database-url URL] <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.usage.padEnd(62)} ${c.summary}`);
  lines.push(
    '',
    'The ledger is AR_DESK_DB or --db, else ledger.db in the app\'s user-data folder; with --database-url or',
    'AR_DESK_DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE) it is the office ledger on that server.',
    '',
    'Office set-up (README, "Office set-up (PostgreSQL)"), as the database owner (OWNER_URL):',
    '  npm run cli -- migrate --database-url OWNER_URL',
    '  npm run cli -- server prepare --database-url OWNER_URL --app-user ardesk_app --password-stdin',
    'then each workstation uses postgres://ardesk_app:PASSWORD@HOST:PORT/DATABASE. Only the owner migrates;',
    'run server prepare again after every migrate that adds a table.',
  );
  return lines.join('\n');
}

/** Takes `--database-url URL` or `--database-url=URL` out of the arguments, wherever it is. */
function takeDatabaseUrl(args: string[]): { url?: string; missing: boolean } {
  const i = args.findIndex((a) => a === '--database-url' || a.startsWith('--database-url='));
  if (i < 0) return { missing: false };
  const a = args[i]!;
  const url = a === '--database-url' ? args[i + 1] : a.slice('--database-url='.length);
  args.splice(i, a === '--database-url' ? 2 : 1);
  return url ? { url, missing: false } : { missing: true };
}

/** Runs one CLI invocation; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args = [...argv];
  const givenUrl = takeDatabaseUrl(args);
  if (givenUrl.missing) {
    io.err('--database-url needs an address: postgres://USER:PASSWORD@HOST:PORT/DATABASE\n\n' + usageText());
    return 2;
  }
  const databaseUrl = resolveDatabaseUrl(givenUrl.url);
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
    databaseUrl,
    runtime: async () => (runtime ??= await openNodeRuntime({ ledgerPath: resolveLedgerPath(dbPath), databaseUrl })),
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
