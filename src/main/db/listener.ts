import pg from 'pg';
import type { PostgresTarget } from './postgres';

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel: not one of the pool's, which come
 * and go and would drop the LISTEN with them. When it is lost (a server restart, a network cut, an
 * administrator ending it) it is made again after a pause that doubles up to a cap, and `connected`
 * is called again: what was announced meanwhile went nowhere, so the caller reads it from its table.
 */

export interface ListenEvents {
  /** A NOTIFY on the channel, with its payload. */
  notified(payload: string): void;
  /** LISTEN is in place: the first time and after every reconnect. */
  connected(): void;
  /** The connection was lost or could not be made; it is tried again in `retryInMs`. */
  lost(error: unknown, retryInMs: number): void;
}

export interface ListenOptions {
  /** How the connection shows in pg_stat_activity. */
  applicationName?: string;
  /** The first pause before connecting again; it doubles after each failure. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export interface Listener {
  /** LISTEN is in place now. */
  readonly connected: boolean;
  close(): Promise<void>;
}

export function listenOn(target: PostgresTarget, channel: string, events: ListenEvents, options: ListenOptions = {}): Listener {
  const firstRetryMs = options.firstRetryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  let retryMs = firstRetryMs;
  let closed = false;
  let connected = false;
  let client: pg.Client | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = async (): Promise<void> => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({
      connectionString: target.url,
      application_name: options.applicationName ?? 'ar-desk-changes',
      connectionTimeoutMillis: 10_000,
      // A connection cut without a word (a sleeping laptop, a dropped cable) is noticed by TCP keep-alive.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = c;
    let gone = false;
    const lose = (error: unknown): void => {
      if (gone) return;
      gone = true;
      connected = false;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      if (closed) return;
      const wait = retryMs;
      retryMs = Math.min(retryMs * 2, maxRetryMs);
      events.lost(error, wait);
      timer = setTimeout(() => void connect(), wait);
    };
    c.on('error', lose);
    c.on('end', () => lose(new Error('The listening connection to the database server ended.')));
    c.on('notification', (m) => {
      if (m.channel === channel) events.notified(m.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    } catch (e) {
      lose(e);
      return;
    }
    if (gone || closed) return;
    connected = true;
    retryMs = firstRetryMs;
    events.connected();
  };

  void connect();
  return {
    get connected() {
      return connected;
    },
    close: async () => {
      closed = true;
      connected = false;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
