import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { PrintJobView, PrintQueueRun } from '../../../../shared/contract/documents';
import { call, toAppError } from '../../lib/api';
import { savePdf } from '../../lib/download';
import { atPrinter, FOLLOW_PRINT_MS, moving, printBadge, printTone, TONE_TEXT } from '../../lib/printJobs';
import { DOCUMENT_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { notify } from './notify';

/** Without a job at the printer the queue is asked again on this timer, for a retry made by main or another screen. */
const REFRESH_MS = 10_000;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What one "Print" or "Print again" did, for the clerk: sent and printed are good news, held is a warning. */
function printOutcome(job: PrintJobView): { color: string; message: string } {
  switch (job.status) {
    case 'printed':
    case 'sent':
      return { color: job.systemState === 'held' ? 'orange' : 'teal', message: `${job.title}: ${job.statusText}` };
    case 'queued':
      return { color: 'red', message: `${job.title} is still queued: ${job.lastError ?? 'the printer did not answer'}` };
    default:
      return { color: 'red', message: `${job.title}: ${job.statusText}` };
  }
}

/** What "Print all queued" did: jobs the print system took count as sent, whatever they become next. */
function runOutcome(r: PrintQueueRun): { color: string; message: string } {
  const sent = `${plural(r.printed, 'document', 'documents')} sent to the printer`;
  if (r.stillQueued === 0) return { color: 'teal', message: `${sent}.` };
  const why = r.jobs.find((j) => j.status === 'queued')?.lastError;
  return { color: 'orange', message: `${sent}; ${r.stillQueued} still waiting${why ? `: ${why}` : '.'}` };
}

function When({ job }: { job: PrintJobView }) {
  const format = useFormat();
  const text =
    job.status === 'printed' && job.printedAt
      ? `Printed ${format.timestamp(job.printedAt)}`
      : job.status === 'sent' && job.sentTo
        ? `Sent ${format.timestamp(job.sentTo.at)}`
        : `Queued ${format.timestamp(job.createdAt)} by ${job.createdBy}`;
  return <Text size="xs">{text}</Text>;
}

/**
 * AR Desk's print queue: what waits because the print system refused it, and what the print system
 * took, followed to printed, held or failed. While a job is at the printer the list is asked again
 * every couple of seconds, and main asks the print system about it on each ask.
 */
export function PrintQueueTab() {
  const { data, error, loading, reload } = useChannel(
    'documents.printJobs',
    { status: 'all', limit: 200 },
    { refreshEvery: (d) => (d?.jobs.some(moving) ? FOLLOW_PRINT_MS : REFRESH_MS) },
  );
  const [busy, setBusy] = useState<string | null>(null);
  const printAgain = useWrite('documents.printAgain', { invalidates: DOCUMENT_READS });
  const printQueued = useWrite('documents.printQueued', { invalidates: DOCUMENT_READS });
  const discard = useWrite('documents.discardPrintJob', { invalidates: DOCUMENT_READS });

  const run = async (key: string, work: () => Promise<{ color: string; message: string }>) => {
    setBusy(key);
    try {
      notify(await work());
    } catch (e) {
      notify({ color: 'red', message: toAppError(e).message });
    } finally {
      setBusy(null);
    }
  };

  const printOne = (j: PrintJobView) => run(`print-${j.id}`, async () => printOutcome(await printAgain.mutateAsync({ jobId: j.id })));

  const saveOne = (j: PrintJobView) =>
    run(`save-${j.id}`, async () => {
      const file = await call('documents.pdf', { document: j.document });
      savePdf(file);
      return { color: 'teal', message: `${file.fileName} was saved.` };
    });

  const discardOne = (j: PrintJobView) =>
    run(`discard-${j.id}`, async () => {
      await discard.mutateAsync({ jobId: j.id });
      return { color: 'teal', message: `${j.title} was taken out of the queue.` };
    });

  const queued = data?.jobs.filter((j) => j.status === 'queued').length ?? 0;
  const sent = data?.jobs.filter(atPrinter).length ?? 0;

  if (error && !data) return <ErrorNotice error={error} title="The print queue could not be loaded" onRetry={reload} />;
  if (!data) return loading ? <Loading what="the print queue" /> : null;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {queued === 0 ? 'Nothing is waiting for the printer.' : `${plural(queued, 'document', 'documents')} waiting for the printer.`}
          {sent > 0 && ` ${plural(sent, 'document is', 'documents are')} at the printer, not printed yet.`}
        </Text>
        <Button disabled={queued === 0} loading={busy === 'all'} onClick={() => void run('all', async () => runOutcome(await printQueued.mutateAsync({})))}>
          Print all queued
        </Button>
      </Group>
      {data.jobs.length === 0 ? (
        <Empty title="No print jobs">Confirmations and statements sent to the printer appear here; when the printer is off they wait here.</Empty>
      ) : (
        <Table striped highlightOnHover verticalSpacing={6} data-testid="print-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>Status</Table.Th>
              <Table.Th>Document</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.jobs.map((j) => {
              const badge = printBadge(j);
              // A job at the printer is the print system's now: printing it again would print it twice, and only the printer can cancel it.
              const again = j.status === 'printed' || j.status === 'failed';
              return (
                <Table.Tr key={j.id} data-testid={`print-row-${j.id}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge color={badge.color} variant="light" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
                      {badge.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{j.title}</Text>
                    <Text size="xs" style={{ color: TONE_TEXT[printTone(j)] }} data-testid="print-status-text">
                      {j.statusText}
                    </Text>
                  </Table.Td>
                  <Table.Td>{j.attempts}</Table.Td>
                  <Table.Td>
                    <When job={j} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {(j.status === 'queued' || again) && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={busy === `print-${j.id}`}
                          aria-label={`${again ? 'Print again' : 'Print'}: ${j.title}`}
                          onClick={() => void printOne(j)}
                        >
                          {again ? 'Print again' : 'Print'}
                        </Button>
                      )}
                      <Tooltip label="Save the document as a PDF file">
                        <Button size="xs" variant="default" loading={busy === `save-${j.id}`} aria-label={`Save as PDF: ${j.title}`} onClick={() => void saveOne(j)}>
                          Save as PDF
                        </Button>
                      </Tooltip>
                      {(j.status === 'queued' || j.status === 'failed') && (
                        <Button size="xs" variant="subtle" color="red" aria-label={`Discard: ${j.title}`} onClick={() => void discardOne(j)}>
                          Discard
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
