import type { LedgerChangeBatch } from '../../shared/changes';
import type { Ledger } from '../db/connection';
import { CHANGES_CHANNEL, changesAfter, changesWithIds, latestChangeId, pruneChanges, recentChangeIds, type ChangeRow } from '../db/change-log';
import type { Listener, ListenOptions } from '../db/listener';
import type { Logger } from '../log';

/**
 * The change feed: tells this process's screens (Electron windows, bridge pages) when the ledger
 * changed, whoever changed it, within a second or two.
 *
 * - SQLite: the change log is read every `pollMs` (a range on its primary key, usually empty), so
 *   windows and processes on the same file see each other's changes.
 * - PostgreSQL: a dedicated connection LISTENs for the triggers' NOTIFY and the log is read when
 *   one arrives. When that connection is lost it is made again (db/listener.ts) and the log is read
 *   from the last id seen, so nothing committed meanwhile is missed; a slow poll backs both up.
 *   Ids are handed out before commit there, so a transaction that commits after a later one leaves
 *   a gap for a while: skipped ids are looked for again until they turn up or `gapWaitMs` passes
 *   (a rolled-back transaction's id never turns up).
 *
 * It starts with its first subscriber (the CLI's one-off commands never open the connection) and
 * runs until close(). Rows older than `keepHours` are pruned now and then.
 */

export interface ChangeFeedOptions {
  /** SQLite: how often the log is read. */
  pollMs?: number;
  /** PostgreSQL: how often the log is read besides the notifications. */
  safetyPollMs?: number;
  /** One transaction's notifications arrive together at its commit: they are gathered into one read. */
  gatherMs?: number;
  pruneEveryMs?: number;
  keepHours?: number;
  gapWaitMs?: number;
  /** The listening connection's name and reconnect pauses. */
  listener?: ListenOptions;
}

export interface ChangeFeedState {
  started: boolean;
  /** PostgreSQL: LISTEN is in place; null on SQLite. */
  listening: boolean | null;
  lastId: number;
  /** How many times the listening connection was made again. */
  reconnects: number;
  /** Ids skipped and still looked for. */
  gaps: number;
}

export type ChangeListener = (batch: LedgerChangeBatch) => void;

export interface ChangeFeed {
  /** Calls `listener` with each batch of changes from now on; returns the unsubscribe. Starts the feed. */
  subscribe(listener: ChangeListener): () => void;
  /**
   * Calls `observer` with each batch before the subscribers hear of it, and waits for it (main's own
   * copies, as the office settings, are fresh when a screen asks again). Does not start the feed.
   */
  observe(observer: (batch: LedgerChangeBatch) => Promise<void> | void): () => void;
  /** Resolves once the feed has started (it knows the newest change); starts it if need be. */
  ready(): Promise<void>;
  /** Reads the log now instead of at the next poll or notification. */
  check(): Promise<void>;
  state(): ChangeFeedState;
  close(): Promise<void>;
}

const PAGE = 1_000;
/** Ids skipped by more than this at once are not tracked one by one (a sequence that jumped). */
const MAX_GAP_SPAN = 1_000;
const MAX_GAPS = 5_000;

