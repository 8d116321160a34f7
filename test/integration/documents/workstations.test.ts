import { afterEach, describe, expect, it } from 'vitest';
import { queueEmail } from '../../../src/main/documents/documents.service';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import type { Mailer, MailMessage } from '../../../src/main/documents/ports';
import { STALE_SENDING_MS } from '../../../src/main/documents/outbox.claims';
import { writeTx } from '../../../src/main/db/dialect';
import { openTestOffice, type TestOffice } from '../../helpers/office';
import type { TestRuntime } from '../../helpers/runtime';

/** One workstation's mail server connection: what it sent, by Message-ID; a send can be held until released. */
function recordingMailer() {
  const sent: string[] = [];
  let held: Promise<void> | null = null;
  let release = () => {};
  let reached = () => {};
  const mailer: Mailer = {
    async send(m: MailMessage) {
      reached();
      if (held) await held;
      // A mail server takes a moment, so two workstations' passes run side by side.
      await new Promise((resolve) => setTimeout(resolve, 2));
      sent.push(m.messageId!);
      return { messageId: m.messageId!, response: '250 OK' };
    },
  };
  return {
    mailer,
    sent,
    /** Holds the next sends until `release`; resolves once one has reached the server. */
    hold(): Promise<void> {
      held = new Promise<void>((resolve) => (release = resolve));
      return new Promise<void>((resolve) => (reached = resolve));
    },
    release: () => {
      held = null;
      release();
    },
  };
}

const offices: TestOffice[] = [];
afterEach(async () => {
  for (const o of offices.splice(0)) await o.dispose();
});

async function openOffice() {
  const mail = { 'ws-a': recordingMailer(), 'ws-b': recordingMailer() };
  const office = await openTestOffice(['ws-a', 'ws-b'], { each: (id) => ({ mailer: mail[id as keyof typeof mail].mailer }) });
  offices.push(office);
  const [a, b] = office.workstations as [TestRuntime, TestRuntime];
  return { office, a, b, mail };
}

async function queueMessages(rt: TestRuntime, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    ids.push(
      await writeTx(rt.ledger.db, (trx) =>
        queueEmail(trx, {
          to: `ap${i}@customer.example`,
          subject: `Statement ${i}`,
          body: 'Your statement is attached.',
          attachment: null,
          from: 'Northwind Services Billing <billing@northwind.example>',
          actor: 'dana',
          now: rt.clock.now(),
        }),
      ),
    );
  }
  return ids;
}

function outbox(rt: TestRuntime) {
  return withDocumentTables(rt.ledger.db).selectFrom('outbox').select(['id', 'message_id', 'status', 'claimed_by', 'attempts']).orderBy('id').execute();
}

describe('the outbox shared by two workstations', () => {
  it('sends each of 30 queued messages exactly once when both workstations send at the same moment', async () => {
    const { a, b, mail } = await openOffice();
    await queueMessages(a, 30);

    const [atA, atB] = await Promise.all([a.core.documents.sender.sendDue(), b.core.documents.sender.sendDue()]);

    expect(atA.sent + atB.sent).toBe(30);
    const rows = await outbox(a);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const sent = [...mail['ws-a'].sent, ...mail['ws-b'].sent].sort();
    expect(sent).toEqual(rows.map((r) => r.message_id).sort());
    // Both sent their share, each only what it claimed.
    expect(mail['ws-a'].sent.length).toBeGreaterThan(0);
    expect(mail['ws-b'].sent.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.claimed_by === 'ws-a').map((r) => r.message_id).sort()).toEqual([...mail['ws-a'].sent].sort());
    expect(rows.filter((r) => r.claimed_by === 'ws-b').map((r) => r.message_id).sort()).toEqual([...mail['ws-b'].sent].sort());
    const audits = await a.ledger.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'email.sent').execute();
    expect(audits).toHaveLength(30);
  });

  it('leaves a message another workstation is sending alone at start-up, and takes back one from before claims or whose workstation stopped', async () => {
    const { office, a, b, mail } = await openOffice();
    const [atB, fromBefore, ofStopped] = (await queueMessages(a, 3)) as [number, number, number];
    const db = withDocumentTables(a.ledger.db);
    // Two messages left 'sending': one by a version without claims, one by a workstation that stopped long ago.
    await db.updateTable('outbox').set({ status: 'queued', next_attempt_at: '2099-01-01T00:00:00.000Z' }).where('id', 'in', [fromBefore, ofStopped]).execute();

    // B is in the middle of sending its message.
    const reached = mail['ws-b'].hold();
    const sendingAtB = b.core.documents.sender.sendDue();
    await reached;
    const stoppedAt = new Date(office.clock.now().getTime() - STALE_SENDING_MS - 60_000).toISOString();
    await db.updateTable('outbox').set({ status: 'sending', claimed_by: null }).where('id', '=', fromBefore).execute();
    await db.updateTable('outbox').set({ status: 'sending', claimed_by: 'ws-gone', updated_at: stoppedAt }).where('id', '=', ofStopped).execute();

    // A starts: only what nobody is sending any more is queued again.
    expect(await a.core.documents.sender.recoverInterrupted()).toBe(2);
    expect((await outbox(a)).map((r) => [r.id, r.status, r.claimed_by])).toEqual([
      [atB, 'sending', 'ws-b'],
      [fromBefore, 'queued', null],
      [ofStopped, 'queued', 'ws-gone'],
    ]);
    expect(await a.core.documents.sender.sendDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });

    mail['ws-b'].release();
    expect(await sendingAtB).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const rows = await outbox(a);
    expect(rows.map((r) => [r.id, r.status, r.claimed_by])).toEqual([
      [atB, 'sent', 'ws-b'],
      [fromBefore, 'sent', 'ws-a'],
      [ofStopped, 'sent', 'ws-a'],
    ]);
    expect(mail['ws-b'].sent).toEqual([rows[0]!.message_id]);
    expect([...mail['ws-a'].sent].sort()).toEqual([rows[1]!.message_id, rows[2]!.message_id].sort());
    const requeued = await a.ledger.db.selectFrom('audit_log').select(['entity_id', 'summary', 'workstation']).where('action', '=', 'email.requeue_uncertain').orderBy('id').execute();
    expect(requeued.map((r) => [r.entity_id, JSON.parse(r.summary).claimedBy, r.workstation])).toEqual([
      [String(fromBefore), null, 'ws-a'],
      [String(ofStopped), 'ws-gone', 'ws-a'],
    ]);
  });
});
