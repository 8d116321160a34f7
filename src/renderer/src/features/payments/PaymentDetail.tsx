import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { PaymentDetailDto } from '../../../../shared/contract/payments';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { PaymentStatusBadge } from '../../components/PaymentColumns';
import { AppliedTable } from './PaymentOutcome';
import { PaymentReversalsTable } from './PaymentReversalsTable';

/** One payment found by its confirmation number: what was taken, how, by whom, and where it went. */
export function PaymentDetail({ p }: { p: PaymentDetailDto }) {
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
            <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} amountCents={p.amountCents} />
          </Group>
          <Button
            variant="light"
            onClick={() => navigate('customers', p.customerNumber)}
          >
            Open account {p.customerNumber}
          </Button>
        </Group>
        <SimpleGrid cols={5}>
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
            <Text data-testid="payment-refunded">{format.money(p.refundedCents)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">Net of refunds</Text>
            <Text fw={700} fz="lg" data-testid="payment-net">{format.money(p.netCents)}</Text>
          </div>
        </SimpleGrid>
        {p.declineMessage && (
          <Alert color="red" variant="light">
            {p.declineMessage}
          </Alert>
        )}
        <AppliedTable applied={p.applied} methodLabel={p.methodLabel} maw={640} />
        <PaymentReversalsTable p={p} />
      </Stack>
    </Paper>
  );
}
