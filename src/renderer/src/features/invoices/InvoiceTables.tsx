import { Badge, Group, Table, Text, Timeline } from '@mantine/core';
import type { InvoiceDetailDto } from '../../../../shared/contract/invoices';
import { useFormat } from '../../lib/settings';
import { Empty } from '../../components/states';

function percent(bp: number): string {
  return `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : bp % 10 === 0 ? 1 : 2)}%`;
}

export function InvoiceLinesTable({ invoice }: { invoice: InvoiceDetailDto }) {
  const format = useFormat();
  const applied = invoice.applications.reduce((s, a) => s + a.amountCents, 0);
  return (
    <Table tabularNums verticalSpacing={6} data-testid="invoice-lines">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40}>#</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th className="num">Quantity</Table.Th>
          <Table.Th className="num">Unit price</Table.Th>
          <Table.Th>Taxable</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {invoice.lines.map((l) => (
          <Table.Tr key={l.lineNo} data-testid="invoice-line">
            <Table.Td c="dimmed">{l.lineNo}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{l.description}</Table.Td>
            <Table.Td className="num">{l.quantity}</Table.Td>
            <Table.Td className="num">{format.money(l.unitPriceCents)}</Table.Td>
            <Table.Td>{l.taxable ? 'Yes' : 'No'}</Table.Td>
            <Table.Td className="num">{format.money(l.amountCents)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <TotalRow label="Subtotal" value={format.money(invoice.subtotalCents)} testId="invoice-subtotal" />
        <TotalRow label={`Tax (${percent(invoice.taxRateBp)} on taxable lines)`} value={format.money(invoice.taxCents)} testId="invoice-tax" />
        <TotalRow label="Total" value={format.money(invoice.totalCents)} testId="invoice-total" strong />
        <TotalRow
          label={invoice.applications.some((a) => a.kind === 'write_off') ? 'Paid, credited and written off' : 'Paid and credited'}
          value={format.money(applied)}
          testId="invoice-applied"
        />
        <TotalRow label={invoice.status === 'void' ? 'Balance (void)' : 'Balance'} value={format.money(invoice.openCents)} testId="invoice-balance" strong />
      </Table.Tfoot>
    </Table>
  );
}

function TotalRow({ label, value, testId, strong }: { label: string; value: string; testId: string; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={5} ta="right" fw={strong ? 700 : 500}>
        {label}
      </Table.Td>
      <Table.Td className="num" fw={strong ? 700 : 500} data-testid={testId}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
}

export function ApplicationsTable({ invoice }: { invoice: InvoiceDetailDto }) {
  const format = useFormat();
  if (invoice.applications.length === 0) {
    return <Empty title="Nothing applied">No payment or credit has been applied to this invoice.</Empty>;
  }
  return (
    <Table tabularNums verticalSpacing={6} data-testid="invoice-applications">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Applied on</Table.Th>
          <Table.Th>From</Table.Th>
          <Table.Th>Confirmation / credit</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>Note</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {invoice.applications.map((a) => (
          <Table.Tr key={a.id} data-testid="invoice-application">
            <Table.Td>{format.date(a.appliedOn)}</Table.Td>
            <Table.Td>{a.label}</Table.Td>
            <Table.Td ff="monospace" fw={600}>
              {a.source === 'payment' ? (a.confirmationNumber ?? `#${a.paymentId ?? ''}`) : (a.creditNumber ?? <Text span c="dimmed" ff="inherit">—</Text>)}
            </Table.Td>
            <Table.Td className="num" c={a.amountCents < 0 ? 'red.8' : undefined}>
              {format.money(a.amountCents)}
            </Table.Td>
            <Table.Td>{a.createdBy}</Table.Td>
            <Table.Td>
              {a.reversed && (
                <Badge size="sm" color="gray" variant="light">
                  Reversed
                </Badge>
              )}
              {a.reason && <Text size="xs">{a.reason}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function InvoiceHistory({ invoice }: { invoice: InvoiceDetailDto }) {
  const format = useFormat();
  if (invoice.history.length === 0) return <Empty title="No history recorded">This invoice came in before its history was kept.</Empty>;
  return (
    <Timeline bulletSize={12} lineWidth={2} data-testid="invoice-history">
      {invoice.history.map((h, i) => (
        <Timeline.Item key={i} title={<Text size="sm" fw={600}>{h.text}</Text>}>
          <Group gap={6}>
            <Text size="xs" c="dimmed">
              {format.timestamp(h.at)} · {h.actor}
            </Text>
            {h.approvedBy && (
              <Text size="xs" c="dimmed">
                · approved by {h.approvedBy}
              </Text>
            )}
          </Group>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
