import { Table, Text } from '@mantine/core';
import type { PaymentsReportAmounts, PaymentsReportTotals } from '../../../../shared/contract/reports';
import { useFormat } from '../../lib/settings';

export interface AmountsRow extends PaymentsReportAmounts {
  key: string;
  label: string;
}

/** A table of captured payments, refunds and voids (each with its count) and net, with a total row. */
export function AmountsTable({ caption, first, rows, totals, testId }: { caption: string; first: string; rows: AmountsRow[]; totals: PaymentsReportTotals; testId: string }) {
  const format = useFormat();
  const reversal = (cents: number, count: number) => (count > 0 ? `${format.money(-cents)} (${count})` : '—');
  const payments = rows.reduce((s, r) => s + r.capturedCount, 0);
  return (
    <Table striped withTableBorder data-testid={testId} captionSide="top" style={{ whiteSpace: 'nowrap' }}>
      <Table.Caption style={{ textAlign: 'left' }}>
        <Text fw={600} size="sm">
          {caption}
        </Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{first}</Table.Th>
          <Table.Th ta="right">Payments</Table.Th>
          <Table.Th ta="right">Captured</Table.Th>
          <Table.Th ta="right">Refunds</Table.Th>
          <Table.Th ta="right">Voids</Table.Th>
          <Table.Th ta="right">Net</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={6}>
              <Text size="sm" c="dimmed">
                No payments in this range.
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            <Table.Td>{r.label}</Table.Td>
            <Table.Td ta="right">{r.capturedCount}</Table.Td>
            <Table.Td ta="right">{format.money(r.capturedCents)}</Table.Td>
            <Table.Td ta="right">{reversal(r.refundedCents, r.refundCount)}</Table.Td>
            <Table.Td ta="right">{reversal(r.voidedCents, r.voidCount)}</Table.Td>
            <Table.Td ta="right" fw={600}>
              {format.money(r.netCents)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th>Total</Table.Th>
          <Table.Th ta="right">{payments}</Table.Th>
          <Table.Th ta="right">{format.money(totals.capturedCents)}</Table.Th>
          <Table.Th ta="right">{format.money(-totals.refundedCents)}</Table.Th>
          <Table.Th ta="right">{format.money(-totals.voidedCents)}</Table.Th>
          <Table.Th ta="right">{format.money(totals.netCents)}</Table.Th>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}
