import { Badge, Table, Text } from '@mantine/core';
import { useFormat } from '../lib/settings';

/** The amount and status columns of a payment, alike in the account's history and the Payments screen. */

const STATUS: Record<string, { label: string; color: string }> = {
  captured: { label: 'Approved', color: 'teal' },
  pending: { label: 'Pending', color: 'yellow' },
  declined: { label: 'Declined', color: 'red' },
  failed: { label: 'Failed', color: 'red' },
  voided: { label: 'Voided', color: 'gray' },
};

/** Money that came in some other way than a card or bank charge was not "approved" by anyone. */
const CAPTURED_BY_KIND: Record<string, string> = { credit_only: 'Credits applied', import: 'Received', check: 'Received', cash: 'Received' };

/** A payment's amount, with what was refunded of it underneath. */
export function PaymentAmountCell({ amountCents, refundedCents }: { amountCents: number; refundedCents: number }) {
  const format = useFormat();
  return (
    <Table.Td className="num" fw={600}>
      {format.money(amountCents)}
      {refundedCents > 0 && (
        <Text size="xs" c="dimmed">
          refunded {format.money(refundedCents)}
        </Text>
      )}
    </Table.Td>
  );
}

/** A captured payment's state; with its amount, one refunded to the last cent reads "Refunded", not "in part". */
export function PaymentStatusBadge({ status, refundedCents, kind, amountCents }: { status: string; refundedCents?: number; kind?: string; amountCents?: number }) {
  const s = STATUS[status] ?? { label: status, color: 'gray' };
  const label =
    status === 'captured' && refundedCents && refundedCents > 0
      ? amountCents !== undefined && refundedCents >= amountCents
        ? 'Refunded'
        : 'Refunded in part'
      : status === 'captured' && kind && CAPTURED_BY_KIND[kind]
        ? CAPTURED_BY_KIND[kind]
        : s.label;
  return (
    // Never cut to "APPROV…" when a crowded table squeezes the column.
    <Badge color={s.color} variant="light" styles={{ root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible', textOverflow: 'clip' } }}>
      {label}
    </Badge>
  );
}
