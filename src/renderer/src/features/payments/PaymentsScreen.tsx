import { Alert, Anchor, Button, Group, Kbd, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { PaymentDetailDto } from '../../../../shared/contract/payments';
import { AppError } from '../../../../shared/errors';
import { call } from '../../lib/api';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { PaymentStatusBadge } from '../customers/PaymentHistoryTable';

function Detail({ p }: { p: PaymentDetailDto }) {
  const format = useFormat();
  return (
    <Paper withBorder p="md" data-testid="payment-detail">
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
        <Table tabularNums verticalSpacing={4} maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Paid with</Table.Th>
              <Table.Th className="num">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.applied.map((a, i) => (
              <Table.Tr key={i}>
                <Table.Td fw={600}>{a.invoiceNumber}</Table.Td>
                <Table.Td>{a.source === 'credit' ? `Credit ${a.creditNumber ?? ''}` : p.methodLabel}</Table.Td>
                <Table.Td className="num">{format.money(a.amountCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
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
  const [found, setFound] = useState<PaymentDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const find = async () => {
    const q = number.trim().toUpperCase();
    if (q === '') {
      setError('Enter the confirmation number the customer reads out.');
      return;
    }
    setLoading(true);
    setError(null);
    try {
      setFound(await call('payments.get', { confirmationNumber: q }));
    } catch (e) {
      setFound(null);
      setError(e instanceof AppError && e.code === 'NOT_FOUND' ? `No payment has the confirmation number ${q}.` : e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
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
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void find();
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
            <Button type="submit" loading={loading} mb={error ? 22 : 0}>
              Find payment
            </Button>
          </Group>
        </form>
      </Paper>
      {found && <Detail p={found} />}
    </Stack>
  );
}
