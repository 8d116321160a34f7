import { Alert, Button, Code, Group, Progress, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { StatementBatchView } from '../../../../shared/contract/documents';
import { isIsoDate } from '../../../../shared/dates';
import { call, toAppError } from '../../lib/api';
import { useFormat, useToday } from '../../lib/settings';

/** How often a running batch is asked for its progress. */
const POLL_MS = 500;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function percent(b: StatementBatchView): number {
  if (b.status !== 'running') return 100;
  return b.customers === 0 ? 0 : Math.floor((b.customersRead * 100) / b.customers);
}

function outcome(b: StatementBatchView): { color: string; title: string; text: string } {
  const files = `${plural(b.files.length, 'file')} in ${b.folder}`;
  switch (b.status) {
    case 'done':
      return { color: 'teal', title: 'Statements written', text: `${plural(b.statements, 'statement')} as of ${b.asOf} in ${files}.` };
    case 'cancelled':
      return {
        color: 'orange',
        title: 'Cancelled',
        text:
          b.files.length === 0
            ? `Stopped before the first file was complete: nothing was written in ${b.folder}.`
            : `Stopped. The ${plural(b.files.length, 'completed file')} (${plural(b.statements, 'statement')}) in ${b.folder} stay; nothing else was written.`,
      };
    case 'failed':
      return { color: 'red', title: 'The statements could not be written', text: `${b.error ?? 'Unknown error'}. ${plural(b.files.length, 'completed file')} stay in ${b.folder}.` };
    default:
      return { color: 'blue', title: '', text: '' };
  }
}

/**
 * Every customer's statement as of a date, written by main as a series of PDF files (at most 1,000
 * statements each) into a new folder on this workstation, with its progress and a Cancel.
 */
export function StatementsTab() {
  const today = useToday();
  const format = useFormat();
  const [asOf, setAsOf] = useState(today);
  const [pastDueOnly, setPastDueOnly] = useState(false);
  const [batch, setBatch] = useState<StatementBatchView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const running = batch?.status === 'running';
  const dateError = isIsoDate(asOf) ? null : 'Enter the date the statements are as of';

  useEffect(() => {
    if (!batch || batch.status !== 'running') return;
    const timer = setTimeout(() => {
      call('documents.statementBatch', { batchId: batch.id }).then(setBatch, (e: unknown) => setError(toAppError(e).message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [batch]);

  const act = async (work: () => Promise<StatementBatchView>) => {
    setBusy(true);
    setError(null);
    try {
      setBatch(await work());
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const result = batch && !running ? outcome(batch) : null;
  return (
    <Stack maw={760}>
      <Text size="sm" c="dimmed">
        A statement for every customer with an open balance (or only those past due), each from a new page and addressed for a window envelope,
        written as PDF files of at most 1,000 statements each into a new folder on this computer.
      </Text>
      <Group align="flex-end">
        <TextInput type="date" label="As of" w={200} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} error={dateError} disabled={running} />
        <Switch label="Past due only" checked={pastDueOnly} onChange={(e) => setPastDueOnly(e.currentTarget.checked)} disabled={running} mb={8} />
        <Button
          disabled={!!dateError || running}
          loading={busy && !running}
          onClick={() => void act(() => call('documents.startStatementBatch', { asOf, pastDueOnly }))}
          data-testid="statements-start"
        >
          Write statements
        </Button>
      </Group>
      {error && (
        <Alert color="red" title="Statements" data-testid="statements-error">
          {error}
        </Alert>
      )}
      {batch && running && (
        <Stack gap={6} data-testid="statements-progress">
          <Progress value={percent(batch)} animated aria-label="Statements progress" />
          <Group justify="space-between">
            <Text size="sm">
              {plural(batch.statements, 'statement')} drawn; {batch.customersRead.toLocaleString('en-US')} of {plural(batch.customers, 'customer')} read ({percent(batch)}%)
            </Text>
            <Button color="red" variant="light" onClick={() => void act(() => call('documents.cancelStatementBatch', { batchId: batch.id }))} data-testid="statements-cancel">
              Cancel
            </Button>
          </Group>
        </Stack>
      )}
      {batch && result && (
        <Alert color={result.color} title={result.title} data-testid="statements-result">
          <Text size="sm">{result.text}</Text>
          {batch.files.length > 0 && (
            <Table mt="xs" verticalSpacing={4} data-testid="statements-files">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Statements</Table.Th>
                  <Table.Th>Pages</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {batch.files.map((f) => (
                  <Table.Tr key={f.name}>
                    <Table.Td>
                      <Code>{f.name}</Code>
                    </Table.Td>
                    <Table.Td>{f.statements.toLocaleString('en-US')}</Table.Td>
                    <Table.Td>{f.pages.toLocaleString('en-US')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {batch.status === 'done' && (
            <Text size="sm" mt="xs">
              Balance due in all: {format.money(batch.balanceDueCents)}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
