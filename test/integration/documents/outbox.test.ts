import { afterEach, describe, expect, it } from 'vitest';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { buildDocumentScene } from '../../helpers/documents-fixtures';
import { startSmtp, smtpSettings, type TestSmtp } from './smtp';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { createSmtpMailer } from '../../../src/main/documents/smtp.mailer';
import { createOutboxSender } from '../../../src/main/documents/outbox.sender';
import { enqueuePaymentConfirmationWith } from '../../../src/main/documents/documents.service';
import { withDocumentTables } from '../../../src/main/documents/documents.tables';
import { memorySecretStore, SMTP_PASSWORD_SECRET, type Mailer } from '../../../src/main/documents/ports';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import type { SettingsStore } from '../../../src/main/settings/settings.store';
import { asStaff } from '../../helpers/dispatch';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function smtp(options: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const server = await startSmtp(options);
  cleanups.push(() => server.close());
  return server;
}

function mailerFor(settings: SettingsStore): Mailer {
  return createSmtpMailer({ settings, secrets: memorySecretStore(), transport: { ignoreTLS: true, connectionTimeout: 3000 } });
}

async function runtime(port: number, options: { dir?: string; mailer?: Mailer } = {}): Promise<TestRuntime> {
  const settings = memorySettingsStore(smtpSettings(port));
  const rt = await openTestRuntime({
    now: '2026-11-20T23:00:00Z',
    settings,
    mailer: options.mailer ?? mailerFor(settings),
    ...(options.dir ? { dir: options.dir } : {}),
  });
  return rt;
}

function rows(rt: TestRuntime) {
  return withDocumentTables(rt.ledger.db).selectFrom('outbox').selectAll().orderBy('id').execute();
}

async function freePort(): Promise<number> {
  const s = await startSmtp();
  await s.close();
  return s.port;
}

