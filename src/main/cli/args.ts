import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command was called wrongly: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

/** parseArgs with strict options: an unknown option or a missing value is a usage error (exit 2). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