export function createChangeFeed(deps: { ledger: Ledger; log: Logger }, options: ChangeFeedOptions = {}): ChangeFeed {
  const { ledger, log } = deps;
  const onPostgres = ledger.dialect === 'postgres' && !!ledger.listen;
  const pollMs = onPostgres ? (options.safetyPollMs ?? 10_000) : (options.pollMs ?? 500);
  const gatherMs = options.gatherMs ?? 25;
  const pruneEveryMs = options.pruneEveryMs ?? 60 * 60_000;
  const keepHours = options.keepHours ?? 48;
  const gapWaitMs = options.gapWaitMs ?? 5 * 60_000;

  const subscribers = new Set<ChangeListener>();
  const observers = new Set<(batch: LedgerChangeBatch) => Promise<void> | void>();
  /** Skipped id -> when it was first missed (Date.now()). */
  const gaps = new Map<number, number>();
  let lastId = 0;
  /** lastId is the newest change at start or later: nothing older is ever reported. */
  let known = false;
  let started: Promise<void> | null = null;
  let closed = false;
  let listener: Listener | null = null;
  let everConnected = false;
  let reconnects = 0;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let failing = false;
  let pruning = true;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let gatherTimer: ReturnType<typeof setTimeout> | null = null;

  const every = (ms: number, fn: () => void): void => {
    const t = setInterval(fn, ms);
    t.unref?.();
    timers.add(t);
  };

  async function emit(rows: ChangeRow[]): Promise<void> {
    if (rows.length === 0 || closed) return;
    const customerIds = [...new Set(rows.map((r) => r.customerId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
    const batch: LedgerChangeBatch = { lastId, customerIds, entities: [...new Set(rows.map((r) => r.entity))] };
    for (const fn of observers) {
      try {
        await fn(batch);
      } catch (e) {
        log.error('A ledger change observer failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (closed) return;
    for (const fn of subscribers) {
      try {
        fn(batch);
      } catch (e) {
        log.error('A ledger change subscriber failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** Notes the ids a page of new rows skipped, on PostgreSQL, and moves lastId past the page. */
  function advance(page: ChangeRow[]): void {
    for (const row of page) {
      const id = Number(row.id);
      if (onPostgres && id - lastId - 1 <= MAX_GAP_SPAN) {
        const now = Date.now();
        for (let missing = lastId + 1; missing < id && gaps.size < MAX_GAPS; missing++) gaps.set(missing, now);
      }
      lastId = Math.max(lastId, id);
    }
  }

  async function readOnce(): Promise<void> {
    const found: ChangeRow[] = [];
    if (gaps.size > 0) {
      const late = await changesWithIds(ledger.db, [...gaps.keys()]);
      for (const row of late) gaps.delete(Number(row.id));
      found.push(...late);
      const expired = Date.now() - gapWaitMs;
      for (const [id, since] of gaps) if (since < expired) gaps.delete(id);
    }
    for (;;) {
      const page = await changesAfter(ledger.db, lastId, PAGE);
      advance(page);
      found.push(...page);
      if (page.length < PAGE) break;
    }
    await emit(found);
  }

  /** Reads the log; a read asked for while one runs runs once more after it. */
  function read(): Promise<void> {
    if (closed || !known) return Promise.resolve();
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        try {
          await readOnce();
          if (failing) log.info('Live updates read the change log again');
          failing = false;
        } catch (e) {
          if (!failing) log.warn('Live updates could not read the change log; trying again', { error: e instanceof Error ? e.message : String(e) });
          failing = true;
        }
      } while (readAgain && !closed);
    })().finally(() => {
      reading = null;
    });
    return reading;
  }

  function readSoon(): void {
    if (gatherTimer || closed) return;
    gatherTimer = setTimeout(() => {
      gatherTimer = null;
      void read();
    }, gatherMs);
  }

  async function prune(): Promise<void> {
    if (!pruning || closed) return;
    try {
      await pruneChanges(ledger.db, keepHours);
    } catch (e) {
      // A role without DELETE on change_log (or a busy file) leaves the rows; another workstation prunes them.
      if ((e as { code?: unknown }).code === '42501') pruning = false;
      log.warn('Live updates could not prune the change log', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  function listen(): void {
    if (!onPostgres || !ledger.listen) return;
    listener = ledger.listen(
      CHANGES_CHANNEL,
      {
        notified: () => readSoon(),
        connected: () => {
          if (everConnected) {
            reconnects++;
            log.info('Live updates are connected to the database server again; reading what changed meanwhile');
          }
          everConnected = true;
          // Whatever was committed while there was no LISTEN is in the log: read it now.
          void read();
        },
        lost: (error, retryInMs) => {
          log.warn(`Live updates lost their database connection; connecting again in ${retryInMs} ms`, {
            error: error instanceof Error ? error.message : String(error),
          });
        },
      },
      options.listener,
    );
  }

  function start(): Promise<void> {
    started ??= (async () => {
      if (!listener) listen();
      lastId = await latestChangeId(ledger.db);
      if (onPostgres) {
        // Transactions still open at this moment may hold ids below the newest: look for them too.
        const recent = await recentChangeIds(ledger.db, 200);
        const seen = new Set(recent);
        const now = Date.now();
        for (let id = recent[0] ?? lastId; id < lastId; id++) if (!seen.has(id)) gaps.set(id, now);
      }
      known = true;
      if (closed) return;
      every(pollMs, () => void read());
      every(pruneEveryMs, () => void prune());
      const first = setTimeout(() => void prune(), Math.min(30_000, pruneEveryMs));
      first.unref?.();
      timers.add(first);
    })().catch((e: unknown) => {
      log.warn('Live updates could not start; trying again in 5 s', { error: e instanceof Error ? e.message : String(e) });
      started = null;
      const again = setTimeout(() => {
        timers.delete(again);
        if (!closed && subscribers.size > 0) void start().catch(() => undefined);
      }, 5_000);
      again.unref?.();
      timers.add(again);
      throw e;
    });
    return started;
  }

  return {
    subscribe(fn) {
      subscribers.add(fn);
      void start().catch(() => undefined);
      return () => {
        subscribers.delete(fn);
      };
    },
    observe(fn) {
      observers.add(fn);
      return () => {
        observers.delete(fn);
      };
    },
    ready: () => start(),
    check: () => (started ? started.then(read) : start()),
    state: () => ({
      started: started !== null,
      listening: onPostgres ? (listener?.connected ?? false) : null,
      lastId,
      reconnects,
      gaps: gaps.size,
    }),
    close: async () => {
      closed = true;
      subscribers.clear();
      observers.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (gatherTimer) clearTimeout(gatherTimer);
      gatherTimer = null;
      await listener?.close();
      listener = null;
      await started?.catch(() => undefined);
      await reading;
    },
  };
}
