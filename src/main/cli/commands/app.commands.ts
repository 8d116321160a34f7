import { parseCommandArgs } from '../args';
import type { CliCommand } from '../command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Create or upgrade the ledger to this version\'s schema',
  usage: 'migrate',
  async run(ctx, argv) {
    parseCommandArgs(argv, {});
    const { ledger } = await ctx.runtime();
    ctx.out(`Ledger ${ledger.path} is at schema ${ledger.schema.version} (${ledger.schema.migration}).`);
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
