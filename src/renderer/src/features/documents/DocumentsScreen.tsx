import { Badge, Button, Group, Modal, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import type { DocumentRef, OutboxMessageView, OutboxStatus } from '../../../../shared/contract/documents';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { DOCUMENT_READS, useChannel, useWrite } from '../../lib/queries';
import { useRoute } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { notify } from './notify';
import { PrintQueueTab } from './PrintQueueTab';

/** The outbox asks again on this timer, so a message going out shows without a click. */
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

/** The outbox and the print queue: what is waiting to be emailed or printed, and why. */
export function DocumentsScreen() {
  // #/documents/print opens on the print queue (the payment screen's link to a confirmation that waits).
  const [, opened] = useRoute();
  const [tab, setTab] = useState<string | null>(opened === 'print' ? 'print' : 'outbox');
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
