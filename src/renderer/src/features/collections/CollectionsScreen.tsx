import { Badge, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { WorklistRowDto } from '../../../../shared/contract/dunning';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { navigate } from '../../lib/router';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { LogCallModal } from './LogCallModal';

const PAGE = 50;
const ACTION_LABEL = { email: 'Email', letter: 'Letter', call: 'Call' } as const;

/**
 * The collections worklist: past-due accounts, most days past due first, then the largest amount.
 * Keyboard-first: ↑/↓ choose a row, Enter opens the account, L logs a call, [ and ] turn the page.
 */
export function CollectionsScreen() {
  const format = useFormat();
  const [assignedTo, setAssignedTo] = useState('');
  const [level, setLevel] = useState<string | null>(null);
  const [minDollars, setMinDollars] = useState<number | string>('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState(0);
  const [calling, setCalling] = useState<WorklistRowDto | null>(null);
  const assigned = assignedTo.trim() === '' ? undefined : assignedTo.trim() === '-' ? '' : assignedTo.trim();
  const minCents = typeof minDollars === 'number' && minDollars > 0 ? Math.round(minDollars * 100) : undefined;
  const input = {
    limit: PAGE,
    offset,
    ...(assigned !== undefined ? { assignedTo: assigned } : {}),
    ...(level !== null ? { level: Number(level) } : {}),
    ...(minCents !== undefined ? { minCents } : {}),
  };
  const list = useChannel('collections.worklist', input);
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  useEffect(() => setSelected(0), [offset, assigned, level, minCents]);
  const current = rows[Math.min(selected, rows.length - 1)];
  useHotkeys([
    ['ArrowDown', () => setSelected((s) => Math.min(s + 1, rows.length - 1))],
    ['ArrowUp', () => setSelected((s) => Math.max(s - 1, 0))],
    ['Enter', () => current && navigate('customers', current.customerNumber)],
    ['L', () => current && setCalling(current)],
    ['BracketRight', () => offset + PAGE < total && setOffset(offset + PAGE)],
    ['BracketLeft', () => offset > 0 && setOffset(Math.max(0, offset - PAGE))],
  ]);

  const nextAction = (r: WorklistRowDto) =>
    r.nextAction === null ? '—' : r.nextAction.kind === 'call-task' ? `Call (due since ${format.date(r.nextAction.since)})` : `${ACTION_LABEL[r.nextAction.action]} (level ${r.nextAction.level}) on ${format.date(r.nextAction.on)}`;

  return (
    <Stack gap="md">
      <Title order={2}>Collections</Title>
      <Text size="sm" c="dimmed">
        Past-due accounts, most days past due first. ↑/↓ choose, Enter opens the account, L logs a call, [ and ] turn the page.
      </Text>
      <Group align="flex-end">
        <TextInput label="Assigned to" placeholder="anyone (- for nobody)" value={assignedTo} onChange={(e) => { setAssignedTo(e.currentTarget.value); setOffset(0); }} w={200} data-testid="filter-assigned" />
        <Select
          label="Follow-up level"
          placeholder="any"
          clearable
          data={['0', '1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v === '0' ? 'none sent' : `level ${v}` }))}
          value={level}
          onChange={(v) => { setLevel(v); setOffset(0); }}
          w={160}
          data-testid="filter-level"
        />
        <NumberInput label="Past due at least" leftSection="$" min={0} decimalScale={2} value={minDollars} onChange={(v) => { setMinDollars(v); setOffset(0); }} w={170} data-testid="filter-min" />
      </Group>
      {list.loading && !list.data && <Loading what="the worklist" />}
      {list.error && <ErrorNotice error={list.error} title="The worklist could not be read" onRetry={() => list.reload()} />}
      {list.data && rows.length === 0 && <Empty title="No past-due accounts">None match these filters.</Empty>}
      {rows.length > 0 && (
        <Table striped highlightOnHover data-testid="worklist">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th ta="right">Days past due</Table.Th>
              <Table.Th ta="right">Past due</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th>Last contact</Table.Th>
              <Table.Th>Promise</Table.Th>
              <Table.Th>Next action</Table.Th>
              <Table.Th>Assigned</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={r.customerNumber} aria-selected={i === selected} bg={i === selected ? 'var(--mantine-color-blue-light)' : undefined} onClick={() => setSelected(i)} data-testid="worklist-row">
                <Table.Td>
                  <Text size="sm" fw={600}>{r.customerNumber}</Text>
                  <Text size="xs" c="dimmed">{r.legalName}</Text>
                  {r.suspendedOn && <Badge color="red" size="xs">Suspended</Badge>}
                  {r.noFollowUp && <Badge color="gray" size="xs">No follow-up</Badge>}
                </Table.Td>
                <Table.Td ta="right">{r.daysPastDue}</Table.Td>
                <Table.Td ta="right">{format.money(r.pastDueCents)}</Table.Td>
                <Table.Td>{r.level === 0 ? '—' : r.level}</Table.Td>
                <Table.Td>{r.lastContact ? <Text size="xs">{format.timestamp(r.lastContact.at)} · {r.lastContact.by}: {r.lastContact.text.slice(0, 60)}</Text> : '—'}</Table.Td>
                <Table.Td>{r.openPromise ? `${format.money(r.openPromise.promisedCents)} by ${format.date(r.openPromise.promisedOn)}` : '—'}</Table.Td>
                <Table.Td>{nextAction(r)}</Table.Td>
                <Table.Td>{r.assignedTo ?? '—'}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="light" onClick={() => setCalling(r)} data-testid="log-call">Log a call</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {total > 0 && (
        <Group justify="space-between">
          <Text size="sm" data-testid="worklist-count">
            {offset + 1}–{offset + rows.length} of {total}
          </Text>
          <Group gap="xs">
            <Button size="xs" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</Button>
            <Button size="xs" variant="default" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Next</Button>
          </Group>
        </Group>
      )}
      {calling && <LogCallModal row={calling} onClose={() => setCalling(null)} />}
    </Stack>
  );
}
