import { Paper, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { AgingBasisKey, AgingCustomerRow, AgingSortColumn } from '../../../../shared/contract/aging';
import { AGING_COLUMNS } from '../../../../shared/aging-columns';
import { FitFigure } from '../../components/FitFigure';
import { Empty } from '../../components/states';
import { navigate } from '../../lib/router';
import { useFormat, useSettings } from '../../lib/settings';
import { DisputedAmount } from './DisputedAmount';
import classes from './AgingScreen.module.css';

export type SortState = { key: AgingSortColumn; dir: 'asc' | 'desc' };

const ROW_HEIGHT = 36;

/**
 * The virtualized grid over main's windows: `count` rows tall, drawing only those in view (and
 * asking for their page through `rowAt`/`onRange`). Its own component, so scrolling re-renders the
 * rows and not the controls and totals above it. The list scrolls by keyboard when focused
 * (arrows, Page Up/Down, Home, End); Tab goes through the account links of the rows in view.
 */
export function AgingTable({
  count,
  allCount,
  rowAt,
  onRange,
  asOf,
  basis,
  sort,
  onSort,
  filtered,
}: {
  count: number;
  allCount: number;
  rowAt(index: number): AgingCustomerRow | undefined;
  onRange(first: number, last: number): void;
  asOf: string;
  basis: AgingBasisKey;
  sort: SortState;
  onSort(key: AgingSortColumn): void;
  filtered: boolean;
}) {
  const { settings } = useSettings();
  const format = useFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => onRange(first, last), [first, last, onRange]);
  // A new sort or filter starts at the top of its list.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sort.key, sort.dir]);

  return (
    <Paper withBorder className={classes.table} style={{ flex: 1, minHeight: 240 }}>
      <div
        ref={scrollRef}
        className={classes.scroll}
        data-testid="aging-scroll"
        role="table"
        tabIndex={0}
        aria-label="Aging by customer"
        aria-rowcount={count + 1}
        style={count === 0 ? { flex: '0 0 auto' } : undefined}
      >
        <div role="rowgroup" className={classes.stickyHead}>
          <div role="row" className={`${classes.row} ${classes.head}`} aria-rowindex={1}>
            {AGING_COLUMNS.map((c) => {
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
        {count > 0 && (
          <div role="rowgroup" data-testid="aging-rows" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const r = rowAt(item.index);
              return r ? (
                <AgingRowView key={r.customer_number} row={r} index={item.index} start={item.start} asOf={asOf} basis={basis} />
              ) : (
                <PendingRow key={`pending-${item.index}`} index={item.index} start={item.start} />
              );
            })}
          </div>
        )}
      </div>
      {count === 0 && (
        <Empty title={allCount === 0 ? 'Nothing is owed' : 'No customer matches the filter'}>
          {allCount === 0
            ? `No customer has an open balance or unapplied credit as of ${format.date(asOf)}.`
            : 'Clear the filter text or turn off “Past due only”.'}
        </Empty>
      )}
      <Text size="xs" c="dimmed" px="md" py={6} className={classes.footer} role="status">
        Showing {count.toLocaleString(settings.numberFormat)} of {allCount.toLocaleString(settings.numberFormat)} customers
        {filtered ? ' (filtered)' : ''}. Click a row to open the account.
      </Text>
    </Paper>
  );
}

const rowStyle = (start: number) =>
  ({ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${start}px)` }) as const;

function PendingRow({ index, start }: { index: number; start: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy className={`${classes.row} ${classes.pending}`} style={rowStyle(start)}>
      <div role="cell">…</div>
    </div>
  );
}

const AgingRowView = memo(function AgingRowView({
  row: r,
  index,
  start,
  asOf,
  basis,
}: {
  row: AgingCustomerRow;
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
      style={rowStyle(start)}
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
      {AGING_COLUMNS.slice(2).map((c) => {
        const cents = r[c.key] as number;
        // Only the long-overdue buckets are flagged in the grid, so the eye goes to the accounts that need a call.
        const danger = (c.key === 'days_61_90' || c.key === 'days_over_90') && cents > 0;
        return (
          <div
            key={c.key}
            role="cell"
            className={`num ${classes.money}`}
            data-zero={cents === 0 || undefined}
            data-danger={danger || undefined}
            data-strong={c.key === 'total' || undefined}
          >
            {c.key === 'disputed_cents' && cents > 0 ? (
              <DisputedAmount customerNumber={r.customer_number} cents={cents} asOf={asOf} basis={basis} />
            ) : cents === 0 ? (
              '—'
            ) : (
              <FitFigure text={format.money(cents)} />
            )}
          </div>
        );
      })}
    </div>
  );
});