describe('email outbox', () => {
  it('queues the confirmation in the payment transaction and delivers it over SMTP with the PDF attachment byte for byte', async () => {
    const server = await smtp();
    const rt = await runtime(server.port);
    cleanups.push(() => rt.dispose());
    const scene = await buildDocumentScene(rt.ledger.db);

    // A transaction that fails after queueing leaves no message behind.
    await expect(
      rt.ledger.db.transaction().execute(async (trx) => {
        await rt.core.documents.enqueuePaymentConfirmation(trx, { paymentId: scene.payments.paid, delivery: 'email', actor: 'dana', now: rt.clock.now() });
        throw new Error('approval failed');
      }),
    ).rejects.toThrow('approval failed');
    expect(await rows(rt)).toHaveLength(0);

    const result = await rt.ledger.db.transaction().execute((trx) =>
      rt.core.documents.enqueuePaymentConfirmation(trx, { paymentId: scene.payments.paid, delivery: 'email', actor: 'dana', now: rt.clock.now() }),
    );
    expect(result).toMatchObject({ delivery: 'email' });
    const [queued] = await rows(rt);
    expect(queued).toMatchObject({
      status: 'queued',
      to_address: 'ap@harborlanedental.example',
      subject: 'Payment confirmation K7QX4M2P from Northwind Services LLC',
      attachment_name: 'confirmation-K7QX4M2P.pdf',
      payment_id: scene.payments.paid,
      created_by: 'dana',
    });
    expect(queued!.body).toContain('Thank you for your payment of $379.00 on 11/20/2026');
    const audit = await rt.ledger.db.selectFrom('audit_log').selectAll().where('entity', '=', 'outbox').execute();
    expect(audit.map((a) => a.action)).toEqual(['email.queue']);

    const report = await rt.core.documents.sender.sendDue();
    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.subject).toBe('Payment confirmation K7QX4M2P from Northwind Services LLC');
    expect(mail.to?.text).toBe('ap@harborlanedental.example');
    expect(mail.messageId).toBe(queued!.message_id);
    expect(mail.attachments).toHaveLength(1);
    const attachment = mail.attachments[0]!;
    expect(attachment.filename).toBe('confirmation-K7QX4M2P.pdf');
    expect(attachment.contentType).toBe('application/pdf');
    const expected = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.paid });
    expect(Buffer.compare(attachment.content, Buffer.from(expected.bytes))).toBe(0);
    expect(Buffer.compare(attachment.content, Buffer.from(queued!.attachment_pdf!))).toBe(0);

    const [sent] = await rows(rt);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: rt.clock.now().toISOString() });
    expect(sent!.smtp_response).toMatch(/^250/);
    // Nothing left to send: another pass sends nothing.
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(1);
  });

  it('keeps a message queued with the reason while the server is down and sends it once the server is up', async () => {
    const port = await freePort();
    const rt = await runtime(port);
    cleanups.push(() => rt.dispose());
    await buildDocumentScene(rt.ledger.db);
    const call = (channel: string, input: unknown) => dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));

    const queued = await call('documents.emailStatement', { customerNumber: 'CL1042', asOf: '2026-11-20' });
    expect(queued).toMatchObject({
      ok: true,
      data: {
        status: 'queued',
        to: 'ap@harborlanedental.example',
        subject: 'Your statement as of 11/20/2026 from Northwind Services LLC',
        attachmentName: 'statement-CL1042-2026-11-20.pdf',
        document: { kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' },
      },
    });

    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = await rows(rt);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, next_attempt_at: '2026-11-20T23:00:30.000Z' });
    expect(row!.last_error).toMatch(/ECONNREFUSED/);

    // The next attempt waits for its time, then doubles the wait.
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    rt.clock.advance(30_000);
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    [row] = await rows(rt);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, next_attempt_at: '2026-11-20T23:01:30.000Z' });

    const server = await smtp({ port });
    rt.clock.advance(60_000);
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.text).toContain('Balance due: $795.17.');
    [row] = await rows(rt);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    const listed = await call('documents.outbox', {});
    expect(listed).toMatchObject({ ok: true, data: { messages: [{ status: 'sent', attempts: 3, lastError: null }] } });
  });

  it('marks a message failed after the last attempt, and the clerk can retry it', async () => {
    const port = await freePort();
    const rt = await runtime(port);
    cleanups.push(() => rt.dispose());
    await buildDocumentScene(rt.ledger.db);
    const sender = createOutboxSender(
      { db: rt.ledger.db, clock: rt.clock, mailer: rt.core.deps.mailer, settings: rt.core.deps.settings, log: rt.log, workstation: rt.core.deps.workstation },
      { maxAttempts: 2, baseDelayMs: 1000 },
    );
    const msg = await rt.core.documents.emailStatement({ customerNumber: 'TO0007', asOf: '2026-11-20' }, 'dana');
    expect((await sender.sendDue()).retrying).toBe(1);
    rt.clock.advance(1000);
    expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    let [row] = await rows(rt);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.last_error).toMatch(/ECONNREFUSED/);
    rt.clock.advance(3_600_000);
    expect(await sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const server = await smtp({ port });
    const retried = await rt.core.documents.retryEmail(msg.id, 'dana');
    expect(retried).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(1);
    [row] = await rows(rt);
    expect(row!.status).toBe('sent');
    await expect(rt.core.documents.retryEmail(msg.id, 'dana')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('fails a message the server refuses at once with the server reason; a corrected recipient sends it', async () => {
    const server = await smtp({ refuse: (a) => (a.endsWith('@closed.example') ? 'Mailbox unavailable' : null) });
    const rt = await runtime(server.port);
    cleanups.push(() => rt.dispose());
    await buildDocumentScene(rt.ledger.db);
    const msg = await rt.core.documents.emailStatement({ customerNumber: 'CL1042', asOf: '2026-11-20', to: 'ap@closed.example' }, 'dana');
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const failed = (await rt.core.documents.listOutbox({ status: 'failed', limit: 10 }))[0]!;
    expect(failed.lastError).toMatch(/550/);
    expect(failed.lastError).toMatch(/Mailbox unavailable/);

    await expect(rt.core.documents.setEmailRecipient(msg.id, 'not an address', 'dana')).rejects.toMatchObject({ code: 'VALIDATION' });
    const fixed = await rt.core.documents.setEmailRecipient(msg.id, 'maria@harborlanedental.example', 'dana');
    expect(fixed).toMatchObject({ status: 'queued', to: 'maria@harborlanedental.example', attempts: 0, lastError: null });
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received.map((m) => m.to?.text)).toEqual(['maria@harborlanedental.example']);
    const audit = await rt.ledger.db.selectFrom('audit_log').select('action').where('entity', '=', 'outbox').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'email.queue',
      'email.sending',
      'email.failed',
      'email.set_recipient',
      'email.sending',
      'email.sent',
    ]);
  });

  it('holds a message without an address as failed instead of failing the payment, and cancels on request', async () => {
    const server = await smtp();
    const rt = await runtime(server.port);
    cleanups.push(() => rt.dispose());
    const scene = await buildDocumentScene(rt.ledger.db);
    await rt.ledger.db.updateTable('customers').set({ email: null }).where('id', '=', scene.customers.cl).execute();
    const result = await rt.ledger.db.transaction().execute((trx) =>
      enqueuePaymentConfirmationWith(trx, { paymentId: scene.payments.paid, delivery: 'email', actor: 'dana', now: rt.clock.now() }, rt.core.deps.settings.get()),
    );
    const id = (result as { outboxId: number }).outboxId;
    const held = (await rt.core.documents.listOutbox({ status: 'all', limit: 10 }))[0]!;
    expect(held).toMatchObject({ id, status: 'failed', to: '', lastError: 'No email address on file: enter the recipient, then retry.' });
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const cancelled = await rt.core.documents.cancelEmail(id, 'dana');
    expect(cancelled.status).toBe('cancelled');
    await expect(rt.core.documents.cancelEmail(id, 'dana')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(rt.core.documents.setEmailRecipient(id, 'a@b.example', 'dana')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(server.received).toHaveLength(0);
  });

  it('logs in with the user from settings and the password from the secret store', async () => {
    const server = await smtp({ auth: { user: 'billing', pass: 's3cret-pass' } });
    const settings = memorySettingsStore({ email: { ...smtpSettings(server.port).email!, user: 'billing' } });
    const secrets = memorySecretStore({ [SMTP_PASSWORD_SECRET]: 'wrong' });
    const mailer = createSmtpMailer({ settings, secrets, transport: { ignoreTLS: true } });
    const rt = await openTestRuntime({ settings, mailer });
    cleanups.push(() => rt.dispose());
    await buildDocumentScene(rt.ledger.db);
    await rt.core.documents.emailStatement({ customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [failed] = await rows(rt);
    expect(failed!.last_error).toMatch(/535/);
    expect(failed!.last_error).not.toContain('wrong');

    await secrets.set(SMTP_PASSWORD_SECRET, 's3cret-pass');
    await rt.core.documents.retryEmail(failed!.id, 'dana');
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(1);
  });

  it('after a restart sends nothing twice: sent messages stay sent, and one cut off mid-send goes again under the same Message-ID', async () => {
    const server = await smtp();
    const dir = tempDir();
    const settings = memorySettingsStore(smtpSettings(server.port));
    const real = mailerFor(settings);
    let delivered!: () => void;
    const deliveredOnce = new Promise<void>((r) => (delivered = r));
    let calls = 0;
    // The first message goes out normally; during the second the process "dies" right after the
    // server accepted it, before the outcome is committed.
    const dying: Mailer = {
      async send(m) {
        calls++;
        const result = await real.send(m);
        if (calls === 1) return result;
        delivered();
        return new Promise(() => {});
      },
    };
    const first = await openTestRuntime({ now: '2026-11-20T23:00:00Z', dir, settings, mailer: dying });
    const scene = await buildDocumentScene(first.ledger.db);
    await first.core.documents.emailConfirmation({ paymentId: scene.payments.paid }, 'dana');
    await first.core.documents.emailStatement({ customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    void first.core.documents.sender.sendDue();
    await deliveredOnce;
    expect(server.received).toHaveLength(2);
    const before = await rows(first);
    expect(before.map((r) => r.status)).toEqual(['sent', 'sending']);
    await first.close();

    const second = await openTestRuntime({ now: '2026-11-20T23:05:00Z', dir, settings, mailer: real });
    cleanups.push(() => second.dispose());
    await second.core.documents.sender.start(60_000);
    await second.core.documents.sender.stop();
    const after = await rows(second);
    expect(after.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(after[1]!.attempts).toBe(2);
    // The confirmation was not sent again; the interrupted statement went again with its Message-ID.
    expect(server.received).toHaveLength(3);
    expect(server.received.filter((m) => m.messageId === before[0]!.message_id)).toHaveLength(1);
    const statementCopies = server.received.filter((m) => m.messageId === before[1]!.message_id);
    expect(statementCopies).toHaveLength(2);
    expect(Buffer.compare(statementCopies[0]!.attachments[0]!.content, statementCopies[1]!.attachments[0]!.content)).toBe(0);
    expect(statementCopies[0]!.date?.toISOString()).toBe(statementCopies[1]!.date?.toISOString());
    const requeue = await second.ledger.db.selectFrom('audit_log').selectAll().where('action', '=', 'email.requeue_uncertain').execute();
    expect(requeue).toHaveLength(1);

    // A third start with nothing in flight sends nothing.
    await second.core.documents.sender.start(60_000);
    await second.core.documents.sender.stop();
    expect(server.received).toHaveLength(3);
  });
});
