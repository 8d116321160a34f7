import { SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { InvoiceLink } from '../../components/InvoiceLink';
import { useState } from 'react';
import type { PaymentDetailDto, PaymentSummaryDto } from '../../../../shared/contract/payments';
import { useFormat } from '../../lib/settings';
import { PaymentAmountCell, PaymentStatusBadge } from '../../components/PaymentColumns';
import { Empty } from '../../components/states';
import { EmailConfirmationModal } from './EmailConfirmationModal';
import { PaymentActions } from './PaymentActions';
import { PaymentRefundsNote } from './PaymentRefundsNote';
import { ReversalModal, type Reversal } from './ReversalModal';
import { ReapplyModal } from './CorrectionModals';
import type { AccountInvoiceDto } from '../../../../shared/contract/customers';

type PaymentRow = PaymentSummaryDto;
type Shown = 'payments' | 'declined';

/** A declined or failed attempt moved no money: it is listed apart from the payments. */
const isAttempt = (p: PaymentRow) => p.status === 'declined' || p.status === 'failed';

export function PaymentHistoryTable({
  payments: all,
  customerEmail,
  openInvoices = [],
}: {
  payments: PaymentRow[];
  customerEmail: string;
  /** Where a payment's money may be moved to (Re-apply). */
  openInvoices?: AccountInvoiceDto[];
}) {
  const format = useFormat();
  const [emailing, setEmailing] = useState<PaymentSummaryDto | null>(null);
  const [reversing, setReversing] = useState<{ kind: Reversal; detail: PaymentDetailDto } | null>(null);
  const [reapplying, setReapplying] = useState<PaymentDetailDto | null>(null);
  const [shown, setShown] = useState<Shown>('payments');
  if (all.length === 0) {
    return <Empty title="No payments yet">Payments taken for this customer, approved or declined, are listed here.</Empty>;
  }
  const attempts = all.filter(isAttempt);
  const payments = shown === 'declined' ? attempts : all.filter((p) => !isAttempt(p));
  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label="Show"
        value={shown}
        onChange={(v) => setShown(v as Shown)}
        data={[
          { value: 'payments', label: `Payments (${all.length - attempts.length})` },
          { value: 'declined', label: `Declined attempts (${attempts.length})` },
        ]}
        w="fit-content"
        data-testid="history-filter"
      />
      {payments.length === 0 ? (
        <Empty title={shown === 'declined' ? 'No declined attempts' : 'No payments yet'}>
          {shown === 'declined' ? 'No card or bank charge of this customer was declined.' : 'Only declined attempts so far; they are under Declined attempts.'}
        </Empty>
      ) : (
        <Table striped tabularNums verticalSpacing={6} data-testid={shown === 'declined' ? 'declined-attempts' : 'payment-history'}>
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
                            <InvoiceLink invoiceNumber={n} />
                          </span>
                        ))
                    )}
                  </Text>
                </Table.Td>
                <PaymentAmountCell amountCents={p.amountCents} refundedCents={p.refundedCents} />
                <Table.Td>
                  <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} amountCents={p.amountCents} />
                  <PaymentRefundsNote payment={p} />
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
                    onReapply={setReapplying}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {emailing && <EmailConfirmationModal payment={emailing} defaultTo={customerEmail} onClose={() => setEmailing(null)} />}
      {reapplying && <ReapplyModal detail={reapplying} invoices={openInvoices} onClose={() => setReapplying(null)} />}
      {reversing && (
        <ReversalModal kind={reversing.kind} detail={reversing.detail} onClose={() => setReversing(null)} />
      )}
    </Stack>
  );
}
