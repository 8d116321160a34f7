import { Badge, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { PaymentDetailDto, PaymentSummaryDto } from '../../../../shared/contract/payments';
import { useFormat } from '../../lib/settings';
import { Empty } from '../../components/states';
import { EmailConfirmationModal, PaymentActions, ReversalModal, type Reversal } from './PaymentActions';

type PaymentRow = PaymentSummaryDto;

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

export function PaymentStatusBadge({ status, refundedCents, kind }: { status: string; refundedCents?: number; kind?: string }) {
  const s = STATUS[status] ?? { label: status, color: 'gray' };
  const label =
    status === 'captured' && refundedCents && refundedCents > 0
      ? 'Refunded in part'
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

export function PaymentHistoryTable({ payments, customerEmail }: { payments: PaymentRow[]; customerEmail: string }) {
  const format = useFormat();
  const [emailing, setEmailing] = useState<PaymentSummaryDto | null>(null);
  const [reversing, setReversing] = useState<{ kind: Reversal; detail: PaymentDetailDto } | null>(null);
  if (payments.length === 0) {
    return <Empty title="No payments yet">Payments taken for this customer, approved or declined, are listed here.</Empty>;
  }
  return (
    <>
      <Table striped tabularNums verticalSpacing={6} data-testid="payment-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Confirmation</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>Applied to</Table.Th>
            <Table.Th className="num">Amount</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Clerk</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {payments.map((p) => (
            <Table.Tr key={p.paymentId} data-testid="payment-row">
              {/* The time may drop under the date: the method and the buttons need the width more. */}
              <Table.Td>{format.timestamp(p.createdAt)}</Table.Td>
              <Table.Td ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {p.confirmationNumber ?? <Text span c="dimmed" ff="inherit">—</Text>}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.methodLabel}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {p.applied.length === 0 ? (
                    <Text span c="dimmed">Nothing applied</Text>
                  ) : (
                    // An invoice number breaks between invoices, never at its own hyphens.
                    p.applied
                      .map((a) => a.invoiceNumber)
                      .filter((n, i, all) => all.indexOf(n) === i)
                      .map((n, i) => (
                        <span key={n}>
                          {i > 0 && ', '}
                          <span style={{ whiteSpace: 'nowrap' }}>{n}</span>
                        </span>
                      ))
                  )}
                </Text>
              </Table.Td>
              <PaymentAmountCell amountCents={p.amountCents} refundedCents={p.refundedCents} />
              <Table.Td>
                <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} />
                {p.declineMessage && (
                  <Text size="xs" c="red.8">
                    {p.declineMessage}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{p.clerk}</Table.Td>
              <Table.Td>
                <PaymentActions
                  payment={p}
                  onEmail={setEmailing}
                  onReverse={(kind, detail) => setReversing({ kind, detail })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {emailing && <EmailConfirmationModal payment={emailing} defaultTo={customerEmail} onClose={() => setEmailing(null)} />}
      {reversing && (
        <ReversalModal kind={reversing.kind} detail={reversing.detail} onClose={() => setReversing(null)} />
      )}
    </>
  );
}
