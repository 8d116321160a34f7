import { Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { InvoiceLink } from '../../components/InvoiceLink';
import { useEffect, useRef } from 'react';
import type { AccountCreditDto, AccountInvoiceDto } from '../../../../shared/contract/customers';
import { useFormat } from '../../lib/settings';
import { DaysPastDue } from '../../components/DaysPastDue';
import { DisputedBadge } from '../../components/DisputedBadge';
import { Empty } from '../../components/states';

export type InvoiceSelection = 'all' | string[];

export function isSelected(selection: InvoiceSelection, inv: AccountInvoiceDto): boolean {
  return selection === 'all' ? !inv.disputed : selection.includes(inv.invoiceNumber);
}

export function InvoicePicker({
  invoices,
  selection,
  onChange,
  refusedInvoice,
}: {
  invoices: AccountInvoiceDto[];
  selection: InvoiceSelection;
  onChange(next: InvoiceSelection): void;
  refusedInvoice?: string;
}) {
  const format = useFormat();
  const payAllRef = useRef<HTMLButtonElement>(null);
  // Arriving from the account by keyboard, Enter pays all and Tab walks on through the invoices.
  useEffect(() => payAllRef.current?.focus(), []);
  if (invoices.length === 0) return <Empty title="No open invoices">There is nothing to pay on this account.</Empty>;

  const toggle = (inv: AccountInvoiceDto, checked: boolean) => {
    const current = selection === 'all' ? invoices.filter((i) => !i.disputed).map((i) => i.invoiceNumber) : selection;
    const next = checked ? [...current, inv.invoiceNumber] : current.filter((n) => n !== inv.invoiceNumber);
    // Keep the list's order (oldest first) whatever order the boxes were ticked in.
    onChange(invoices.map((i) => i.invoiceNumber).filter((n) => next.includes(n)));
  };
  const disputedCount = invoices.filter((i) => i.disputed).length;

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Button ref={payAllRef} size="sm" onClick={() => onChange('all')} variant={selection === 'all' ? 'filled' : 'light'} data-testid="pay-all">
            Pay All
          </Button>
          <Button size="sm" variant="default" onClick={() => onChange([])} disabled={selection !== 'all' && selection.length === 0}>
            Clear
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Oldest first.{' '}
          {selection === 'all'
            ? disputedCount > 0
              ? `Pay All takes every open invoice except the ${disputedCount} disputed.`
              : 'Pay All takes every open invoice.'
            : ''}
        </Text>
      </Group>
      <Table tabularNums verticalSpacing={4} highlightOnHover data-testid="invoice-picker">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <span className="sr-only">Pay</span>
            </Table.Th>
            <Table.Th>Invoice</Table.Th>
            <Table.Th>Issued</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>Past due</Table.Th>
            <Table.Th className="num">Open amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoices.map((inv) => {
            const checked = isSelected(selection, inv);
            const refused = refusedInvoice === inv.invoiceNumber;
            return (
              <Table.Tr
                key={inv.invoiceNumber}
                bg={refused ? 'red.1' : checked ? 'indigo.0' : undefined}
                data-testid="pick-invoice-row"
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('input, a')) return;
                  toggle(inv, !checked);
                }}
                style={{ cursor: 'pointer' }}
              >
                <Table.Td>
                  <Checkbox
                    checked={checked}
                    onChange={(e) => toggle(inv, e.currentTarget.checked)}
                    aria-label={`Pay invoice ${inv.invoiceNumber}`}
                  />
                </Table.Td>
                <Table.Td fw={600}>
                  <InvoiceLink invoiceNumber={inv.invoiceNumber} />
                  {inv.disputed && <DisputedBadge size="xs" reason={inv.disputeReason} />}
                </Table.Td>
                <Table.Td>{format.date(inv.issueDate)}</Table.Td>
                <Table.Td>{format.date(inv.dueDate)}</Table.Td>
                <Table.Td>
                  <DaysPastDue days={inv.daysPastDue} />
                </Table.Td>
                <Table.Td className="num" fw={600}>
                  {format.money(inv.openCents)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}

export function CreditPicker({
  credits,
  selected,
  onChange,
}: {
  credits: AccountCreditDto[];
  selected: string[];
  onChange(next: string[]): void;
}) {
  const format = useFormat();
  if (credits.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This customer has no open credits.
      </Text>
    );
  }
  return (
    <Table tabularNums verticalSpacing={4} data-testid="credit-picker">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={36}>
            <span className="sr-only">Apply</span>
          </Table.Th>
          <Table.Th>Credit</Table.Th>
          <Table.Th>Issued</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th className="num">Available</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {credits.map((c) => {
          const checked = selected.includes(c.creditNumber);
          return (
            <Table.Tr key={c.creditNumber} bg={checked ? 'teal.0' : undefined}>
              <Table.Td>
                <Checkbox
                  checked={checked}
                  onChange={(e) =>
                    onChange(
                      credits
                        .map((x) => x.creditNumber)
                        .filter((n) => (n === c.creditNumber ? e.currentTarget.checked : selected.includes(n))),
                    )
                  }
                  aria-label={`Apply credit ${c.creditNumber}`}
                />
              </Table.Td>
              <Table.Td fw={600}>{c.creditNumber}</Table.Td>
              <Table.Td>{format.date(c.issueDate)}</Table.Td>
              <Table.Td>
                <Text size="sm" truncate maw={260}>
                  {c.reason || '—'}
                </Text>
              </Table.Td>
              <Table.Td className="num" fw={600}>
                {format.money(c.remainingCents)}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
