import { Table, Text } from '@mantine/core';
import type { AccountCreditDto, AccountInvoiceDto } from '../../../../shared/contract/customers';
import { useFormat } from '../../lib/settings';
import { DaysPastDue } from '../../components/DaysPastDue';
import { DisputedBadge } from '../../components/DisputedBadge';
import { Empty } from '../../components/states';
import { InvoiceLink } from '../../components/InvoiceLink';

export function OpenInvoicesTable({ invoices }: { invoices: AccountInvoiceDto[] }) {
  const format = useFormat();
  if (invoices.length === 0) {
    return <Empty title="No open invoices">Every invoice of this customer is paid.</Empty>;
  }
  return (
    <Table striped highlightOnHover tabularNums verticalSpacing={6} data-testid="open-invoices">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Invoice</Table.Th>
          <Table.Th>Issued</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
          <Table.Th className="num">Open</Table.Th>
          <Table.Th>Past due</Table.Th>
          <Table.Th>
            <span className="sr-only">Flags</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {invoices.map((inv) => (
          <Table.Tr key={inv.invoiceNumber} data-testid="open-invoice-row">
            <Table.Td fw={600}>
              <InvoiceLink invoiceNumber={inv.invoiceNumber} />
            </Table.Td>
            <Table.Td>{format.date(inv.issueDate)}</Table.Td>
            <Table.Td>{format.date(inv.dueDate)}</Table.Td>
            <Table.Td className="num">{format.money(inv.totalCents)}</Table.Td>
            <Table.Td className="num" fw={600}>
              {format.money(inv.openCents)}
            </Table.Td>
            <Table.Td>
              <DaysPastDue days={inv.daysPastDue} />
            </Table.Td>
            <Table.Td maw={260}>{inv.disputed && <DisputedBadge reason={inv.disputeReason} />}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function CreditsTable({ credits }: { credits: AccountCreditDto[] }) {
  const format = useFormat();
  if (credits.length === 0) {
    return <Empty title="No open credits">This customer has no credit memo with money left to apply.</Empty>;
  }
  return (
    <Table striped tabularNums verticalSpacing={6} data-testid="credits">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Credit</Table.Th>
          <Table.Th>Issued</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
          <Table.Th className="num">Remaining</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {credits.map((c) => (
          <Table.Tr key={c.creditNumber}>
            <Table.Td fw={600}>{c.creditNumber}</Table.Td>
            <Table.Td>{format.date(c.issueDate)}</Table.Td>
            <Table.Td>{c.reason || <Text span c="dimmed">No reason given</Text>}</Table.Td>
            <Table.Td className="num">{format.money(c.amountCents)}</Table.Td>
            <Table.Td className="num" fw={600}>
              {format.money(c.remainingCents)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
