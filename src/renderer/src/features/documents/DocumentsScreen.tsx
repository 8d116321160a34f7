import { Badge, Button, Group, Modal, Stack, Table, Tabs, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent } from 'react';
import type {
  DocumentRef,
  OutboxMessageView,
  OutboxStatus,
  PrintJobStatus,
  PrintJobView,
} from '../../../../shared/contract/documents';
import { AppError } from '../../../../shared/errors';
import { call, toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { DOCUMENT_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { savePdf } from '../../lib/download';

/** The lists ask again on this timer, so a message going out or a job printing shows without a click. */
const REFRESH_MS = 10_000;

const OUTBOX_COLOR: Record<OutboxStatus, string> = {
  queued: 'blue',
  sending: 'yellow',
  sent: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

const OUTBOX_LABEL: Record<OutboxStatus, string> = {
  queued: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const PRINT_COLOR: Record<PrintJobStatus, string> = { queued: 'blue', sent: 'violet', printed: 'teal', discarded: 'gray', failed: 'red' };
const PRINT_LABEL: Record<PrintJobStatus, string> = { queued: 'Queued', sent: 'Sent to printer', printed: 'Printed', discarded: 'Discarded', failed: 'Failed' };

function describeDocument(d: DocumentRef | null): string {
  if (!d) return '';
  switch (d.kind) {
    case 'confirmation':
      return 'Payment confirmation';
    case 'invoice':
      return `Invoice ${d.invoiceNumber}`;
    case 'statement':
      return `Statement ${d.customerNumber}`;
    case 'statements':
      return 'Statements';
  }
}

function notify(n: { color: string; message: string }): void {
  notifications.show({ ...n, closeButtonProps: { 'aria-label': 'Close message' } });
}

function RecipientModal({ message, onClose }: { message: OutboxMessageView | null; onClose: () => void }) {
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const setRecipient = useWrite('documents.setEmailRecipient', { invalidates: DOCUMENT_READS });
  useEffect(() => {
    setTo(message?.to ?? '');
    setError(null);
  }, [message]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!message) return;
    try {
      await setRecipient.mutateAsync({ outboxId: message.id, to });
      notify({ color: 'teal', message: `The message will go to ${to.trim()}.` });
      onClose();
    } catch (err) {
      setError(fieldErrorsOf(err).to ?? toAppError(err).message);
    }
  };
  return (
    <Modal opened={message !== null} onClose={onClose} title="Change the recipient" centered>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text size="sm" c="dimmed">
            {message?.subject}
          </Text>
          <TextInput
            label="Send to"
            type="email"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={error}
            data-autofocus
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={setRecipient.isPending}>
              Save and send
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function OutboxTab() {
  const format = useFormat();
  const { data, error, loading, reload } = useChannel('documents.outbox', { status: 'all', limit: 200 }, { refreshEvery: REFRESH_MS });
  const [editing, setEditing] = useState<OutboxMessageView | null>(null);
  const retry = useWrite('documents.retryEmail', { invalidates: DOCUMENT_READS });
  const cancel = useWrite('documents.cancelEmail', { invalidates: DOCUMENT_READS });
  const busy = retry.isPending ? retry.variables.outboxId : cancel.isPending ? cancel.variables.outboxId : null;

  const act = async (write: typeof retry | typeof cancel, id: number, done: string) => {
    try {
      await write.mutateAsync({ outboxId: id });
      notify({ color: 'teal', message: done });
    } catch (e) {
      notify({ color: 'red', message: toAppError(e).message });
    }
  };

  if (error && !data) return <ErrorNotice error={error} title="The outbox could not be loaded" onRetry={reload} />;
  if (!data) return loading ? <Loading what="the outbox" /> : null;
  if (data.messages.length === 0) {
    return <Empty title="The outbox is empty">Emailed confirmations and statements appear here until they are sent.</Empty>;
  }
  return (
    <>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="outbox-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={120}>Status</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.messages.map((m) => {
            const open = m.status === 'queued' || m.status === 'failed';
            return (
              <Table.Tr key={m.id} data-testid={`outbox-row-${m.id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={OUTBOX_COLOR[m.status]} variant="light" style={{ overflow: 'visible' }}>
                    {OUTBOX_LABEL[m.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{m.to || <Text span c="red.8" size="sm">no address</Text>}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{m.subject}</Text>
                  {m.attachmentName && (
                    <Text size="xs" c="dimmed">
                      {describeDocument(m.document)} · {m.attachmentName}
                    </Text>
                  )}
                  {m.lastError && m.status !== 'sent' && (
                    <Text size="xs" c="red.9">
                      {m.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{m.attempts}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {m.status === 'sent' && m.sentAt
                      ? `Sent ${format.timestamp(m.sentAt)}`
                      : m.status === 'queued' && m.nextAttemptAt
                        ? `Next try ${format.timestamp(m.nextAttemptAt)}`
                        : `Queued ${format.timestamp(m.createdAt)}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {open && (
                    <Group gap={6} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        loading={busy === m.id}
                        aria-label={`Send now: ${m.subject}`}
                        onClick={() => void act(retry, m.id, 'The message is back in line to go now.')}
                      >
                        Send now
                      </Button>
                      <Button size="xs" variant="default" aria-label={`Change recipient: ${m.subject}`} onClick={() => setEditing(m)}>
                        Change recipient
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={`Cancel: ${m.subject}`}
                        onClick={() => void act(cancel, m.id, 'The message was cancelled; it will not be sent.')}
                      >
                        Cancel
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <RecipientModal message={editing} onClose={() => setEditing(null)} />
    </>
  );
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
