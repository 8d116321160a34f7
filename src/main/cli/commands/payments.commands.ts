import { formatCents } from '../../../shared/money';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { recoverPendingPayments } from '../../payments/recovery';

export const paymentsCommand: CliCommand = {
  name: 'payments',
  summary: 'recover: settle payments left pending by asking the gateway what it recorded',
  usage: 'payments recover',
  async run(ctx, argv) {
    const { positionals } = parseCommandArgs(argv, {}, true);
    if (positionals.length !== 1 || positionals[0] !== 'recover') {
      throw new UsageError(positionals.length === 0 ? 'payments needs a subcommand' : `Unknown payments subcommand: ${positionals.join(' ')}`);
    }
    const { core } = await ctx.runtime();
    const report = await recoverPendingPayments(core, { actor: 'cli' });
    for (const p of report.payments) {
      const what = p.outcome === 'captured' ? `captured, confirmation ${p.confirmationNumber}` : `${p.outcome}: ${p.message ?? ''}`;
      ctx.out(`Payment ${p.paymentId} (${p.customerNumber}, ${formatCents(p.amountCents)}): ${what}`);
    }
    for (const r of report.reversals) {
      ctx.out(`${r.kind === 'void' ? 'Void' : 'Refund'} ${r.reversalId} of payment ${r.paymentId} (${formatCents(r.amountCents)}): ${r.outcome}`);
    }
    const settled = report.payments.length + report.reversals.length;
    ctx.out(
      `Settled ${settled} (${report.payments.length} payments, ${report.reversals.length} voids/refunds); ` +
        `still pending: ${report.stillPending.payments} payments, ${report.stillPending.reversals} voids/refunds.`,
    );
    return 0;
  },
};
