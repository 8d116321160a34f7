import { Button, Group } from '@mantine/core';
import type { PaymentDetailDto, PaymentSummaryDto } from '../../../../shared/contract/payments';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { paymentName } from './paymentNotices';
import type { Reversal } from './ReversalModal';
import { useConfirmationDocument } from './useConfirmationDocument';

/** Payments whose confirmation AR Desk issued (not prior payments brought in by an import). */
const TAKEN_HERE = new Set(['card', 'bank', 'credit_only']);

/**
 * What the clerk can do with one payment of the history. Whether it may still be voided or
 * refunded is the main process's answer (payments.get), asked for each payment taken here.
 * The dialogs belong to the table, so they outlive the row when the history reloads under them.
 */
export function PaymentActions({
  payment,
  onEmail,
  onReverse,
  onReapply,
}: {
  payment: PaymentSummaryDto;
  onEmail(payment: PaymentSummaryDto): void;
  onReverse(kind: Reversal, detail: PaymentDetailDto): void;
  onReapply?(detail: PaymentDetailDto): void;
}) {
  const format = useFormat();
  const takenHere = TAKEN_HERE.has(payment.kind);
  // Money received by check, cash, wire or transfer is refunded here too, paid back by our check or in cash.
  const receivedHere = payment.received !== null;
  const reversible = (takenHere || receivedHere) && payment.status === 'captured';
  const detail = useChannel('payments.get', reversible ? { paymentId: payment.paymentId } : null);
  const { busy, reprint, savePdfFile } = useConfirmationDocument(payment);
  const name = paymentName(payment, format);

  // A confirmation is for money that moved: a declined or failed attempt, or one still pending, has none to print or send.
  if (!(takenHere || receivedHere) || (payment.status !== 'captured' && payment.status !== 'voided')) return null;

  const d = detail.data;
  return (
    <Group gap={4} wrap="wrap" data-testid="payment-actions">
      {takenHere && (
        <>
          <Button size="compact-xs" variant="default" loading={busy === 'print'} aria-label={`Reprint: ${name}`} onClick={() => void reprint()}>
            Reprint
          </Button>
          <Button size="compact-xs" variant="default" loading={busy === 'pdf'} aria-label={`Save PDF: ${name}`} onClick={() => void savePdfFile()}>
            Save PDF
          </Button>
          <Button size="compact-xs" variant="default" aria-label={`Email: ${name}`} onClick={() => onEmail(payment)}>
            Email
          </Button>
        </>
      )}
      {d?.canVoid && (
        <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Void: ${name}`} onClick={() => onReverse('void', d)}>
          Void
        </Button>
      )}
      {d && takenHere && onReapply && d.kind !== 'credit_only' && d.applied.some((a) => a.source !== 'credit') && (
        <Button size="compact-xs" variant="outline" aria-label={`Re-apply: ${name}`} onClick={() => onReapply(d)}>
          Re-apply
        </Button>
      )}
      {d && d.refundableCents > 0 && (
        <Button size="compact-xs" variant="outline" color="red.9" aria-label={`Refund: ${name}`} onClick={() => onReverse('refund', d)}>
          Refund
        </Button>
      )}
    </Group>
  );
}
