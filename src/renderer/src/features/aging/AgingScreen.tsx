import { Button, Group, Paper, SegmentedControl, Stack, Switch, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';
import type { AgingBasisKey, AgingCustomerRow } from '../../../../shared/contract/aging';
import { LOOKUP_MAX_QUERY_LENGTH } from '../../../../shared/contract/lookup';
import { parseDisplayDate } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useFormat, useSettings } from '../../lib/settings';
import { useChannel } from '../../lib/queries';
import { AgingBuckets } from '../../components/AgingBuckets';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { downloadText } from '../../lib/download';
import { agingCsv } from './agingCsv';
import { DisputedAmount } from './DisputedAmount';
import classes from './AgingScreen.module.css';

type AgingRow = AgingCustomerRow;
type Basis = 'due' | 'invoice';

type SortKey =
  | 'customer_number'
  | 'legal_name'
  | 'current'
  | 'days_1_30'
  | 'days_31_60'
  | 'days_61_90'
  | 'days_over_90'
  | 'total'
  | 'unapplied_credits_cents'
  | 'disputed_cents';

const COLUMNS: { key: SortKey; label: string; money: boolean }[] = [
  { key: 'customer_number', label: 'Number', money: false },
  { key: 'legal_name', label: 'Legal name', money: false },
  { key: 'current', label: 'Current', money: true },
  { key: 'days_1_30', label: '1–30', money: true },
  { key: 'days_31_60', label: '31–60', money: true },
  { key: 'days_61_90', label: '61–90', money: true },
  { key: 'days_over_90', label: 'Over 90', money: true },
  { key: 'total', label: 'Total', money: true },
  { key: 'unapplied_credits_cents', label: 'Unapplied', money: true },
  { key: 'disputed_cents', label: 'Disputed', money: true },
];

const ROW_HEIGHT = 36;

function isPastDue(r: AgingRow): boolean {
  return r.days_1_30 > 0 || r.days_31_60 > 0 || r.days_61_90 > 0 || r.days_over_90 > 0;
}

export function AgingScreen() {
  const { settings } = useSettings();
  const format = useFormat();
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const [basis, setBasis] = useState<Basis>('due');
  const [search, setSearch] = useState('');
  const [pastDueOnly, setPastDueOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'total', dir: 'desc' });
  // Main matches the text as the lookup box does (accents, words in any order); the report comes back filtered.
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const report = useChannel('aging.report', { ...(asOf ? { asOf } : {}), basis, ...(debouncedSearch ? { customer: debouncedSearch } : {}) });
  // While another date or basis loads, the last report stays in view, marked as updating; it carries its own date.
  const data = report.data ?? report.previous;

  const rows = useMemo(() => {
    if (!data) return [];
    const filtered = data.customers.filter((r) => !pastDueOnly || isPastDue(r));
    const { key, dir } = sort;
    const sign = dir === 'asc' ? 1 : -1;
    const collator = new Intl.Collator(settings.numberFormat, { sensitivity: 'base', numeric: true });
    return filtered.sort((a, b) => {
      const av = a[key];
      const bv = b[key];
      const c = typeof av === 'number' && typeof bv === 'number' ? av - bv : collator.compare(String(av), String(bv));
      return c !== 0 ? sign * c : collator.compare(a.customer_number, b.customer_number);
    });
  }, [data, pastDueOnly, sort, settings.numberFormat]);

  const toggleSort = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: COLUMNS.find((c) => c.key === key)!.money ? 'desc' : 'asc' }));

  // The text the rows on screen were found with (the report in view may still be the one before it).
  const matching = report.data ? debouncedSearch : '';

  const exportCsv = () => {
    if (!data) return;
    const text = agingCsv(rows, settings.exportFormat);
    downloadText(`aging-${data.asOf}-${data.basis}.csv`, text, 'text/csv;charset=utf-8');
  };

  return (
    <Stack gap="md" h="calc(100dvh - 52px - 36px - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Invoice aging</Title>
        <Button variant="default" onClick={exportCsv} disabled={!data || rows.length === 0}>
          Export CSV{data ? ` (${rows.length.toLocaleString(settings.numberFormat)} rows)` : ''}
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
          maxLength={LOOKUP_MAX_QUERY_LENGTH}
          w={280}
        />
        <Switch label="Past due only" checked={pastDueOnly} onChange={(e) => setPastDueOnly(e.currentTarget.checked)} mb={8} />
      </Group>

      {report.error && <ErrorNotice title="The aging report could not be produced" error={report.error} onRetry={report.reload} />}
      {!data && !report.error && <Loading what="the aging report" />}

      {data && (
        <>
          <AgingBuckets
            amounts={data.totals}
            label={`Totals for ${matching ? 'the customers found' : 'all customers'} as of ${format.date(data.asOf)}`}
            extra={{ label: 'Unapplied money', cents: data.totals.unapplied_credits_cents }}
          />
          <Text size="xs" c="dimmed" mt={-8}>
            Totals for {matching ? 'the' : 'all'} {data.customers.length.toLocaleString(settings.numberFormat)}{' '}
            {matching && data.customers.length === 1 ? 'customer' : 'customers'} with a balance
            {matching ? ` matching “${matching}”` : ''}, as of{' '}
            {format.date(data.asOf)}, aged by {data.basis === 'due' ? 'due date' : 'invoice date'}
            {report.loading ? ' — updating…' : ''}.
          </Text>
          <AgingTable
            rows={rows}
            total={data.customers.length}
            asOf={data.asOf}
            basis={data.basis}
            sort={sort}
            onSort={toggleSort}
            filtered={pastDueOnly || matching !== ''}
          />
        </>
      )}
    </Stack>
  );
}

