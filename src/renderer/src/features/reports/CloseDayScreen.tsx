import { Alert, Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useState } from 'react';
import { cardLabel } from '../../../../shared/cards';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import type { DayCloseDifference, DayClosePreview } from '../../../../shared/contract/reports';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { parseDisplayDate } from '../../lib/format';
import { useChannel, useWrite } from '../../lib/queries';
import { useFormat, useSettings, useToday } from '../../lib/settings';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';
import { ErrorNotice, Loading } from '../../components/states';

const PROBLEMS: Record<DayCloseDifference['problem'], string> = {
  not_at_gateway: 'In AR Desk, not at the gateway',
  not_in_ar_desk: 'At the gateway, not in AR Desk',
  amount_differs: 'Amounts differ',
};

/**
 * Close the day: the day's card totals by brand beside the gateway's settlement report, every
 * difference, then the supervisor's confirmation (a clerk asks one to approve in place). A closed day
 * takes no more money posts; the closed days are listed with who closed them and when.
 */
export function CloseDayScreen() {
  const { settings } = useSettings();
  const format = useFormat();
  const today = useToday();
  // Today until another date is picked (main's business date, which arrives with the settings).
  const [chosen, setDate] = useState<string | undefined>(undefined);
  const date = chosen ?? today;
  const [confirming, setConfirming] = useState(false);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [dateError, setDateError] = useState<string | undefined>(undefined);
  const preview = useChannel('reports.closePreview', { businessDate: date });
  const closes = useChannel('reports.closedDays', {});
  const closeDay = useWrite('reports.closeDay', { invalidates: ['reports.closePreview', 'reports.closedDays'] });
  const data = preview.data;

  /** Closes the day (with a supervisor's approval, when given); answers with what to show, if it failed. */
  const send = async (approval?: ApprovalInput): Promise<string | null> => {
    setProblem(null);
    try {
      await closeDay.mutateAsync({ businessDate: date, ...(approval ? { approval } : {}) });
      setAsking(false);
      setConfirming(false);
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      setConfirming(false);
      const fields = fieldErrorsOf(err);
      if (fields.businessDate) setDateError(fields.businessDate);
      else setProblem(toAppError(err).message);
      return null;
    }
  };

  return (
    <Stack gap="md">
      <Group align="flex-end">
        <DateInput
          label="Business date"
          value={date}
          onChange={(v) => {
            if (!v) return;
            setDate(v);
            setDateError(undefined);
            setProblem(null);
          }}
          valueFormat={settings.dateFormat}
          dateParser={(text) => parseDisplayDate(text, settings.dateFormat)}
          maxDate={today}
          w={170}
          error={dateError}
          popoverProps={{ withinPortal: true }}
          data-testid="close-date"
        />
        <Button onClick={() => setConfirming(true)} disabled={!data || data.blockers.length > 0 || closeDay.isPending} data-testid="close-day">
          Close {data ? format.date(data.businessDate) : 'the day'}
        </Button>
      </Group>
      {problem && (
        <Alert color="red" variant="light" role="alert" data-testid="close-problem">
          {problem}
        </Alert>
      )}
      {preview.error && <ErrorNotice title="The day could not be compared with the payment gateway" error={preview.error} onRetry={preview.reload} />}
      {!data && !preview.error && <Loading what="the day’s totals and the gateway’s settlement report" />}
      {data && <Comparison data={data} />}

      <Table striped withTableBorder captionSide="top" data-testid="closed-days">
        <Table.Caption style={{ textAlign: 'left' }}>
          <Text fw={600} size="sm">
            Closed days
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Business date</Table.Th>
            <Table.Th>Closed by</Table.Th>
            <Table.Th>Approved by</Table.Th>
            <Table.Th>Closed at</Table.Th>
            <Table.Th ta="right">Net</Table.Th>
            <Table.Th ta="right">Differences</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(closes.data?.closes ?? []).map((c) => (
            <Table.Tr key={c.businessDate}>
              <Table.Td>{format.date(c.businessDate)}</Table.Td>
              <Table.Td>{c.closedBy}</Table.Td>
              <Table.Td>{c.approvedBy ?? '—'}</Table.Td>
              <Table.Td>{format.timestamp(c.closedAt)}</Table.Td>
              <Table.Td ta="right">{format.money(c.netCents)}</Table.Td>
              <Table.Td ta="right">{c.differences.length}</Table.Td>
            </Table.Tr>
          ))}
          {closes.data && closes.data.closes.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  No day has been closed yet.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>

      {confirming && data && (
        <Modal opened onClose={() => !closeDay.isPending && setConfirming(false)} title={`Close ${format.date(data.businessDate)}`} centered closeButtonProps={{ 'aria-label': 'Close' }}>
          <Stack gap="sm">
            <Text size="sm">
              Net {format.money(data.netCents)}; cards {format.money(data.cardNetCents)} in AR Desk, {format.money(data.gatewayCardNetCents)} at the gateway
              {data.differences.length > 0 ? `, with ${data.differences.length} difference${data.differences.length === 1 ? '' : 's'} recorded with the close` : ''}.
            </Text>
            <Text size="sm">After closing, no payment, refund, void or credit can be posted on or before this date. This cannot be undone.</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)} disabled={closeDay.isPending}>
                Cancel
              </Button>
              <Button color="red" onClick={() => void send()} loading={closeDay.isPending} data-testid="confirm-close-day">
                Close the day
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {asking && <ApprovalDialog action="Closing the day" reason="End of day" onApprove={send} onCancel={() => setAsking(false)} />}
    </Stack>
  );
}

