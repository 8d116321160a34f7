import fs from 'node:fs';
import { isIsoDate } from '../../../shared/dates';
import { formatCents } from '../../../shared/money';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';

function asOfOption(value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) throw new UsageError('--as-of YYYY-MM-DD is required');
    return undefined;
  }
  if (!isIsoDate(value)) throw new UsageError(`--as-of must be a date as YYYY-MM-DD, not "${value}"`);
  return value;
}

function formatOption(value: string): 'json' | 'text' {
  if (value !== 'json' && value !== 'text') throw new UsageError(`--format must be json or text, not "${value}"`);
  return value;
}

export const billingCommand: CliCommand = {
  name: 'billing',
  summary: 'Run the billing run: invoice every subscription period due by a date, exactly once',
  usage: 'billing run --as-of YYYY-MM-DD [--dry-run] [--lead-days N] [--format json|text]',
  async run(ctx, argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'run') throw new UsageError(`The billing command is "billing run"${sub ? `, not "${sub}"` : ''}`);
    const { values } = parseCommandArgs(rest, {
      'as-of': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      // Left out: the office's "create invoices N days before the period" house rule.
      'lead-days': { type: 'string' },
      format: { type: 'string', default: 'json' },
    });
    const asOf = asOfOption(values['as-of'], true)!;
    const format = formatOption(values.format);
    const leadDays = values['lead-days'];
    if (leadDays !== undefined && (!/^[0-9]{1,2}$/.test(leadDays) || Number(leadDays) > 30)) throw new UsageError(`--lead-days must be 0 to 30, not "${leadDays}"`);
    const { core } = await ctx.runtime();
    const interactive = process.stderr.isTTY === true;
    let last = 0;
    const result = await core.billing.run(
      {
        asOf,
        dryRun: values['dry-run'],
        ...(leadDays !== undefined ? { leadDays: Number(leadDays) } : {}),
        onProgress: (done, total) => {
          if (interactive && Date.now() - last >= 1000) {
            last = Date.now();
            ctx.err(`billing: ${done} of ${total} invoices`);
          }
        },
      },
      'cli',
    );
    const out = { asOf: result.asOf, dryRun: result.dryRun, invoices: result.invoices, held: result.held, autopay: result.autopay, dunning: result.dunning };
    if (format === 'json') ctx.out(JSON.stringify(out, null, 2));
    else {
      const total = result.invoices.reduce((s, i) => s + i.totalCents, 0);
      ctx.out(`${result.dryRun ? 'Would make' : 'Made'} ${result.invoices.length} invoice${result.invoices.length === 1 ? '' : 's'} as of ${asOf}, ${formatCents(total)} in all.`);
      for (const h of result.held) ctx.out(`Held for review: subscription ${h.subscriptionId} of ${h.customerNumber}: ${h.reason}`);
      const a = result.autopay;
      for (const c of a.charged) ctx.out(`Autopay ${result.dryRun ? 'would charge' : 'charged'} ${c.customerNumber} ${formatCents(c.amountCents)} for ${c.invoiceNumbers.join(', ')}`);
      for (const d of a.declined) ctx.out(`Autopay declined for ${d.customerNumber} (${d.code}): ${d.nextRetryDate ? `next try ${d.nextRetryDate}` : 'no retry'}`);
      for (const k of a.skipped) ctx.out(`Autopay skipped ${k.customerNumber}: ${k.reason}`);
      if (a.waitingRetry > 0) ctx.out(`Autopay: ${a.waitingRetry} customer${a.waitingRetry === 1 ? '' : 's'} waiting for the next retry of a declined charge`);
      for (const n of result.dunning.notices) ctx.out(`Follow-up level ${n.level} (${n.action}) to ${n.customerNumber}: ${formatCents(n.pastDueCents)} past due, ${n.daysPastDue} days (${n.invoiceNumbers.join(', ')})`);
      for (const f of result.dunning.lateFees) ctx.out(`Late fee ${f.invoiceNumber ?? '(not billed)'} of ${formatCents(f.feeCents)} to ${f.customerNumber} (level ${f.level})`);
      for (const s of result.dunning.suspended) ctx.out(`${s.change === 'suspended' ? 'Suspended' : 'Lifted the suspension of'} ${s.customerNumber}${s.change === 'suspended' ? ` at level ${s.level}` : ''}`);
    }
    return 0;
  },
};

export const subscriptionsCommand: CliCommand = {
  name: 'subscriptions',
  summary: "List a customer's subscriptions; cancel one, or the whole account",
  usage:
    'subscriptions list --customer NUMBER [--format json]\n' +
    '  subscriptions cancel --customer NUMBER [--subscription ID] --mode end_of_term|immediate --as-of YYYY-MM-DD --reason TEXT',
  async run(ctx, argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const { values } = parseCommandArgs(rest, { customer: { type: 'string' }, format: { type: 'string', default: 'json' } });
      if (!values.customer) throw new UsageError('--customer NUMBER is required');
      if (values.format !== 'json') throw new UsageError(`--format must be json, not "${values.format}"`);
      const { core } = await ctx.runtime();
      ctx.out(JSON.stringify({ customerNumber: values.customer.toUpperCase(), subscriptions: await core.subscriptions.list(values.customer.toUpperCase()) }, null, 2));
      return 0;
    }
    if (sub === 'cancel') {
      const { values } = parseCommandArgs(rest, {
        customer: { type: 'string' },
        subscription: { type: 'string' },
        mode: { type: 'string' },
        'as-of': { type: 'string' },
        reason: { type: 'string' },
      });
      if (!values.customer) throw new UsageError('--customer NUMBER is required');
      if (values.mode !== 'end_of_term' && values.mode !== 'immediate') throw new UsageError('--mode must be end_of_term or immediate');
      const asOf = asOfOption(values['as-of'], true)!;
      if (!values.reason?.trim()) throw new UsageError('--reason TEXT is required');
      if (values.subscription !== undefined && !/^[0-9]{1,12}$/.test(values.subscription)) throw new UsageError(`--subscription must be a subscription id, not "${values.subscription}"`);
      const { core } = await ctx.runtime();
      const customerNumber = values.customer.toUpperCase();
      // Without --subscription the whole account is cancelled (all its subscriptions, and the account).
      const result =
        values.subscription !== undefined
          ? await core.subscriptions.cancel({ customerNumber, subscriptionId: Number(values.subscription), mode: values.mode, asOf, reason: values.reason }, 'cli')
          : await core.subscriptions.cancelAccount({ customerNumber, mode: values.mode, asOf, reason: values.reason }, 'cli');
      ctx.out(JSON.stringify(result, null, 2));
      return 0;
    }
    throw new UsageError(`The subscriptions command is "subscriptions list" or "subscriptions cancel"${sub ? `, not "${sub}"` : ''}`);
  },
};

/** `import subscriptions FILE.csv`, called by the import command. */
export async function importSubscriptionsFile(ctx: Parameters<CliCommand['run']>[0], file: string): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    ctx.err(`Cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }
  const { core } = await ctx.runtime();
  const result = await core.subscriptions.importCsv(text, 'cli');
  if (!result.ok) {
    for (const e of result.errors) ctx.err(`line ${e.line}: ${e.message}`);
    ctx.err(`Nothing was imported: ${result.errors.length} bad row${result.errors.length === 1 ? '' : 's'} in ${file}.`);
    return 1;
  }
  ctx.out(`Imported ${result.subscriptions} subscription${result.subscriptions === 1 ? '' : 's'} from ${file}.`);
  return 0;
}
