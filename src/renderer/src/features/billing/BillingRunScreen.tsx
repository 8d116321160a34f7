import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import type { BillingRunDto } from '../../../../shared/contract/billing';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { toAppError } from '../../lib/api';
import { navigate } from '../../lib/router';
import { useChannel, useWrite } from '../../lib/queries';
import { useFormat, useSettings, useToday } from '../../lib/settings';

const RUN_STATUS_COLOR = { running: 'blue', finished: 'green', failed: 'red' } as const;

/**
 * The billing run: what it would invoice as of a date (the same code, nothing written), running it
 * (a supervisor, or a clerk with a supervisor's approval), and the runs so far. AR Desk also runs
 * it on its own once a day; running it again for a date makes nothing twice.
 */
export function BillingRunScreen() {
  const format = useFormat();
  const today = useToday();
  // The office's business date (main's clock and time zone) until the clerk picks another.
  const [picked, setAsOf] = useState<string | null>(null);
  const asOf = picked ?? today;
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const preview = useChannel('billing.preview', validDate ? { asOf } : null);
  const leadDays = useSettings().settings.policy.billingLeadDays;
  const run = useWrite('billing.run', { invalidates: ['billing.preview', 'billing.runs', 'customers.account', 'aging.report', 'lookup.search'] });
  // While a run is going (here or at another workstation) its row says how far it has got: asked twice a second.
  const runs = useChannel('billing.runs', {}, { refreshEvery: (d) => (run.isPending || d?.runs.some((r) => r.going) ? 500 : false) });
  const going = runs.data?.runs.find((r) => r.going);
  const [result, setResult] = useState<BillingRunDto | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  const send = async (approval?: ApprovalInput): Promise<string | null> => {
    setProblem(null);
    try {
      const r = await run.mutateAsync({ asOf, ...(approval ? { approval } : {}) });
      setAsking(false);
      setResult(r);
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      setProblem(toAppError(err).message);
      return null;
    }
  };

  const due = preview.data?.invoices ?? [];
  const total = due.reduce((s, i) => s + i.totalCents, 0);
  return (
    <Stack gap="md">
      <Title order={2}>Billing run</Title>
      <Text size="sm" c="dimmed">
        Every active subscription is invoiced in advance for each period that has started by the date, once. AR Desk runs this on its own each day; run it here to
        bill now or to see what the next run will make.
      </Text>
      {leadDays > 0 && (
        <Text size="sm" data-testid="billing-lead-days">
          The house rules create invoices {leadDays} {leadDays === 1 ? 'day' : 'days'} before each period: periods starting up to {leadDays}{' '}
          {leadDays === 1 ? 'day' : 'days'} after the date are billed too.
        </Text>
      )}
      {asking && <ApprovalDialog action="Running the billing" onApprove={send} onCancel={() => setAsking(false)} />}
      <Group align="flex-end">
        <TextInput
          type="date"
          label="Bill periods started by"
          value={asOf}
          onChange={(e) => {
            setAsOf(e.currentTarget.value);
            setResult(null);
          }}
          error={validDate ? undefined : 'Enter a date'}
          w={200}
        />
        <Button onClick={() => void send()} loading={run.isPending} disabled={!validDate || due.length === 0 || going !== undefined} data-testid="billing-run">
          {due.length === 0 ? 'Nothing to bill' : `Make ${due.length} invoice${due.length === 1 ? '' : 's'} (${format.money(total)})`}
        </Button>
      </Group>
      {(run.isPending || going) && (
        <Paper withBorder p="sm" data-testid="billing-progress">
          <Stack gap={6}>
            <Text size="sm">
              {going
                ? `Billing run as of ${format.date(going.asOf)} going${going.workstation ? ` at ${going.workstation}` : ''}: ${going.progressDone} of ${going.progressTotal} invoice${going.progressTotal === 1 ? '' : 's'} made.`
                : 'Starting the billing run…'}
            </Text>
            <Progress
              value={going && going.progressTotal > 0 ? (100 * going.progressDone) / going.progressTotal : 0}
              size="lg"
              striped
              animated
              aria-label="Billing run progress"
            />
          </Stack>
        </Paper>
      )}
      {problem && (
        <Alert color="red" variant="light" role="alert" title="The billing run did not finish">
          {problem}
        </Alert>
      )}
      {result && (
        <Alert color="green" variant="light" role="status" data-testid="billing-result">
          Made {result.invoices.length} invoice{result.invoices.length === 1 ? '' : 's'} as of {format.date(result.asOf)},{' '}
          {format.money(result.invoices.reduce((s, i) => s + i.totalCents, 0))} in all.
          {result.alreadyBilled > 0 ? ` ${result.alreadyBilled} period${result.alreadyBilled === 1 ? ' was' : 's were'} billed meanwhile by another run.` : ''}
        </Alert>
      )}
      {preview.data && preview.data.held.length > 0 && (
        <Alert color="orange" variant="light" title="Held for review" data-testid="billing-held">
          {preview.data.held.map((h) => (
            <Text size="sm" key={h.subscriptionId}>
              {h.customerNumber}, subscription {h.subscriptionId}: {h.missedPeriods} periods due since {format.date(h.firstMissed)}. {h.reason}
            </Text>
          ))}
        </Alert>
      )}
      <Title order={3}>Due now</Title>
      {preview.error ? (
        <ErrorNotice error={preview.error} title="Could not work out what is due" onRetry={preview.reload} />
      ) : !preview.data ? (
        <Loading what="what is due" />
      ) : due.length === 0 ? (
        <Empty title="Nothing to bill">Every subscription period that has started is invoiced.</Empty>
      ) : (
        <Table striped withTableBorder data-testid="billing-preview">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {due.slice(0, 200).map((i) => (
              <Table.Tr key={`${i.customerNumber}|${i.periodStart}`}>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => navigate('customers', i.customerNumber)}>
                    {i.customerNumber}
                  </Button>
                </Table.Td>
                <Table.Td>
                  {format.date(i.periodStart)} – {format.date(i.periodEnd)}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {format.money(i.totalCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {due.length > 200 && <Text size="sm" c="dimmed">And {due.length - 200} more.</Text>}
      <Title order={3}>Past runs</Title>
      {runs.error ? (
        <ErrorNotice error={runs.error} title="Could not load the past runs" onRetry={runs.reload} />
      ) : !runs.data ? (
        <Loading what="past runs" />
      ) : runs.data.runs.length === 0 ? (
        <Empty title="No runs yet" />
      ) : (
        <Table withTableBorder data-testid="billing-runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>As of</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Invoices</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.runs.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{format.date(r.asOf)}</Table.Td>
                <Table.Td>{format.timestamp(r.startedAt)}</Table.Td>
                <Table.Td>
                  {r.actor}
                  {r.workstation ? ` at ${r.workstation}` : ''}
                </Table.Td>
                <Table.Td>
                  <Badge color={RUN_STATUS_COLOR[r.status]} variant="light">
                    {r.status}
                  </Badge>
                  {r.message && (
                    <Text size="xs" c="dimmed">
                      {r.message}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">{r.status === 'running' ? `${r.progressDone} of ${r.progressTotal}` : r.invoicesCreated}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {format.money(r.totalCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
