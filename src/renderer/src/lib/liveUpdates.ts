import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { LEDGER_CHANGED, type LedgerChangeBatch } from '../../../shared/changes';
import { bridgeToken, preloadLedgerEvents } from './api';
import { holdRefreshes, refresherFor } from './refreshOnChange';

/**
 * Live updates: when the ledger changes (at this workstation or another), main says so, and every
 * answer on screen is asked for again (refreshOnChange.ts). Coarse on purpose: a notice names
 * accounts by id while the screens ask by customer number, and a refetch of what is on screen is cheap.
 */

/** How long a quiet event stream is trusted: the bridge sends a heartbeat every 15 s. */
const SILENCE_MS = 45_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

export interface LiveUpdatesOptions {
  /** Each batch main sent, after the refresh was asked for. */
  onBatch?(batch: LedgerChangeBatch | null): void;
}

/** Follows main's live updates through whichever transport there is (the preload, or the bridge's GET /events); returns the stop. */
export function followLedgerChanges(client: QueryClient, options: LiveUpdatesOptions = {}): () => void {
  const refresher = refresherFor(client);
  const onChange = (batch: LedgerChangeBatch | null) => {
    refresher.refresh();
    options.onBatch?.(batch);
  };
  const subscribe = preloadLedgerEvents();
  const stop = subscribe ? subscribe(onChange) : followBridgeEvents(onChange);
  return () => {
    stop();
    refresher.stop();
  };
}

/** While `active`, live updates do not refresh anything (they do once it ends): see holdRefreshes. */
export function useHoldRefreshes(active: boolean): void {
  const client = useQueryClient();
  useEffect(() => (active ? holdRefreshes(client) : undefined), [client, active]);
}

/** The event name of one server-sent event block ('message' when it names none), or null for a comment. */
function eventOf(block: string): string | null {
  let name: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:') && name === null) name = 'message';
  }
  return name;
}

function batchOf(block: string): LedgerChangeBatch | null {
  const data = block.split(/\r?\n/).find((l) => l.startsWith('data:'));
  try {
    return data ? (JSON.parse(data.slice(5)) as LedgerChangeBatch) : null;
  } catch {
    return null;
  }
}

/**
 * GET /events with the bridge's token in its header (an EventSource cannot send one), read as a
 * stream. A dropped or silent stream is opened again after a pause that doubles up to 5 s; each
 * reconnection counts as a change, since whatever changed meanwhile was not told.
 */
function followBridgeEvents(onChange: (batch: LedgerChangeBatch | null) => void): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = FIRST_RETRY_MS;
  let connectedBefore = false;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const aborter = new AbortController();
    controller = aborter;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => aborter.abort(), SILENCE_MS);
    };
    try {
      const res = await fetch('/events', { headers: { 'x-ar-desk-token': bridgeToken() }, signal: aborter.signal, cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`The bridge answered ${res.status}`);
      heard();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heard();
        buffered += value;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = eventOf(block);
          if (event === 'ready') {
            retryMs = FIRST_RETRY_MS;
            if (connectedBefore) onChange(null);
            connectedBefore = true;
          } else if (event === LEDGER_CHANGED) {
            onChange(batchOf(block));
          }
        }
      }
    } catch {
      // Closed, refused or cut: opened again below.
    } finally {
      clearTimeout(silence);
    }
    if (stopped) return;
    retry = setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    controller?.abort();
  };
}
