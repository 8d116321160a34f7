import { isoDateIn } from '../../clock';
import { isIsoDate } from '../../../shared/dates';
import { DEFAULT_SEED_CUSTOMERS, MAX_SEED_CUSTOMERS, seedDemoLedger } from '../../demo/seed';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

const DEFAULT_SEED = 1;

function wholeNumber(text: string | undefined, fallback: number, option: string, max: number, min: number): number {
  if (text === undefined) return fallback;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

export const seedCommand: CliCommand = {
  name: 'seed',
  summary: 'Fill an empty ledger with deterministic demo data',
  usage: 'seed [--customers N] [--seed S] [--as-of YYYY-MM-DD]',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, {
      customers: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
    });
    const customers = wholeNumber(values.customers, DEFAULT_SEED_CUSTOMERS, '--customers', MAX_SEED_CUSTOMERS, 1);
    const seed = wholeNumber(values.seed, DEFAULT_SEED, '--seed', 0xffff_ffff, 0);
    const asOfOption = values['as-of'];
    if (asOfOption !== undefined && !isIsoDate(asOfOption)) throw new UsageError(`--as-of must be a date as YYYY-MM-DD, not "${asOfOption}"`);
    const { core, ledger } = await ctx.runtime();
    const now = core.deps.clock.now();
    const asOf = asOfOption ?? isoDateIn(now, core.deps.settings.get().timeZone);
    const started = performance.now();
    const summary = await seedDemoLedger(ledger, { customers, seed, asOf, actor: 'cli', at: now.toISOString() });
    const seconds = (performance.now() - started) / 1000;
    ctx.out(JSON.stringify(summary, null, 2));
    ctx.err(`Seeded ${summary.customers} customers and ${summary.invoices} invoices into ${ledger.path} in ${seconds.toFixed(1)} s.`);
    return 0;
  },
};
