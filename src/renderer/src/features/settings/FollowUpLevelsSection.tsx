import { Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { DUNNING_ACTIONS, type DunningActionDto, type DunningLevelDto, type DunningLevelInput } from '../../../../shared/contract/dunning';
import { parseDollarsToCents } from '../../../../shared/money';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { useChannel, useWrite } from '../../lib/queries';
import { SettingsSection } from './SettingsSection';

/** A level as typed: dollars and percent as text, turned into cents and basis points on Save (never through a float). */
interface LevelRow {
  days: string;
  action: DunningActionDto;
  fixed: string;
  percent: string;
  minimum: string;
  grace: string;
}

const ACTION_LABEL: Record<DunningActionDto, string> = { email: 'Email reminder', letter: 'Letter (statement)', call: 'Phone call task' };

const dollars = (cents: number) => (cents === 0 ? '' : (cents / 100).toFixed(2));
const percentText = (bp: number) => (bp === 0 ? '' : `${Math.floor(bp / 100)}${bp % 100 === 0 ? '' : `.${String(bp % 100).padStart(2, '0').replace(/0$/, '')}`}`);

function toRow(l: DunningLevelDto): LevelRow {
  return { days: String(l.daysPastDue), action: l.action, fixed: dollars(l.feeFixedCents), percent: percentText(l.feePercentBp), minimum: dollars(l.feeMinimumCents), grace: l.graceDays === 0 ? '' : String(l.graceDays) };
}

/** "1.5" → 150 basis points; null when not a percentage with up to two decimals. */
function basisPoints(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** The follow-up levels (an admin's): days past due, action, late fee, and "suspend at level N". */
export function FollowUpLevelsSection({ canEdit }: { canEdit: boolean }) {
  const saved = useChannel('dunning.levels', {});
  const save = useWrite('dunning.setLevels', { invalidates: ['dunning.levels', 'collections.worklist'] });
  const [rows, setRows] = useState<LevelRow[]>([]);
  const [suspendAt, setSuspendAt] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const reset = () => {
    if (!saved.data) return;
    setRows(saved.data.levels.map(toRow));
    setSuspendAt(saved.data.suspendAtLevel === null ? null : String(saved.data.suspendAtLevel));
    setErrors({});
    setProblem(null);
  };
  useEffect(reset, [saved.data]);
  const original = saved.data ? JSON.stringify([saved.data.levels.map(toRow), saved.data.suspendAtLevel === null ? null : String(saved.data.suspendAtLevel)]) : '';
  const dirty = saved.data !== undefined && JSON.stringify([rows, suspendAt]) !== original;
  const set = (i: number, patch: Partial<LevelRow>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));

  const onSave = async () => {
    const found: Record<string, string> = {};
    const money = (text: string, at: string): number => {
      if (text.trim() === '') return 0;
      try {
        return parseDollarsToCents(text, { field: 'Amount' });
      } catch (e) {
        found[at] = toAppError(e).message.replace(/^Amount: /, '');
        return 0;
      }
    };
    const levels: DunningLevelInput[] = rows.map((r, i) => {
      const bp = r.percent.trim() === '' ? 0 : basisPoints(r.percent);
      if (bp === null) found[`levels.${i}.feePercentBp`] = 'must be a percentage such as 1.5';
      return {
        daysPastDue: Number(r.days),
        action: r.action,
        feeFixedCents: money(r.fixed, `levels.${i}.feeFixedCents`),
        feePercentBp: bp ?? 0,
        feeMinimumCents: money(r.minimum, `levels.${i}.feeMinimumCents`),
        graceDays: r.grace.trim() === '' ? 0 : Number(r.grace),
      };
    });
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return;
    try {
      await save.mutateAsync({ levels, suspendAtLevel: suspendAt === null ? null : Number(suspendAt) });
    } catch (e) {
      const fields = fieldErrorsOf(e);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(toAppError(e).message);
    }
  };

  const err = (i: number, field: string) => errors[`levels.${i}.${field}`];
  return (
    <SettingsSection
      id="office-follow-up"
      title="Past-due follow-up"
      description="What the daily billing run does as an account's oldest undisputed invoice passes each number of days past due: each level once for the same invoices. A late fee is billed as its own invoice: the fixed amount plus the percentage of the past-due balance, at least the minimum, once the grace days have passed."
      saveLabel="Save follow-up levels"
      problem={problem ?? (saved.error ? saved.error.message : null)}
      dirty={canEdit && dirty}
      saving={save.isPending}
      onSave={() => void onSave()}
      onUndo={reset}
    >
      <Table data-testid="follow-up-levels">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Level</Table.Th>
            <Table.Th>Days past due</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Fee $</Table.Th>
            <Table.Th>Fee %</Table.Th>
            <Table.Th>Minimum $</Table.Th>
            <Table.Th>Grace days</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td><TextInput aria-label={`Level ${i + 1} days past due`} value={r.days} onChange={(e) => set(i, { days: e.currentTarget.value })} error={err(i, 'daysPastDue')} disabled={!canEdit} w={90} inputMode="numeric" /></Table.Td>
              <Table.Td>
                <Select aria-label={`Level ${i + 1} action`} data={DUNNING_ACTIONS.map((a) => ({ value: a, label: ACTION_LABEL[a] }))} value={r.action} allowDeselect={false} onChange={(v) => v && set(i, { action: v as DunningActionDto })} error={err(i, 'action')} disabled={!canEdit} w={210} />
              </Table.Td>
              <Table.Td><TextInput aria-label={`Level ${i + 1} fixed fee`} placeholder="0.00" value={r.fixed} onChange={(e) => set(i, { fixed: e.currentTarget.value })} error={err(i, 'feeFixedCents')} disabled={!canEdit} w={100} inputMode="decimal" /></Table.Td>
              <Table.Td><TextInput aria-label={`Level ${i + 1} fee percent`} placeholder="0" value={r.percent} onChange={(e) => set(i, { percent: e.currentTarget.value })} error={err(i, 'feePercentBp')} disabled={!canEdit} w={80} inputMode="decimal" /></Table.Td>
              <Table.Td><TextInput aria-label={`Level ${i + 1} minimum fee`} placeholder="0.00" value={r.minimum} onChange={(e) => set(i, { minimum: e.currentTarget.value })} error={err(i, 'feeMinimumCents')} disabled={!canEdit} w={100} inputMode="decimal" /></Table.Td>
              <Table.Td><TextInput aria-label={`Level ${i + 1} grace days`} placeholder="0" value={r.grace} onChange={(e) => set(i, { grace: e.currentTarget.value })} error={err(i, 'graceDays')} disabled={!canEdit} w={80} inputMode="numeric" /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" align="flex-end">
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={!canEdit || rows.length >= 20} onClick={() => setRows([...rows, { days: '', action: 'email', fixed: '', percent: '', minimum: '', grace: '' }])}>
            Add a level
          </Button>
          <Button variant="default" size="xs" disabled={!canEdit || rows.length === 0} onClick={() => setRows(rows.slice(0, -1))}>
            Remove the last level
          </Button>
        </Group>
        <Select
          label="Suspend the account at"
          description="Lifted when the account is paid current"
          data={[{ value: '', label: 'never' }, ...rows.map((_, i) => ({ value: String(i + 1), label: `level ${i + 1}` }))]}
          value={suspendAt ?? ''}
          onChange={(v) => setSuspendAt(v === '' || v === null ? null : v)}
          error={errors.suspendAtLevel}
          disabled={!canEdit}
          allowDeselect={false}
          w={220}
        />
      </Group>
      {!canEdit && <Text size="xs" c="dimmed">An administrator sets the follow-up levels.</Text>}
    </SettingsSection>
  );
}
