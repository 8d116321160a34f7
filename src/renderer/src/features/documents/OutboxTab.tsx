import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { DocumentRef, OutboxMessageView, OutboxStatus } from '../../../../shared/contract/documents';
import { toAppError } from '../../lib/api';
import { DOCUMENT_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat, useSettings } from '../../lib/settings';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { CancelMessageModal, notify, RecipientModal } from './OutboxDialogs';

/** The lists ask again on this timer, so a message going out or a job printing shows without a click. */
export const REFRESH_MS = 10_000;

/** Why mail waits when no server is set: where the clerk (or the office's admin) sets one. */
export const NO_MAIL_SERVER = 'No mail server is set up (Settings → Office)';

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

/** Why a message that has not gone out waits: no server to send it through, or what the server last answered. */
function waitingReason(m: OutboxMessageView, mailServerSet: boolean): string | null {
  if (m.status !== 'queued' && m.status !== 'failed') return null;
  if (!mailServerSet) return `${NO_MAIL_SERVER}.`;
  if (m.lastError) return `The mail server’s last answer: ${m.lastError}`;
  return m.attempts === 0 ? 'Not tried yet; it goes out on the next round.' : null;
}

export function OutboxTab() {
  const format = useFormat();
  const { settings } = useSettings();
  const mailServerSet = settings.email.smtpHost.trim() !== '';
  const { data, error, loading, reload } = useChannel('documents.outbox', { status: 'all', limit: 200 }, { refreshEvery: REFRESH_MS });
  const [editing, setEditing] = useState<OutboxMessageView | null>(null);
  const [cancelling, setCancelling] = useState<OutboxMessageView | null>(null);
  const retry = useWrite('documents.retryEmail', { invalidates: DOCUMENT_READS });
  const cancel = useWrite('documents.cancelEmail', { invalidates: DOCUMENT_READS });
  const busy = retry.isPending ? retry.variables.outboxId : cancel.isPending ? cancel.variables.outboxId : null;

  const sendNow = async (m: OutboxMessageView) => {
    try {
      await retry.mutateAsync({ outboxId: m.id });
      notify(
        mailServerSet
          ? { color: 'teal', message: 'The message is back in line to go now.' }
          : { color: 'orange', message: `${NO_MAIL_SERVER}: the message waits in the outbox until one is.` },
      );
    } catch (e) {
      notify({ color: 'red', message: toAppError(e).message });
    }
  };

  const cancelMessage = async (m: OutboxMessageView) => {
    try {
      await cancel.mutateAsync({ outboxId: m.id });
      notify({ color: 'teal', message: 'The message was cancelled; it will not be sent.' });
    } catch (e) {
      notify({ color: 'red', message: toAppError(e).message });
    } finally {
      setCancelling(null);
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
            const reason = waitingReason(m, mailServerSet);
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
                  {reason && (
                    <Text size="xs" c={m.status === 'failed' || !mailServerSet || m.lastError ? 'red.9' : 'dimmed'} data-testid="outbox-reason">
                      {reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{m.attempts}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {m.status === 'sent' && m.sentAt
                      ? `Sent ${format.timestamp(m.sentAt)}`
                      : m.status === 'queued' && m.nextAttemptAt && mailServerSet
                        ? `Next try ${format.timestamp(m.nextAttemptAt)}`
                        : `Queued ${format.timestamp(m.createdAt)}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {open && (
                    <Group gap={6} wrap="nowrap">
                      <Button size="xs" variant="light" loading={busy === m.id && retry.isPending} aria-label={`Send now: ${m.subject}`} onClick={() => void sendNow(m)}>
                        Send now
                      </Button>
                      <Button size="xs" variant="default" aria-label={`Change recipient: ${m.subject}`} onClick={() => setEditing(m)}>
                        Change recipient
                      </Button>
                      <Button size="xs" variant="subtle" color="red" aria-label={`Cancel: ${m.subject}`} onClick={() => setCancelling(m)}>
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
      <CancelMessageModal message={cancelling} busy={cancel.isPending} onConfirm={(m) => void cancelMessage(m)} onClose={() => setCancelling(null)} />
    </>
  );
}
