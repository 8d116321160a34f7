import { Badge, Button, Table, Text } from '@mantine/core';
import type { CorrectionRowDto } from '../../../../shared/contract/corrections';
import type { AccountOnAccountDto } from '../../../../shared/contract/customers';
import { useFormat } from '../../lib/settings';
import { Empty } from '../../components/states';
import { InvoiceLink } from '../../components/InvoiceLink';

/** Payments' money held on account, each usable like a credit. */
export function OnAccountTable({ rows, onApply }: { rows: AccountOnAccountDto[]; onApply(row: AccountOnAccountDto): void }) {
  const format = useFormat();
  if (rows.length === 0) return null;
  return (
    <Table striped tabularNums verticalSpacing={6} data-testid="on-account">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Money on account from</Table.Th>
          <Table.Th>Received</Table.Th>
          <Table.Th>Method</Table.Th>
          <Table.Th className="num">Payment</Table.Th>
          <Table.Th className="num">On account</Table.Th>
          <Table.Th>Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.paymentId} data-testid="on-account-row">
            <Table.Td ff="monospace" fw={600}>{r.confirmationNumber ?? `#${r.paymentId}`}</Table.Td>
            <Table.Td>{format.date(r.receivedOn)}</Table.Td>
            <Table.Td>{r.methodLabel}</Table.Td>
            <Table.Td className="num">{format.money(r.amountCents)}</Table.Td>
            <Table.Td className="num" fw={600}>{format.money(r.onAccountCents)}</Table.Td>
            <Table.Td>
              <Button size="compact-xs" variant="default" onClick={() => onApply(r)} aria-label={`Apply to an invoice: money on account from ${r.confirmationNumber ?? r.paymentId}`}>
                Apply to an invoice
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const KIND: Record<CorrectionRowDto['kind'], { label: string; color: string }> = {
  reversal: { label: 'Reversal', color: 'orange' },
  application: { label: 'Applied', color: 'teal' },
  write_off: { label: 'Write-off', color: 'grape' },
};

/** Money moved by hand on the account, newest first: reversals, re-applications, write-offs, with who and why. */
export function CorrectionsHistoryTable({ rows }: { rows: CorrectionRowDto[] }) {
  const format = useFormat();
  if (rows.length === 0) {
    return <Empty title="No corrections">Re-applied payments and credits, money applied from on account and write-offs are listed here.</Empty>;
  }
  return (
    <Table striped tabularNums verticalSpacing={6} data-testid="corrections-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Invoice</Table.Th>
          <Table.Th>From</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
          <Table.Th>Why</Table.Th>
          <Table.Th>By</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.id} data-testid="correction-row">
            <Table.Td>{format.date(r.appliedOn)}</Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={KIND[r.kind].color}>{KIND[r.kind].label}</Badge>
            </Table.Td>
            <Table.Td>
              <InvoiceLink invoiceNumber={r.invoiceNumber} />
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.sourceLabel}</Table.Td>
            <Table.Td className="num">{format.money(r.amountCents)}</Table.Td>
            <Table.Td maw={320}>
              <Text size="sm">{r.reason}</Text>
            </Table.Td>
            <Table.Td>{r.createdBy}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
