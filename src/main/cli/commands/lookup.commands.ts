import { LOOKUP_DEFAULT_LIMIT, LOOKUP_MAX_LIMIT } from '../../../shared/contract/lookup';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

export const lookupCommand: CliCommand = {
  name: 'lookup',
  summary: 'Find customers by number, name, phone, email or invoice number (JSON)',
  usage: 'lookup "QUERY" [--limit N]',
  async run(ctx, argv) {
    const { values, positionals } = parseCommandArgs(argv, { limit: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('Give one query; quote it when it has spaces');
    const limit = values.limit === undefined ? LOOKUP_DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > LOOKUP_MAX_LIMIT) {
      throw new UsageError(`--limit must be a whole number from 1 to ${LOOKUP_MAX_LIMIT}`);
    }
    const { core } = await ctx.runtime();
    ctx.out(JSON.stringify(await core.lookup.search({ query: positionals[0]!, limit }), null, 2));
    return 0;
  },
};
