import type { NodeRuntime } from '../runtime';

/** Where a command writes: standard output and standard error, or a test's capture. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliContext extends CliIo {
  ledgerPath: string;
  /** The office ledger on PostgreSQL (--database-url or AR_DESK_DATABASE_URL); absent, the SQLite file. */
  databaseUrl?: string | undefined;
  /** Opens the ledger (migrating it) and the core; closed by the CLI when the command ends. */
  runtime(): Promise<NodeRuntime>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CliContext, argv: string[]): Promise<number>;
}
