import type { ChannelName } from '../../../shared/contract';

/**
 * The part of TanStack Query's QueryClient a refresh uses, written out so this file (and its unit
 * test, in the Node project) does not pull React's types in.
 */
export interface QueryClient {
  invalidateQueries(filters: { predicate(query: { queryKey: readonly unknown[] }): boolean }): Promise<void>;
  isMutating(): number;
  getMutationCache(): { subscribe(listener: () => void): () => void };
}

/**
 * Reads that no change to the ledger can change: asking them again would only cost (printers.list
 * asks the print system). settings.get is asked again: the office's settings are the ledger's record.
 */
const NOT_FROM_THE_LEDGER: ReadonlySet<string> = new Set<ChannelName>(['app.info', 'auth.status', 'printers.list']);

export interface Refresher {
  /** The ledger changed: every answer on screen is asked for again, now or once nothing holds it back. */
  refresh(): void;
  stop(): void;
}

interface Holds {
  count: number;
  /** Called whenever the last hold goes. */
  released: Set<() => void>;
}
const holdsOf = new WeakMap<QueryClient, Holds>();

function holds(client: QueryClient): Holds {
  let h = holdsOf.get(client);
  if (!h) holdsOf.set(client, (h = { count: 0, released: new Set() }));
  return h;
}

/**
 * Holds live refreshes back until the returned release is called: for a screen whose figures must
 * not change under the clerk, as the payment screen while the amount is read back to the customer.
 * Main checks the figures again when the payment is sent, so nothing stale is ever charged.
 */
export function holdRefreshes(client: QueryClient): () => void {
  const h = holds(client);
  h.count++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    h.count--;
    if (h.count === 0) for (const fn of [...h.released]) fn();
  };
}

/**
 * What a live update does to the renderer's cache: it marks every ledger read stale, and the ones
 * on screen are asked again (TanStack Query keeps showing the old answer until the new one comes,
 * and no form's typed state lives in the cache). While a write is on its way (a payment being
 * submitted) or a screen holds refreshes back, nothing is asked again: the refresh waits, then runs
 * once however many changes came meanwhile.
 */
export function refresherFor(client: QueryClient): Refresher {
  const h = holds(client);
  let owed = false;
  const refreshNow = () => void client.invalidateQueries({ predicate: (q) => !NOT_FROM_THE_LEDGER.has(String(q.queryKey[0])) });
  const whenFree = () => {
    if (!owed || h.count > 0 || client.isMutating() > 0) return;
    owed = false;
    refreshNow();
  };
  const unsubscribe = client.getMutationCache().subscribe(whenFree);
  h.released.add(whenFree);
  return {
    refresh() {
      owed = true;
      whenFree();
    },
    stop() {
      unsubscribe();
      h.released.delete(whenFree);
    },
  };
}
