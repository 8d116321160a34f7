import { Alert, Anchor, Button, Group, Kbd, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { PaymentDetailDto, PaymentStatusDto } from '../../../../shared/contract/payments';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { useChannel } from '../../lib/queries';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { PaymentAmountCell, PaymentStatusBadge } from '../../components/PaymentColumns';
import { AppliedTable } from './PaymentOutcome';

const RECENT_FILTERS: { value: PaymentStatusDto | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'captured', label: 'Approved' },
  { value: 'declined', label: 'Declined' },
  { value: 'voided', label: 'Voided' },
  { value: 'pending', label: 'Pending' },
];

/** The newest payments taken here, any customer; a row opens that customer's account. */
function RecentPayments() {
  const format = useFormat();
  const [status, setStatus] = useState<PaymentStatusDto | 'all'>('all');
  const recent = useChannel('payments.recent', status === 'all' ? { limit: 10 } : { limit: 10, status });
  // Switching the filter keeps the last list in view until the new one arrives.
  const shown = recent.data ?? recent.previous;
  const open = (customerNumber: string) => navigate('customers', customerNumber);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="recent-payments-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5" id="recent-payments-title">
          Recent payments
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Show payments"
          value={status}
          onChange={(v) => setStatus(v as PaymentStatusDto | 'all')}
          data={RECENT_FILTERS}
        />
      </Group>
      {recent.error ? (
        <ErrorNotice title="The recent payments could not be loaded" error={recent.error} onRetry={recent.reload} />
      ) : !shown ? (
        <Loading what="recent payments" />
      ) : shown.payments.length === 0 ? (
        <Empty title={status === 'all' ? 'No payments taken yet' : 'None in this state'}>
          Payments taken from customers’ accounts appear here, newest first.
        </Empty>
      ) : (
        <Table highlightOnHover tabularNums verticalSpacing={6} data-testid="recent-payments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Confirmation</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th className="num">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.payments.map((p) => (
              <Table.Tr key={p.paymentId} data-testid="recent-payment-row" onClick={() => open(p.customerNumber)} style={{ cursor: 'pointer' }}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.timestamp(p.createdAt)}</Table.Td>
                <Table.Td>
                  {/* The link is what a keyboard reaches; the whole row answers a click. */}
                  <Anchor
                    href={`#/customers/${encodeURIComponent(p.customerNumber)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      e.stopPropagation();
                      open(p.customerNumber);
                    }}
                    fw={600}
                    ff="monospace"
                    size="sm"
                  >
                    {p.customerNumber}
                  </Anchor>{' '}
                  <Text span size="sm">
                    {p.customerName}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {p.confirmationNumber ?? <Text span c="dimmed" ff="inherit">—</Text>}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.methodLabel}</Table.Td>
                <PaymentAmountCell amountCents={p.amountCents} refundedCents={p.refundedCents} />
                <Table.Td>
                  <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function Detail({ p }: { p: PaymentDetailDto }) {
  const format = useFormat();
  const ref = useRef<HTMLDivElement>(null);
  // The recent payments above can push the answer below the fold; bring it into view.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' });
  }, [p.paymentId]);
  return (
    // The margin keeps it clear of the fixed header once scrolled to.
    <Paper withBorder p="md" data-testid="payment-detail" ref={ref} style={{ scrollMarginTop: 68 }}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Text fz={28} fw={800} ff="monospace">
              {p.confirmationNumber ?? `Payment #${p.paymentId}`}
            </Text>
            <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} />
          </Group>
          <Button
            variant="light"
            onClick={() => navigate('customers', p.customerNumber)}
          >
            Open account {p.customerNumber}
          </Button>
        </Group>
        <SimpleGrid cols={4}>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">Amount</Text>
            <Text fw={700} fz="lg">{format.money(p.amountCents)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">Method</Text>
            <Text>{p.methodLabel}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">Taken</Text>
            <Text>{format.timestamp(p.createdAt)} by {p.clerk}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">Refunded</Text>
            <Text>{format.money(p.refundedCents)}</Text>
          </div>
        </SimpleGrid>
        {p.declineMessage && (
          <Alert color="red" variant="light">
            {p.declineMessage}
          </Alert>
        )}
        <AppliedTable applied={p.applied} methodLabel={p.methodLabel} maw={640} />
      </Stack>
    </Paper>
  );
}

/**
 * Payments are taken from a customer's account; this screen finds one payment by the
 * confirmation number a customer reads out over the phone.
 */
export function PaymentsScreen() {
  const [number, setNumber] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [blank, setBlank] = useState(false);
  const payment = useChannel('payments.get', asked === null ? null : { confirmationNumber: asked });
  // The payment found before stays in view while the next number is looked up.
  const found = payment.data ?? payment.previous;
  const error = blank
    ? 'Enter the confirmation number the customer reads out.'
    : payment.error?.code === 'NOT_FOUND'
      ? `No payment has the confirmation number ${asked}.`
      : (payment.error?.message ?? null);

  const find = () => {
    const q = number.trim().toUpperCase();
    setBlank(q === '');
    if (q === '') return;
    if (q === asked) payment.reload();
    else setAsked(q);
  };

  return (
    <Stack gap="md" maw={1000}>
      <Title order={2}>Payments</Title>
      <Text>
        Payments are taken from a customer’s account: find the customer (<Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">K</Kbd>), open the
        account and press <b>Take payment</b> (<Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">P</Kbd>). Each account lists its own
        payment history.{' '}
        <Anchor
          href="#/customers"
          onClick={(e) => {
            e.preventDefault();
            navigate('customers');
          }}
        >
          Find a customer
        </Anchor>
      </Text>
      <RecentPayments />
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            find();
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Find a payment by confirmation number"
              placeholder="e.g. 7KQ4M9TZ"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value.toUpperCase())}
              error={error}
              w={360}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              autoComplete="off"
            />
            <Button type="submit" loading={payment.loading} mb={error ? 22 : 0}>
              Find payment
            </Button>
          </Group>
        </form>
      </Paper>
      {found && <Detail p={found} />}
    </Stack>
  );
}
