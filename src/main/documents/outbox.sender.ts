import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SettingsStore } from '../settings/settings.store';
import { MailDeliveryError, type Mailer } from './ports';
import { earliestQueuedAttempt, outboxRowById, transitionOutbox } from './queue.repo';
import {
  claimDueMessages,
  interruptedMessageIds,
  releaseUnstarted,
  requeueInterrupted,
  STALE_SENDING_MS,
  startSending,
  type InterruptedScope,
} from './outbox.claims';
import { writeTx } from '../db/dialect';
import type { DocumentRef } from '../../shared/contract/documents';
import type { OutboxRow } from './documents.tables';
import { refFromStored } from './render';

export interface OutboxSenderDeps {
  db: Kysely<DB>;
  clock: Clock;
  mailer: Mailer;
  settings: SettingsStore;
  log: Logger;
  /** This installation's id: the messages it claims carry it, and only those it sends. */
  workstation: string;
  /**
   * Draws an attachment the message names but does not carry (the billing run's invoices, queued
   * by reference so 50,000 PDFs are not drawn inside its transactions).
   */
  drawAttachment?: (ref: DocumentRef) => Promise<Uint8Array>;
}

export interface OutboxSenderOptions {
  /** Attempts before a message that keeps failing is marked failed. */
  maxAttempts?: number;
  /** First retry delay; each further one doubles, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How many due messages one pass sends. */
  batchSize?: number;
}

export interface SendReport {
  sent: number;
  retrying: number;
  failed: number;
}

const SENDER = 'outbox-sender';

/** Delay before attempt n+1 after n failed attempts: base, 2·base, 4·base, ... capped. */
export function retryDelayMs(failedAttempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
}

function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Delivers the outbox, which all workstations of an office share. A workstation claims a batch of
 * due messages ('sending', with its id: outbox.claims.ts), confirms each claim just before the SMTP
 * conversation, and sends only what it claimed, so two passes or two workstations never send the
 * same row, and a sent row is never picked again.
 *
 * A crash between the server's "250 OK" and the commit of 'sent' leaves a row in 'sending'. Plain
 * SMTP has no way to ask the server whether it took a message, so such rows are uncertain: at
 * start-up a workstation queues its own again, and any workstation queues one whose claim has not
 * moved for STALE_SENDING_MS (its workstation stopped). They are resent with the SAME Message-ID
 * and Date headers: the window is the few milliseconds of that commit, mail stores recognise a
 * repeated Message-ID as one message, and a confirmation the customer never receives is worse than
 * a recognisable duplicate. A message another workstation is sending right now is never queued again.
 */
