import { Alert, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { InvoiceLink } from '../../components/InvoiceLink';
import { useEffect, useRef } from 'react';
import type { CustomerAccountDto } from '../../../../shared/contract/customers';
import type { PaymentSubmitDto } from '../../../../shared/contract/payments';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { PrintStatus } from './PrintStatus';

type Approved = Extract<PaymentSubmitDto, { status: 'approved' }>;
type Pending = Extract<PaymentSubmitDto, { status: 'pending' }>;

function Actions({ customerNumber, onAnother }: { customerNumber: string; onAnother(): void }) {
  return (
    <Group>
      <Button onClick={() => navigate('customers', customerNumber)} data-testid="back-to-account">
        Back to the account
      </Button>
      <Button variant="default" onClick={onAnother}>
        Take another payment
      </Button>
      <Button variant="subtle" onClick={() => navigate('customers')}>
        Find another customer
      </Button>
    </Group>
  );
}

/** What a payment paid: per invoice, the card or bank money and each credit. */
export function AppliedTable({
  applied,
  methodLabel,
  maw,
  testId,
}: {
  applied: { invoiceNumber: string; amountCents: number; source: string; creditNumber?: string | null }[];
  methodLabel: string;
  maw: number;
  testId?: string;
}) {
  const format = useFormat();
  return (
    <Table tabularNums verticalSpacing={4} maw={maw} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Invoice</Table.Th>
          <Table.Th>Paid with</Table.Th>
          <Table.Th className="num">Amount</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {applied.map((a, i) => (
          <Table.Tr key={i}>
            <Table.Td fw={600}>
              <InvoiceLink invoiceNumber={a.invoiceNumber} />
            </Table.Td>
            <Table.Td>{a.source === 'credit' ? `Credit ${a.creditNumber ?? ''}` : methodLabel}</Table.Td>
            <Table.Td className="num">{format.money(a.amountCents)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ApprovedPanel({
  result,
  methodLabel,
  delivery,
  emailTo,
  accountAfter,
  creditsLeft,
  customerNumber,
  onAnother,
  received = false,
}: {
  result: Approved;
  /** A check, cash or wire recorded, not charged. */
  received?: boolean;
  creditsLeft: { creditNumber: string; remainingCents: number }[];
  methodLabel: string;
  delivery: 'none' | 'print' | 'email';
  emailTo: string;
  accountAfter: CustomerAccountDto | null;
  customerNumber: string;
  onAnother(): void;
}) {
  const format = useFormat();
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const creditOnly = result.amountCents === 0;
  const leftOver = creditsLeft.filter((c) => c.remainingCents > 0);
  return (
    <Paper withBorder p="lg" data-testid="payment-approved" style={{ borderColor: 'var(--mantine-color-teal-4)', borderWidth: 2 }}>
      <Stack gap="md">
        <Group gap="sm">
          <Badge color="teal.9" size="lg" variant="filled">
            {creditOnly ? 'Done' : 'Approved'}
          </Badge>
          <Title order={2} ref={titleRef} tabIndex={-1}>
            {creditOnly ? 'Credits applied' : 'Payment approved'}
          </Title>
        </Group>
        <div>
          <Text size="sm" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.05em' }}>
            Confirmation number
          </Text>
          <Text fz={44} fw={800} ff="monospace" lh={1.1} style={{ letterSpacing: '0.08em' }} data-testid="confirmation-number">
            {result.confirmationNumber}
          </Text>
        </div>
        <SimpleGrid cols={3}>
          <div>
            <Text size="sm" c="dimmed">
              {received ? 'Amount received' : 'Amount charged'}
            </Text>
            <Text fz={24} fw={700} className="num" ta="left" data-testid="approved-amount">
              {format.money(result.amountCents)}
            </Text>
            <Text size="sm">{result.amountCents > 0 ? methodLabel : 'Nothing charged: paid with credits'}</Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">
              New open balance
            </Text>
            <Text fz={24} fw={700} className="num" ta="left" data-testid="balance-after">
              {accountAfter ? format.money(accountAfter.balance.openCents) : '…'}
            </Text>
            {accountAfter && (
              <Text size="sm" c={accountAfter.balance.pastDueCents > 0 ? 'red.8' : 'dimmed'}>
                Past due {format.money(accountAfter.balance.pastDueCents)}
              </Text>
            )}
          </div>
          <div>
            <Text size="sm" c="dimmed">
              Receipt
            </Text>
            {delivery === 'print' ? (
              <PrintStatus paymentId={result.paymentId} />
            ) : (
              <Text size="sm" mt={6}>
                {delivery === 'email' ? `Confirmation queued for email to ${emailTo}` : 'No receipt requested'}
              </Text>
            )}
          </div>
        </SimpleGrid>
        <div>
          <Text fw={600} mb={4}>
            What was paid
          </Text>
          <AppliedTable applied={result.applied} methodLabel={methodLabel} maw={560} testId="approved-applied" />
          {leftOver.length > 0 && (
            <Text size="sm" mt="xs" c="teal.9">
              Still available: {leftOver.map((c) => `${c.creditNumber} ${format.money(c.remainingCents)}`).join(', ')}
            </Text>
          )}
        </div>
        <Actions customerNumber={customerNumber} onAnother={onAnother} />
      </Stack>
    </Paper>
  );
}

export function PendingPanel({ result, customerNumber, onAnother }: { result: Pending; customerNumber: string; onAnother(): void }) {
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  return (
    <Paper withBorder p="lg" data-testid="payment-pending" style={{ borderColor: 'var(--mantine-color-yellow-5)', borderWidth: 2 }}>
      <Stack gap="md">
        <Group gap="sm">
          <Loader size="sm" color="yellow.9" />
          <Title order={2} ref={titleRef} tabIndex={-1}>
            Payment pending
          </Title>
        </Group>
        <Alert color="yellow" variant="light">
          The payment gateway has not confirmed this charge yet (payment #{result.paymentId}). Do not take the payment again:
          AR Desk asks the gateway on its own and settles it. This screen shows the confirmation number, or why it was declined,
          as soon as the ledger has the answer.
        </Alert>
        <Actions customerNumber={customerNumber} onAnother={onAnother} />
      </Stack>
    </Paper>
  );
}
