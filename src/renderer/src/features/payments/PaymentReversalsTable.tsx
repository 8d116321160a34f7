import { Badge, Table, Text, Title } from '@mantine/core';
import type { PaymentDetailDto, PaymentReversalDto } from '../../../../shared/contract/payments';
import { useFormat } from '../../lib/settings';
import { InvoiceLink } from '../../components/InvoiceLink';

const STATUS: Record<PaymentReversalDto['status'], { label: string; color: string }> = {
  completed: { label: 'Completed', color: 'teal' },
  pending: { label: 'Pending', color: 'yellow' },
  failed: { label: 'Refused', color: 'red' },
};

function kindLabel(r: PaymentReversalDto): string {
  if (r.returned) return 'Returned check';
  return r.kind === 'void' ? 'Void' : 'Refund';
}

/** Where a refund's money went: back to the card or account, or paid out by our check or in cash. */
function paidBackLabel(r: PaymentReversalDto, methodLabel: string): string {
  if (r.payout?.method === 'cash') return 'Paid back in cash';
  if (r.payout?.method === 'check') return `Paid back by our check ${r.payout.checkNumber ?? ''}`.trim();
  return `To ${methodLabel}`;
}

/**
 * A payment's voids and refunds, oldest first: when, how much, whether the money went back, who
 * asked and why, with the gateway's reference.
 */
export function PaymentReversalsTable({ p }: { p: PaymentDetailDto }) {
  const format = useFormat();
  if (p.reversals.length === 0) return null;
  return (
    <section aria-labelledby="payment-reversals-title">
      <Title order={3} size="h6" id="payment-reversals-title" mb={4}>
        Refunds and voids
      </Title>
      <Table tabularNums verticalSpacing={4} data-testid="payment-reversals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Invoice</Table.Th>
            <Table.Th className="num">Amount</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Reference</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {p.reversals.map((r) => (
            <Table.Tr key={r.reversalId} data-testid="payment-reversal">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.timestamp(r.createdAt)}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {kindLabel(r)}
                </Text>
                {r.kind === 'refund' && (
                  <Text size="xs" c="dimmed">
                    {paidBackLabel(r, p.methodLabel)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{r.invoiceNumber ? <InvoiceLink invoiceNumber={r.invoiceNumber} /> : <Text span c="dimmed">—</Text>}</Table.Td>
              <Table.Td className="num" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {format.money(-r.amountCents)}
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={STATUS[r.status].color}>
                  {STATUS[r.status].label}
                </Badge>
                {r.failureMessage && (
                  <Text size="xs" c="red.8">
                    {r.failureMessage}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.clerk}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{r.reason}</Table.Td>
              <Table.Td ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }}>
                {r.reference ?? <Text span c="dimmed" ff="inherit">—</Text>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