export function createOutboxSender(deps: OutboxSenderDeps, options: OutboxSenderOptions = {}) {
  const maxAttempts = options.maxAttempts ?? 10;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const maxDelayMs = options.maxDelayMs ?? 60 * 60_000;
  const batchSize = options.batchSize ?? 20;
  let inFlight: Promise<SendReport> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let intervalMs = 15_000;
  let running = false;

  const nowIso = () => deps.clock.now().toISOString();

  /** Queues cut-off 'sending' messages again: at start-up this workstation's own too, on every pass the stale ones. */
  async function requeueCutOff(atStart: boolean): Promise<number> {
    const now = deps.clock.now();
    const scope: InterruptedScope = {
      workstation: atStart ? deps.workstation : null,
      staleBefore: new Date(now.getTime() - STALE_SENDING_MS).toISOString(),
    };
    let count = 0;
    for (const id of await interruptedMessageIds(deps.db, scope)) {
      const at = nowIso();
      const moved = await writeTx(deps.db, (trx) =>
        requeueInterrupted(trx, id, scope, {
          at,
          actor: SENDER,
          workstation: deps.workstation,
          lastError: 'Interrupted while sending; it may have gone out. Sending again with the same Message-ID.',
        }),
      );
      if (moved) count++;
    }
    if (count > 0) deps.log.warn(`Outbox: ${count} message(s) interrupted while sending were queued again`);
    return count;
  }

  const recoverInterrupted = () => requeueCutOff(true);

  /** The attachment's bytes: as stored, or drawn now from the ledger when the message names it only. */
  async function attachmentOf(row: OutboxRow): Promise<Uint8Array | null> {
    if (row.attachment_pdf) return new Uint8Array(row.attachment_pdf);
    if (!row.attachment_kind || !row.attachment_ref) return null;
    if (!deps.drawAttachment) throw new Error(`The attachment ${row.attachment_name ?? ''} cannot be drawn here.`);
    return deps.drawAttachment(refFromStored(row.attachment_kind, row.attachment_ref));
  }

  async function sendOne(id: number, report: SendReport): Promise<void> {
    const claimedAt = nowIso();
    const started = await writeTx(deps.db, (trx) => startSending(trx, id, deps.workstation, claimedAt, SENDER));
    if (!started) return;
    const row = await outboxRowById(deps.db, id);
    if (!row) return;
    const from = deps.settings.get().email.from;
    try {
      const pdf = await attachmentOf(row);
      const result = await deps.mailer.send({
        from,
        to: row.to_address,
        subject: row.subject,
        text: row.body,
        messageId: row.message_id,
        date: new Date(row.created_at),
        attachments: pdf && row.attachment_name ? [{ filename: row.attachment_name, content: pdf, contentType: 'application/pdf' }] : [],
      });
      const at = nowIso();
      await writeTx(deps.db, (trx) =>
        transitionOutbox(trx, id, ['sending'], {
          status: 'sent',
          at,
          actor: SENDER,
          action: 'email.sent',
          lastError: null,
          smtpResponse: result.response ?? null,
          summary: { to: row.to_address, response: result.response ?? null },
        }),
      );
      report.sent++;
    } catch (e) {
      const reason = reasonOf(e);
      const attempts = row.attempts;
      const permanent = e instanceof MailDeliveryError && e.permanent;
      const giveUp = permanent || attempts >= maxAttempts;
      const at = nowIso();
      const next = new Date(deps.clock.now().getTime() + retryDelayMs(attempts, baseDelayMs, maxDelayMs)).toISOString();
      await writeTx(deps.db, (trx) =>
        transitionOutbox(trx, id, ['sending'], {
          status: giveUp ? 'failed' : 'queued',
          at,
          actor: SENDER,
          action: giveUp ? 'email.failed' : 'email.retry_later',
          lastError: reason,
          ...(giveUp ? {} : { nextAttemptAt: next }),
          summary: { reason, attempts, ...(giveUp ? {} : { nextAttemptAt: next }) },
        }),
      );
      if (giveUp) report.failed++;
      else report.retrying++;
      deps.log.warn(`Outbox message ${id} not sent (attempt ${attempts})`, { reason, final: giveUp });
    }
  }

  async function pass(): Promise<SendReport> {
    const report: SendReport = { sent: 0, retrying: 0, failed: 0 };
    await requeueCutOff(false);
    for (;;) {
      const now = nowIso();
      const ids = await writeTx(deps.db, (trx) => claimDueMessages(trx, { now, limit: batchSize, workstation: deps.workstation }));
      if (ids.length === 0) break;
      let next = 0;
      try {
        for (; next < ids.length; next++) await sendOne(ids[next]!, report);
      } finally {
        // Cut short by an error: what was claimed but not started goes back to the queue for the next pass.
        await releaseUnstarted(deps.db, ids.slice(next + 1), deps.workstation).catch(() => undefined);
      }
      if (ids.length < batchSize) break;
    }
    return report;
  }

  /** Sends every message that is due now. Concurrent calls share one pass. */
  function sendDue(): Promise<SendReport> {
    if (inFlight) return inFlight;
    inFlight = pass().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void tick();
    }, delayMs);
    timer.unref?.();
  }

  async function tick(): Promise<void> {
    try {
      await sendDue();
    } catch (e) {
      deps.log.error('Outbox pass failed', { error: reasonOf(e) });
    }
    const next = await earliestQueuedAttempt(deps.db).catch(() => undefined);
    const untilNext = next ? new Date(next).getTime() - deps.clock.now().getTime() : intervalMs;
    schedule(Math.max(250, Math.min(intervalMs, untilNext)));
  }

  return {
    recoverInterrupted,
    sendDue,
    /**
     * Recovers interrupted messages and makes a first pass, then keeps sending on a timer (and
     * whenever kicked). Resolves after the first pass; the shell need not wait for it.
     */
    async start(everyMs = 15_000): Promise<void> {
      if (running) return;
      intervalMs = everyMs;
      running = true;
      await recoverInterrupted();
      await tick();
    },
    /** Asks for a pass soon (after a message was queued or retried). */
    kick(): void {
      schedule(0);
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight.catch(() => undefined);
    },
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