function Comparison({ data }: { data: DayClosePreview }) {
  const format = useFormat();
  const money = (c: number | null) => (c === null ? '—' : format.money(c));
  return (
    <Stack gap="md">
      {data.closed && (
        <Alert color="teal" variant="light" data-testid="day-closed">
          {format.date(data.businessDate)} was closed by {data.closed.closedBy} at {format.timestamp(data.closed.closedAt)}.
        </Alert>
      )}
      {!data.closed && data.blockers.length > 0 && (
        <Alert color="yellow" variant="light" data-testid="close-blockers">
          {data.blockers.join(' ')}
        </Alert>
      )}
      <Paper withBorder p="sm">
        <SimpleGrid cols={4}>
          <Figure label="Captured" value={format.money(data.capturedCents)} />
          <Figure label="Refunded" value={format.money(-data.refundedCents)} />
          <Figure label="Voided" value={format.money(-data.voidedCents)} />
          <Figure label="Net, all methods" value={format.money(data.netCents)} />
        </SimpleGrid>
      </Paper>
      <Table striped withTableBorder captionSide="top" data-testid="close-brands">
        <Table.Caption style={{ textAlign: 'left' }}>
          <Text fw={600} size="sm">
            Cards: captured less refunds and voids, by brand
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Brand</Table.Th>
            <Table.Th ta="right">AR Desk</Table.Th>
            <Table.Th ta="right">Gateway</Table.Th>
            <Table.Th ta="right">Difference</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.brands.map((b) => (
            <Table.Tr key={b.brand}>
              <Table.Td>{b.label}</Table.Td>
              <Table.Td ta="right">{format.money(b.arDeskCents)}</Table.Td>
              <Table.Td ta="right">{format.money(b.gatewayCents)}</Table.Td>
              <Table.Td ta="right" c={b.differenceCents !== 0 ? 'red.9' : undefined} fw={b.differenceCents !== 0 ? 700 : undefined}>
                {format.money(b.differenceCents)}
              </Table.Td>
            </Table.Tr>
          ))}
          {data.brands.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  No card money on this day, here or at the gateway.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th>Total</Table.Th>
            <Table.Th ta="right">{format.money(data.cardNetCents)}</Table.Th>
            <Table.Th ta="right">{format.money(data.gatewayCardNetCents)}</Table.Th>
            <Table.Th ta="right">{format.money(data.cardNetCents - data.gatewayCardNetCents)}</Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {data.differences.length === 0 ? (
        <Group gap="xs" data-testid="close-no-differences">
          <Badge color="teal" variant="light">
            Matches
          </Badge>
          <Text size="sm">Every card transaction of the day is the same in AR Desk and at the gateway.</Text>
        </Group>
      ) : (
        <Table striped withTableBorder captionSide="top" data-testid="close-differences">
          <Table.Caption style={{ textAlign: 'left' }}>
            <Text fw={600} size="sm" c="red.9">
              {data.differences.length} difference{data.differences.length === 1 ? '' : 's'} with the gateway
            </Text>
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Difference</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Transaction</Table.Th>
              <Table.Th>Card</Table.Th>
              <Table.Th>Payment</Table.Th>
              <Table.Th ta="right">AR Desk</Table.Th>
              <Table.Th ta="right">Gateway</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.differences.map((d, i) => (
              <Table.Tr key={`${d.kind}-${d.transactionId ?? i}`}>
                <Table.Td>{PROBLEMS[d.problem]}</Table.Td>
                <Table.Td tt="capitalize">{d.kind}</Table.Td>
                <Table.Td ff="monospace">{d.transactionId ?? '—'}</Table.Td>
                <Table.Td>{d.last4 ? cardLabel(d.brand ?? '', d.last4) : (d.brand ?? '—')}</Table.Td>
                <Table.Td>{d.confirmationNumber ? `${d.confirmationNumber} (${d.customerNumber})` : '—'}</Table.Td>
                <Table.Td ta="right">{money(d.arDeskCents)}</Table.Td>
                <Table.Td ta="right">{money(d.gatewayCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={500}>
        {value}
      </Text>
    </Stack>
  );
}
