import { openLedgerAt } from '../../db/connection';
import { parseCommandArgs } from '../args';
import type { CliCommand } from '../command';

/**
 * Brings the ledger to this version's schema under the migrator's lock and nothing else (no core,
 * no gateway). On PostgreSQL only the database's owner migrates; the workstations' role is refused.
 */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Create or upgrade the ledger to this version\'s schema (PostgreSQL: as the database owner)',
  usage: 'migrate',
  async run(ctx, argv) {
    parseCommandArgs(argv, {});
    const ledger = await openLedgerAt({ file: ctx.ledgerPath, databaseUrl: ctx.databaseUrl });
    try {
      ctx.out(`Ledger ${ledger.path} is at schema ${ledger.schema.version} (${ledger.schema.migration}).`);
    } finally {
      await ledger.close();
    }
    return 0;
  },
};

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print app.info as JSON',
  usage: 'info',
  async run(ctx, argv) {
    parseCommandArgs(argv, {});
    const { core } = await ctx.runtime();
    ctx.out(JSON.stringify(core.app.info('cli'), null, 2));
    return 0;
  },
};
