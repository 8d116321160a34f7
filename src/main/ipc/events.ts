import type http from 'node:http';
import { LEDGER_CHANGED } from '../../shared/changes';
import type { ChangeFeed } from '../ledger/changes';

/** A comment line every so often keeps the stream open through idle periods and lets the page see it is alive. */
export const HEARTBEAT_MS = 15_000;

export interface EventStreams {
  /** Answers one GET /events, already checked by the bridge, with a stream of server-sent events. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Ends every open stream (the bridge is closing). */
  closeAll(): void;
}

/**
 * The bridge's live updates as server-sent events: `ready` once connected (so a page that
 * reconnects knows to ask again for what it shows), then one `ledger:changed` event per batch of
 * the change feed, its data the batch as JSON (ids only), and a heartbeat comment every
 * `heartbeatMs`.
 */
export function eventStreams(feed: ChangeFeed, options: { heartbeatMs?: number } = {}): EventStreams {
  const open = new Set<http.ServerResponse>();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  return {
    serve(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // The connection ends with the stream, so closing the bridge never waits for it to idle out.
        connection: 'close',
        'x-content-type-options': 'nosniff',
      });
      res.flushHeaders();
      req.socket.setNoDelay(true);
      open.add(res);
      const send = (text: string) => {
        if (!res.writableEnded) res.write(text);
      };
      const unsubscribe = feed.subscribe((batch) => {
        send(`id: ${batch.lastId}\nevent: ${LEDGER_CHANGED}\ndata: ${JSON.stringify(batch)}\n\n`);
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      };
      req.on('close', end);
      res.on('close', end);
      // Told once the feed knows where it starts, so a change made after `ready` is never missed.
      void feed
        .ready()
        .catch(() => undefined)
        .then(() => send(`retry: 2000\nevent: ready\ndata: {}\n\n`));
    },
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}