/**
 * The virtualized grid. Its own component, so scrolling re-renders only the rows in view and
 * not the controls and totals above it.
 */
function AgingTable({
  rows,
  total,
  asOf,
  basis,
  sort,
  onSort,
  filtered,
}: {
  rows: AgingRow[];
  total: number;
  asOf: string;
  basis: AgingBasisKey;
  sort: { key: SortKey; dir: 'asc' | 'desc' };
  onSort(key: SortKey): void;
  filtered: boolean;
}) {
  const { settings } = useSettings();
  const format = useFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  return (
    <Paper withBorder className={classes.table} style={{ flex: 1, minHeight: 240 }}>
      <div
        ref={scrollRef}
        className={classes.scroll}
        data-testid="aging-scroll"
        role="table"
        aria-label="Aging by customer"
        aria-rowcount={rows.length + 1}
        style={rows.length === 0 ? { flex: '0 0 auto' } : undefined}
      >
        <div role="rowgroup" className={classes.stickyHead}>
          <div role="row" className={`${classes.row} ${classes.head}`} aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={c.money ? 'num' : undefined}
                >
                  <UnstyledButton className={classes.sortButton} onClick={() => onSort(c.key)} data-active={active || undefined}>
                    {c.label}
                    <span aria-hidden className={classes.sortMark}>
                      {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </UnstyledButton>
                </div>
              );
            })}
          </div>
        </div>
        {rows.length > 0 && (
          <div role="rowgroup" data-testid="aging-rows" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const r = rows[item.index]!;
              return <AgingRowView key={r.customer_number} row={r} index={item.index} start={item.start} asOf={asOf} basis={basis} />;
            })}
          </div>
        )}
      </div>
      {rows.length === 0 && (
        <Empty title={total === 0 ? 'Nothing is owed' : 'No customer matches the filter'}>
          {total === 0
            ? `No customer has an open balance or unapplied credit as of ${format.date(asOf)}.`
            : 'Clear the filter text or turn off “Past due only”.'}
        </Empty>
      )}
      <Text size="xs" c="dimmed" px="md" py={6} className={classes.footer} role="status">
        Showing {rows.length.toLocaleString(settings.numberFormat)} of {total.toLocaleString(settings.numberFormat)} customers
        {filtered ? ' (filtered)' : ''}. Click a row to open the account.
      </Text>
    </Paper>
  );
}

const AgingRowView = memo(function AgingRowView({
  row: r,
  index,
  start,
  asOf,
  basis,
}: {
  row: AgingRow;
  index: number;
  start: number;
  asOf: string;
  basis: AgingBasisKey;
}) {
  const format = useFormat();
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      data-testid="aging-row"
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => navigate('customers', r.customer_number)}
    >
      <div role="cell">
        <a href={`#/customers/${encodeURIComponent(r.customer_number)}`} className={classes.link} onClick={(e) => e.stopPropagation()}>
          {r.customer_number}
        </a>
      </div>
      <div role="cell" className={classes.name} title={r.legal_name}>
        {r.legal_name}
      </div>
      {COLUMNS.slice(2).map((c) => {
        const cents = r[c.key] as number;
        // Only the long-overdue buckets are flagged in the grid, so the eye goes to the accounts that need a call.
        const danger = (c.key === 'days_61_90' || c.key === 'days_over_90') && cents > 0;
        return (
          <div key={c.key} role="cell" className="num" data-zero={cents === 0 || undefined} data-danger={danger || undefined} data-strong={c.key === 'total' || undefined}>
            {c.key === 'disputed_cents' && cents > 0 ? (
              <DisputedAmount customerNumber={r.customer_number} cents={cents} asOf={asOf} basis={basis} />
            ) : cents === 0 ? (
              '—'
            ) : (
              format.money(cents)
            )}
          </div>
        );
      })}
    </div>
  );
});
