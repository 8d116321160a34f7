import { keepPreviousData, useQueries } from '@tanstack/react-query';
import type { AgingCustomerRow, AgingWindow, AgingWindowInput } from '../../../../shared/contract/aging';
import type { AppError } from '../../../../shared/errors';
import { channelQuery } from '../../lib/queries';

/** Rows per request: a screenful or three, so scrolling asks main now and then, never for all 32,000. */
export const AGING_PAGE_ROWS = 100;

export type AgingWindowFilter = Omit<AgingWindowInput, 'offset' | 'limit'>;

export interface AgingWindows {
  /** The figures of the whole filtered set (count, totals), from the newest answer; undefined before the first. */
  summary: AgingWindow | undefined;
  /** The row at a place in the sorted, filtered list, or undefined while its page is on its way. */
  rowAt(index: number): AgingCustomerRow | undefined;
  /** Some page on screen answers an earlier filter or sort, or is on its way. */
  updating: boolean;
  error: AppError | undefined;
  reload(): void;
}

/**
 * The pages of main's aging window that cover rows `first`..`last` on screen (and the first page,
 * whose answer carries the count and totals). Each page is its own cached read, asked again when
 * the ledger changes like any other read.
 */
export function useAgingWindows(filter: AgingWindowFilter, first: number, last: number): AgingWindows {
  const pages = new Set<number>([0]);
  for (let p = Math.floor(Math.max(0, first) / AGING_PAGE_ROWS); p <= Math.floor(Math.max(0, last) / AGING_PAGE_ROWS); p++) pages.add(p);
  const numbers = [...pages].sort((a, b) => a - b);
  const results = useQueries({
    queries: numbers.map((p) => ({
      ...channelQuery('aging.window', { ...filter, offset: p * AGING_PAGE_ROWS, limit: AGING_PAGE_ROWS }),
      placeholderData: keepPreviousData,
    })),
  });
  const byPage = new Map<number, { data: AgingWindow | undefined }>();
  numbers.forEach((p, i) => byPage.set(p, { data: results[i]!.data }));
  const head = results[0]!;
  return {
    summary: head.data,
    rowAt(index) {
      const p = Math.floor(index / AGING_PAGE_ROWS);
      const data = byPage.get(p)?.data;
      // A page kept from before a scroll may be another page: only its own rows count.
      return data && data.offset === p * AGING_PAGE_ROWS ? data.rows[index - data.offset] : undefined;
    },
    updating: results.some((r) => r.isFetching || r.isPlaceholderData),
    error: results.find((r) => r.error)?.error ?? undefined,
    reload: () => void Promise.all(results.map((r) => r.refetch())),
  };
}
