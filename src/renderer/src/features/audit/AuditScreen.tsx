import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { AuditEntryDto, AuditListInput } from '../../../../shared/contract/audit';
import { call, toAppError } from '../../lib/api';
import { downloadText } from '../../lib/download';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { auditCsv, personLabel, targetLabel } from './auditCsv';

const EMPTY = { from: '', to: '', actor: '', action: '', customerNumber: '' };
type Filters = typeof EMPTY;

function toInput(f: Filters): AuditListInput {
  const out: AuditListInput = {};
  for (const k of Object.keys(f) as (keyof Filters)[]) {
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Who did what, approved by whom, newest first; supervisors and administrators only. */
export function AuditScreen() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  const field = (k: keyof Filters) => ({
    value: draft[k],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [k]: value }));
    },
  });
  return (
    <Stack gap="md">
      <Title order={2}>Audit log</Title>
      <form onSubmit={apply} aria-label="Audit filters">
        <Group align="flex-end" gap="sm">
          <TextInput type="date" label="From" {...field('from')} />
          <TextInput type="date" label="To" {...field('to')} />
          <TextInput label="Person (username)" {...field('actor')} w={160} />
          <TextInput label="Action" placeholder="payments.refund" {...field('action')} w={180} />
          <TextInput label="Customer" placeholder="CL1042" {...field('customerNumber')} w={120} />
          <Button type="submit">Show</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      <AuditResults key={JSON.stringify(applied)} input={toInput(applied)} />
    </Stack>
  );
}

function AuditResults({ input }: { input: AuditListInput }) {
  const format = useFormat();
  const first = useChannel('audit.list', input);
  const [more, setMore] = useState<{ entries: AuditEntryDto[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (first.error) {
    return (
      <Alert color="red" variant="light" role="alert">
        {first.error.message}
      </Alert>
    );
  }
  if (!first.data) return <Text c="dimmed">Loading…</Text>;
  const entries = [...first.data.entries, ...(more?.entries ?? [])];
  const cursor = more ? more.cursor : first.data.nextCursor;
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setProblem(null);
    try {
      const page = await call('audit.list', { ...input, cursor });
      setMore((m) => ({ entries: [...(m?.entries ?? []), ...page.entries], cursor: page.nextCursor }));
    } catch (e) {
      setProblem(toAppError(e).message);
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown, newest first{cursor ? '; older ones below' : ''}
        </Text>
        <Button
          variant="default"
          size="compact-sm"
          disabled={entries.length === 0}
          onClick={() => downloadText('audit-log.csv', auditCsv(entries), 'text/csv')}
        >
          Export CSV
        </Button>
      </Group>
      <Table striped data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Person</Table.Th>
            <Table.Th>Approved by</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => (
            <Table.Tr key={e.id} data-testid="audit-row">
              <Table.Td>{format.timestamp(e.at)}</Table.Td>
              <Table.Td>{personLabel(e.actor)}</Table.Td>
              <Table.Td>
                {personLabel(e.approvedBy)}
                {e.approvalReason && (
                  <Text size="xs" c="dimmed">
                    “{e.approvalReason}”
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{e.action}</Table.Td>
              <Table.Td>
                {targetLabel(e)}
                {e.target.customerNumber && e.target.customerNumber !== e.target.id ? ` · ${e.target.customerNumber}` : ''}
              </Table.Td>
              <Table.Td>
                {e.outcome.result === 'success' ? (
                  <Badge color="teal" variant="light">
                    Done
                  </Badge>
                ) : (
                  <Badge color="red" variant="light">
                    Refused{e.outcome.errorCode ? `: ${e.outcome.errorCode}` : ''}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {entries.length === 0 && <Text c="dimmed">Nothing was recorded that matches.</Text>}
      {problem && (
        <Alert color="red" variant="light" role="alert">
          {problem}
        </Alert>
      )}
      {cursor && (
        <Button variant="default" onClick={() => void loadMore()} loading={loadingMore} data-testid="audit-more">
          Load more
        </Button>
      )}
    </Stack>
  );
}
