import { Text } from '@mantine/core';
import type { PaymentReversalDto, PaymentSummaryDto } from '../../../../shared/contract/payments';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';

/** Where a refund's money went: back to the card or account, or paid out by our check or in cash. */
function paidOutLabel(r: PaymentReversalDto): string {
  if (r.payout?.method === 'cash') return 'paid back in cash';
  if (r.payout?.method === 'check') return `paid back by our check ${r.payout.checkNumber ?? ''}`.trim();
  return 'returned to the payment method';
}

/**
 * The refunds of one payment in its history row: how much, how it was paid back, and why. Asked
 * only for a payment with something refunded (the same payments.get the row's actions read).
 */
export function PaymentRefundsNote({ payment }: { payment: PaymentSummaryDto }) {
  const format = useFormat();
  const detail = useChannel('payments.get', payment.refundedCents > 0 ? { paymentId: payment.paymentId } : null);
  const refunds = (detail.data?.reversals ?? []).filter((r) => r.kind === 'refund' && r.status === 'completed');
  if (refunds.length === 0) return null;
  return (
    <>
      {refunds.map((r) => (
        <Text key={r.reversalId} size="xs" c="dimmed" data-testid="payment-refund">
          Refunded {format.money(r.amountCents)}, {paidOutLabel(r)}: {r.reason}
        </Text>
      ))}
    </>
  );
}
