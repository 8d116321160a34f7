import { keepPreviousData, MutationCache, QueryClient, useMutation, useQuery, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { call, toAppError } from './api';

declare module '@tanstack/react-query' {
  interface Register {
    /** Every query and write fails with an AppError: `call` and toAppError make sure of it. */
    defaultError: AppError;
    mutationMeta: { invalidates: readonly ChannelName[] };
  }
}

/** Reads of the ledger: a payment, a void or refund, or a change to a customer can change any of them. */
export const LEDGER_READS = [
  'customers.account',
  'aging.customer',
  'aging.report',
  'aging.window',
  'lookup.search',
  'payments.quote',
  'payments.list',
  'payments.recent',
  'payments.search',
  'payments.get',
  'invoices.get',
  'corrections.history',
  'notes.list',
  'disputes.list',
  'autopay.get',
  'collections.worklist',
] as const satisfies readonly ChannelName[];
export const PAYMENT_METHOD_READS = ['paymentMethods.list'] as const satisfies readonly ChannelName[];
export const DOCUMENT_READS = ['documents.outbox', 'documents.printJobs'] as const satisfies readonly ChannelName[];
export const SETTINGS_READS = ['settings.get'] as const satisfies readonly ChannelName[];

/** The typed call, its failure always an AppError (as the Register above promises). */
function ask<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  return call(channel, input).catch((e: unknown) => Promise.reject(toAppError(e)));
}

function channelKey<K extends ChannelName>(channel: K, input: ChannelInput<K> | null): QueryKey {
  return [channel, input];
}

/** A read's key and function for TanStack's own hooks (useQueries), keyed as useChannel keys it so invalidation reaches it. */
export function channelQuery<K extends ChannelName>(channel: K, input: ChannelInput<K>) {
  return { queryKey: channelKey(channel, input), queryFn: () => ask(channel, input) };
}

/** Marks every answer of these channels stale; the ones on screen are asked again at once. */
export function invalidate(client: QueryClient, channels: readonly ChannelName[]): Promise<void> {
  return Promise.all(channels.map((c) => client.invalidateQueries({ queryKey: [c] }))).then(() => undefined);
}

/**
 * The renderer's one cache of main's answers.
 *
 * Retries are off: a failed call is an AppError that says why (not found, refused, invalid), which a
 * second try does not change, and main is on this computer (or the bridge on 127.0.0.1), not across
 * a network that drops packets. The clerk sees the error at once, with Try again where it helps.
 *
 * Refetching on window focus and on reconnect is off: a clerk who switches to the phone system and
 * back in the middle of a payment must not have the invoices, the quote or the payment methods reload
 * under the cursor. Answers are asked for when a screen opens (an answer is stale at once, so every
 * visit asks again), after a write that names them, on a screen's own timer, on Try again, or when main
 * says the ledger changed (liveUpdates.ts: here or at another workstation, never while a write is on its way).
 *
 * A write names the reads it makes stale (`useWrite(..., { invalidates })`); they are invalidated when
 * it settles, failed or not, since a refused write (a CONFLICT) usually means the screen is out of date.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onSettled: (_data, _error, _input, _context, mutation) => {
        const stale = mutation.meta?.invalidates;
        if (stale) void invalidate(client, stale);
      },
    }),
  });
  return client;
}

export interface ChannelQuery<T> {
  /** The answer to exactly the current input, once it has arrived. */
  data: T | undefined;
  /**
   * While the current input's answer is on its way, the answer to the input before it: for showing
   * (dimmed, or marked as updating), never for acting on as the current one. This is the one rule for
   * stale answers: an answer belongs to the input it answers.
   */
  previous: T | undefined;
  error: AppError | undefined;
  /** A request for the current input is on its way (the first one, or a refresh). */
  loading: boolean;
  reload(): void;
}

/**
 * How often (ms) a screen asks again on its own; a function decides from the last answer (undefined
 * before the first), false to stop asking, e.g. once a followed print job is done.
 */
export type RefreshEvery<T> = number | ((data: T | undefined) => number | false);

/**
 * Reads a channel through the cache; asks again when the input (compared by value) changes. A null
 * input asks nothing. `refreshEvery` asks again on a timer, for lists that change on their own.
 */
export function useChannel<K extends ChannelName>(
  channel: K,
  input: ChannelInput<K> | null,
  options: { refreshEvery?: RefreshEvery<ChannelOutput<K>> } = {},
): ChannelQuery<ChannelOutput<K>> {
  const every = options.refreshEvery;
  const query = useQuery({
    queryKey: channelKey(channel, input),
    queryFn: () => ask(channel, input as ChannelInput<K>),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    ...(every
      ? {
          refetchInterval: typeof every === 'function' ? (q: { state: { data: ChannelOutput<K> | undefined } }) => every(q.state.data) : every,
          refetchIntervalInBackground: true,
        }
      : {}),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.isPlaceholderData ? undefined : query.data,
    previous: query.isPlaceholderData ? query.data : undefined,
    error: query.error ?? undefined,
    loading: query.isFetching,
    reload,
  };
}

/** Reads a channel through the cache from an event handler: a fresh answer, shared with any screen asking the same. */
export function fetchChannel<K extends ChannelName>(client: QueryClient, channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  return client.fetchQuery({ queryKey: channelKey(channel, input), queryFn: () => ask(channel, input) });
}

/** A write through a channel; when it settles, the reads it names are asked again. */
export function useWrite<K extends ChannelName>(channel: K, options: { invalidates: readonly ChannelName[] }) {
  return useMutation({
    mutationFn: (input: ChannelInput<K>) => ask(channel, input),
    meta: { invalidates: options.invalidates },
  });
}
