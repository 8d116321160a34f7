import type { QueryClient } from '@tanstack/react-query';
import type { ChannelName } from '../../../shared/contract';

/** Reads that no change to an account can change: asking them again would only cost (printers.list asks the print system). */
const NOT_FROM_THE_LEDGER: ReadonlySet<string> = new Set<ChannelName>(['app.info', 'auth.status', 'printers.list', 'settings.get']);

export interface Refresher {
  /** The ledger changed: every answer on screen is asked for again, now or once the writes on their way settle. */
  refresh(): void;
  stop(): void;
}

/**
 * What a live update does to the renderer's cache: it marks every ledger read stale, and the ones
 * on screen are asked again (TanStack Query keeps showing the old answer until the new one comes,
 * and no form's typed state lives in the cache). While a write is on its way (a payment being
 * submitted) nothing is asked again under it: the refresh waits until no write is pending, then
 * runs once however many changes came meanwhile.
 */
export function refresherFor(client: QueryClient): Refresher {
  let waiting: (() => void) | null = null;
  const refreshNow = () => void client.invalidateQueries({ predicate: (q) => !NOT_FROM_THE_LEDGER.has(String(q.queryKey[0])) });
  return {
    refresh() {
      if (client.isMutating() === 0) return refreshNow();
      if (waiting) return;
      waiting = client.getMutationCache().subscribe(() => {
        if (client.isMutating() > 0) return;
        waiting?.();
        waiting = null;
        refreshNow();
      });
    },
    stop() {
      waiting?.();
      waiting = null;
    },
  };
}
