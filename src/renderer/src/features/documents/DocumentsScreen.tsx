import { Badge, Button, Group, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { PrintJobStatus, PrintJobView } from '../../../../shared/contract/documents';
import { AppError } from '../../../../shared/errors';
import { call, toAppError } from '../../lib/api';
import { DOCUMENT_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { savePdf } from '../../lib/download';
import { OutboxTab, REFRESH_MS } from './OutboxTab';

const PRINT_COLOR: Record<PrintJobStatus, string> = { queued: 'blue', sent: 'violet', printed: 'teal', discarded: 'gray', failed: 'red' };
const PRINT_LABEL: Record<PrintJobStatus, string> = { queued: 'Queued', sent: 'Sent to printer', printed: 'Printed', discarded: 'Discarded', failed: 'Failed' };

function notify(n: { color: string; message: string }): void {
  notifications.show({ ...n, closeButtonProps: { 'aria-label': 'Close message' } });
}

function PrintQueueTab() {
  const format = useFormat();
  const { data, error, loading, reload } = useChannel('documents.printJobs', { status: 'all', limit: 200 }, { refreshEvery: REFRESH_MS });
  const [busy, setBusy] = useState<string | null>(null);
  const printAgain = useWrite('documents.printAgain', { invalidates: DOCUMENT_READS });
  const printQueued = useWrite('documents.printQueued', { invalidates: DOCUMENT_READS });
  const discard = useWrite('documents.discardPrintJob', { invalidates: DOCUMENT_READS });

  const run = async (key: string, work: () => Promise<string>) => {
    setBusy(key);
    try {
      notify({ color: 'teal', message: await work() });
    } catch (e) {
      notify({ color: 'red', message: toAppError(e).message });
    } finally {
      setBusy(null);
    }
  };

  const printOne = (j: PrintJobView) =>
    run(`print-${j.id}`, async () => {
      const after = await printAgain.mutateAsync({ jobId: j.id });
      if (after.status === 'printed') return `${after.title} was printed.`;
      throw new AppError('UNAVAILABLE', `${after.title} is still queued: ${after.lastError ?? 'the printer did not answer'}`);
    });

  const saveOne = (j: PrintJobView) =>
    run(`save-${j.id}`, async () => {
      const file = await call('documents.pdf', { document: j.document });
      savePdf(file);
      return `${file.fileName} was saved.`;
    });

  const queued = data?.jobs.filter((j) => j.status === 'queued').length ?? 0;

  if (error && !data) return <ErrorNotice error={error} title="The print queue could not be loaded" onRetry={reload} />;
  if (!data) return loading ? <Loading what="the print queue" /> : null;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {queued === 0 ? 'Nothing is waiting for the printer.' : `${queued} document${queued === 1 ? '' : 's'} waiting for the printer.`}
        </Text>
        <Button
          disabled={queued === 0}
          loading={busy === 'all'}
          onClick={() =>
            void run('all', async () => {
              const r = await printQueued.mutateAsync({});
              return r.stillQueued === 0 ? `Printed ${r.printed}.` : `Printed ${r.printed}; ${r.stillQueued} still waiting.`;
            })
          }
        >
          Print all queued
        </Button>
      </Group>
      {data.jobs.length === 0 ? (
        <Empty title="No print jobs">Confirmations and statements sent to the printer appear here; when the printer is off they wait here.</Empty>
      ) : (
        <Table striped highlightOnHover verticalSpacing={6} data-testid="print-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={120}>Status</Table.Th>
              <Table.Th>Document</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.jobs.map((j) => (
              <Table.Tr key={j.id} data-testid={`print-row-${j.id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={PRINT_COLOR[j.status]} variant="light" style={{ overflow: 'visible' }}>
                    {PRINT_LABEL[j.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{j.title}</Text>
                  {j.lastError && j.status !== 'printed' && (
                    <Text size="xs" c="red.9">
                      {j.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{j.attempts}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {j.printedAt ? `Printed ${format.timestamp(j.printedAt)}` : `Queued ${format.timestamp(j.createdAt)} by ${j.createdBy}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {j.status !== 'discarded' && (
                      <Button size="xs" variant="light" loading={busy === `print-${j.id}`} aria-label={`${j.status === 'printed' ? 'Print again' : 'Print'}: ${j.title}`} onClick={() => void printOne(j)}>
                        {j.status === 'printed' ? 'Print again' : 'Print'}
                      </Button>
                    )}
                    <Tooltip label="Save the document as a PDF file">
                      <Button size="xs" variant="default" loading={busy === `save-${j.id}`} aria-label={`Save as PDF: ${j.title}`} onClick={() => void saveOne(j)}>
                        Save as PDF
                      </Button>
                    </Tooltip>
                    {(j.status === 'queued' || j.status === 'failed') && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={`Discard: ${j.title}`}
                        onClick={() =>
                          void run(`discard-${j.id}`, async () => {
                            await discard.mutateAsync({ jobId: j.id });
                            return `${j.title} was taken out of the queue.`;
                          })
                        }
                      >
                        Discard
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The outbox and the print queue: what is waiting to be emailed or printed, and why. */
export function DocumentsScreen() {
  const [tab, setTab] = useState<string | null>('outbox');
  return (
    <Stack>
      <Title order={2}>Outbox and print queue</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="outbox">Outbox</Tabs.Tab>
          <Tabs.Tab value="print">Print queue</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="outbox" pt="md">
          <OutboxTab />
        </Tabs.Panel>
        <Tabs.Panel value="print" pt="md">
          <PrintQueueTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
