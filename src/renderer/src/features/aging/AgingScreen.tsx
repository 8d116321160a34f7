import { Button, Group, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import type { AgingSortColumn } from '../../../../shared/contract/aging';
import { LOOKUP_MAX_QUERY_LENGTH, LOOKUP_TYPING_PAUSE_MS } from '../../../../shared/contract/lookup';
import type { AppError } from '../../../../shared/errors';
import { toAppError } from '../../lib/api';
import { parseDisplayDate } from '../../lib/format';
import { useFormat, useSettings } from '../../lib/settings';
import { AgingBuckets } from '../../components/AgingBuckets';
import { ErrorNotice, Loading } from '../../components/states';
import { downloadText } from '../../lib/download';
import { agingCsv, allAgingRows } from './agingCsv';
import { AGING_COLUMNS } from '../../../../shared/aging-columns';
import { AgingTable, type SortState } from './AgingTable';
import { useAgingWindows, type AgingWindowFilter } from './useAgingWindows';

type Basis = 'due' | 'invoice';

/**
 * Invoice aging by customer. Main keeps the report's rows and answers windows of them, sorted and
 * filtered, with the count and totals of everything the filter keeps: the screen holds only the
 * pages in view, however many customers owe.
 */
export function AgingScreen() {
  const { settings } = useSettings();
  const format = useFormat();
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const [basis, setBasis] = useState<Basis>('due');
  const [search, setSearch] = useState('');
  const [pastDueOnly, setPastDueOnly] = useState(false);
  const [sort, setSort] = useState<SortState>({ key: 'total', dir: 'desc' });
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [exportError, setExportError] = useState<AppError | null>(null);
  // Main matches the text as the lookup box does (accents, words in any order); Enter asks at once.
  const [debouncedSearch, , { flush: flushSearch }] = useDebouncedValue(search.trim(), LOOKUP_TYPING_PAUSE_MS);
  const filter: AgingWindowFilter = {
    ...(asOf ? { asOf } : {}),
    basis,
    ...(debouncedSearch ? { customer: debouncedSearch } : {}),
    ...(pastDueOnly ? { pastDueOnly: true } : {}),
    sort: sort.key,
    dir: sort.dir,
  };
  const windows = useAgingWindows(filter, range[0], range[1]);
  // While another date, sort or filter loads, the last answer stays in view, marked as updating; it carries its own date.
  const data = windows.summary;
  const onRange = useCallback((first: number, last: number) => setRange((r) => (r[0] === first && r[1] === last ? r : [first, last])), []);

  const toggleSort = (key: AgingSortColumn) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: AGING_COLUMNS.find((c) => c.key === key)!.money ? 'desc' : 'asc' }));

  const matching = debouncedSearch;
  const filtered = pastDueOnly || matching !== '';

  const exportCsv = async () => {
    if (!data) return;
    setExportError(null);
    try {
      // The date and basis of the rows on screen, so every page of the file is of the same report.
      const rows = await allAgingRows({ ...filter, asOf: data.asOf, basis: data.basis });
      downloadText(`aging-${data.asOf}-${data.basis}.csv`, agingCsv(rows, settings.exportFormat), 'text/csv;charset=utf-8');
    } catch (e) {
      setExportError(toAppError(e));
    }
  };

  return (
    <Stack gap="md" h="calc(100dvh - 52px - 36px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Invoice aging</Title>
        <Button variant="default" onClick={() => void exportCsv()} disabled={!data || data.count === 0}>
          Export CSV{data ? ` (${data.count.toLocaleString(settings.numberFormat)} rows)` : ''}
        </Button>
      </Group>
      <Group align="flex-end" gap="md">
        <DateInput
          label="As of"
          value={asOf ?? data?.asOf ?? null}
          onChange={(v) => setAsOf(v ?? undefined)}
          valueFormat={settings.dateFormat}
          dateParser={(text) => parseDisplayDate(text, settings.dateFormat)}
          w={170}
          popoverProps={{ withinPortal: true }}
          data-testid="aging-as-of"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="aging-basis-label">
            Age by
          </Text>
          <SegmentedControl
            aria-labelledby="aging-basis-label"
            value={basis}
            onChange={(v) => setBasis(v as Basis)}
            data={[
              { value: 'due', label: 'Due date' },
              { value: 'invoice', label: 'Invoice date' },
            ]}
          />
        </Stack>
        <TextInput
          label="Filter customers"
          placeholder="Number, name, contact or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => (e.key === 'Enter' ? flushSearch() : undefined)}
          maxLength={LOOKUP_MAX_QUERY_LENGTH}
          w={280}
        />
        <Switch label="Past due only" checked={pastDueOnly} onChange={(e) => setPastDueOnly(e.currentTarget.checked)} mb={8} />
      </Group>

      {windows.error && <ErrorNotice title="The aging report could not be produced" error={windows.error} onRetry={windows.reload} />}
      {exportError && <ErrorNotice title="The CSV could not be made" error={exportError} />}
      {!data && !windows.error && <Loading what="the aging report" />}

      {data && (
        <>
          <AgingBuckets
            amounts={data.totals}
            label={`Totals for ${filtered ? 'the customers found' : 'all customers'} as of ${format.date(data.asOf)}`}
            extra={{ label: 'Unapplied money', cents: data.totals.unapplied_credits_cents }}
          />
          <Text size="xs" c="dimmed" mt={-8} data-testid="aging-summary" data-updating={windows.updating || undefined}>
            Totals for {filtered ? 'the' : 'all'} {data.count.toLocaleString(settings.numberFormat)} {filtered && data.count === 1 ? 'customer' : 'customers'} with a
            balance
            {matching ? ` matching “${matching}”` : ''}
            {pastDueOnly ? ', past due' : ''}, as of {format.date(data.asOf)}, aged by {data.basis === 'due' ? 'due date' : 'invoice date'}
            {windows.updating ? ' — updating…' : ''}.
          </Text>
          <AgingTable
            count={data.count}
            allCount={data.allCount}
            rowAt={windows.rowAt}
            onRange={onRange}
            asOf={data.asOf}
            basis={data.basis}
            sort={sort}
            onSort={toggleSort}
            filtered={filtered}
          />
        </>
      )}
    </Stack>
  );
}
